"""A hand-counted fixture for the report tests: complaints created directly
with explicit Asia/Shanghai dates, including ones just outside the period."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from kesu.classification.models import CodeEntry
from kesu.complaints.models import Breach, Complainant, Complaint, Investigation
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department
from kesu.reports.periods import SHANGHAI


@pytest.fixture(autouse=True)
def _inline_jobs(settings):
    settings.KESU_REPORT_JOB_RUNNER = "inline"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # report pages are cached; every test counts afresh
    yield
    cache.clear()


@pytest.fixture
def codes(db):
    rows = [
        ("cause", "mis_selling", "销售误导", "销售纠纷"),
        ("cause", "surrender", "退保", "退保纠纷"),
        ("cause", "claims", "理赔", "理赔纠纷"),
        ("cause", "service", "服务态度与质量", "其他"),
        ("channel", "phone", "电话", ""),
        ("channel", "95519", "95519 热线", ""),
        ("channel", "web", "网站", ""),
        ("channel", "letter", "信函", ""),
        ("channel", "visit", "来访", ""),
        ("product_type", "ordinary_life", "普通人寿保险", ""),
        ("product_type", "health", "疾病保险", ""),
        ("product_type", "annuity", "年金保险", ""),
        ("product_type", "medical", "医疗保险", ""),
    ]
    for i, (table, code, name, group) in enumerate(rows):
        CodeEntry.objects.update_or_create(
            table=table,
            code=code,
            defaults={"name_zh": name, "name_en": code, "group": group, "order": i},
        )


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


_seq = iter(range(1, 10_000))


def make_complaint(company, received, **fields) -> Complaint:
    n = next(_seq)
    complainant = Complainant.objects.create(
        name=fields.pop("complainant_name", "张三丰"), phone="13812345678"
    )
    defaults = {
        "channel": "phone",
        "facts": "事实",
        "demand": "诉求",
        "state": "accepted",
    }
    defaults.update(fields)
    return Complaint.objects.create(
        number=f"TS-T-{n:05d}",
        owning_company=company,
        registered_company=company,
        received_at=received,
        complainant=complainant,
        **defaults,
    )


@pytest.fixture
def march(org, codes, province_handler):
    """The hand-counted month: GD's report for 2026-03 (see test_complaint_report)."""
    gd, gz, sz = org["gd"], org["gz"], org["sz"]
    c = SimpleNamespace()
    c.c1 = make_complaint(
        gz,
        at(2026, 3, 1, 0, 30),
        channel="phone",
        product_type="ordinary_life",
        business_category="sales",
        cause="mis_selling",
        responsible_link="sales",
        state="closed",
        replied_at=at(2026, 3, 8),
        closed_at=at(2026, 3, 9),
        liability="liable",
        satisfaction="satisfied",
    )
    c.c2 = make_complaint(
        gz,
        at(2026, 3, 5),
        channel="95519",
        source="regulator",
        product_type="health",
        business_category="claims",
        cause="claims",
        responsible_link="claims",
        state="closed",
        replied_at=at(2026, 3, 25),
        breached_at=at(2026, 3, 21),
        closed_at=at(2026, 3, 26),
        liability="not_liable",
        satisfaction="dissatisfied",
        escalated=True,
    )
    c.c3 = make_complaint(
        sz,
        at(2026, 3, 10),
        channel="phone",
        product_type="health",
        business_category="claims",
        cause="claims",
        responsible_link="claims",
        state="archived",
        replied_at=at(2026, 3, 20),
        closed_at=at(2026, 3, 21),
        liability="not_liable",
        satisfaction="fairly_satisfied",
        grade="major",
    )
    c.c4 = make_complaint(
        sz,
        at(2026, 3, 20),
        channel="web",
        product_type="annuity",
        business_category="surrender",
        cause="surrender",
        responsible_link="policy_service",
        state="withdrawn",
    )
    c.c5 = make_complaint(
        gd,
        at(2026, 3, 31, 23, 30),
        channel="letter",
        source="handed_down",
        product_type="ordinary_life",
        business_category="sales",
        state="investigating",
        breached_at=at(2026, 3, 31, 23, 59),
        grade="group",
    )
    c.c6 = make_complaint(gz, at(2026, 3, 15), channel="phone", state="declined")
    # outside the month or the scope
    c.feb1 = make_complaint(gz, at(2026, 2, 10))
    c.feb2 = make_complaint(sz, at(2026, 2, 28, 23, 59))
    c.last_year = make_complaint(gz, at(2025, 3, 15))
    c.april = make_complaint(gz, at(2026, 4, 1, 0, 0))
    c.other_province = make_complaint(org["nj"], at(2026, 3, 10))
    claims = department(gd, K.CLAIMS)
    sales = department(gz, K.INDIVIDUAL_SALES)
    inv = lambda complaint, dept, **kw: Investigation.objects.create(  # noqa: E731
        complaint=complaint,
        department=dept,
        dispatched_by=province_handler,
        dispatched_at=complaint.received_at,
        due_date=dt.date(2026, 3, 31),
        **kw,
    )
    c.inv2 = inv(c.c2, claims, return_count=1, breached_at=at(2026, 3, 18))
    c.inv1 = inv(c.c1, sales, status="accepted", answered_at=at(2026, 3, 5))
    c.inv3 = inv(c.c3, claims, status="accepted", answered_at=at(2026, 3, 15))
    Breach.objects.create(
        complaint=c.c2,
        company=gz,
        kind="decision",
        due_date=dt.date(2026, 3, 20),
        recorded_at=at(2026, 3, 21),
    )
    Breach.objects.create(
        complaint=c.c2,
        investigation=c.inv2,
        department=claims,
        company=gd,
        kind="investigation",
        due_date=dt.date(2026, 3, 17),
        recorded_at=at(2026, 3, 18),
    )
    Breach.objects.create(
        complaint=c.c5,
        company=gd,
        kind="decision",
        due_date=dt.date(2026, 4, 15),
        recorded_at=at(2026, 4, 16),
    )
    return c
