"""S6.11: the vexatious complainant register; R1.12a: root-cause rectification."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.complaints.identity import blind_index
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound
from kesu.notifications.models import Outbox
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department
from kesu.supervision.models import Rectification
from kesu.supervision.periods import Period
from kesu.supervision.selectors.registers import (
    rectification_counts,
    rectification_list_for,
    vexatious_record_for,
)
from kesu.supervision.services.rectification import (
    rectification_close,
    rectification_open,
    rectification_report_done,
    rectification_return,
)
from kesu.supervision.services.vexatious import vexatious_mark, vexatious_unmark

from .factories import closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def nuisance(org):
    return ComplaintFactory(owning_company=org["gz"]).complainant


def _mark(user, complainant):
    return vexatious_mark(
        user=user,
        complainant_id=complainant.pk,
        reasons="三个月内无新事实反复投诉十余次",
        evidence="来电记录 2026-09-01 至 2026-11-20",
    )


def test_marking_a_complainant_tells_the_sales_departments_and_warns_intake(
    org, city_cs_head, nuisance
):
    record = _mark(city_cs_head, nuisance)
    told = set(
        Outbox.objects.filter(kind="vexatious_marked").values_list(
            "recipient_department__kind", flat=True
        )
    )
    assert told == {K.INDIVIDUAL_SALES, K.BANCASSURANCE, K.GROUP_SALES}
    assert vexatious_record_for(nuisance) == record
    assert vexatious_record_for(nuisance.pk) == record
    assert (
        vexatious_record_for(id_number_index=blind_index("id", nuisance.id_number))
        == record
    )
    assert vexatious_record_for(phone_index="nothing") is None


def test_a_complainant_is_marked_once_and_unmarked_with_a_reason(
    city_cs_head, nuisance
):
    record = _mark(city_cs_head, nuisance)
    with pytest.raises(Conflict):
        _mark(city_cs_head, nuisance)
    with pytest.raises(DomainValidationError):
        vexatious_unmark(user=city_cs_head, record=record, reason=" ")
    vexatious_unmark(user=city_cs_head, record=record, reason="投诉人提出新事实")
    assert vexatious_record_for(nuisance) is None
    assert _mark(city_cs_head, nuisance).is_active  # may be marked again


def test_only_a_customer_service_head_marks(city_handler, nuisance):
    with pytest.raises(Forbidden):
        _mark(city_handler, nuisance)


def test_a_complainant_of_another_province_is_not_found(
    outsider_in_another_province, nuisance, org
):
    head = make_user(
        "nj_head", org["nj"], [Role.CS_HEAD], department=department(org["nj"])
    )
    with pytest.raises(NotFound):
        _mark(head, nuisance)


def test_vexatious_http(
    client, city_cs_head, city_clerk, nuisance, outsider_in_another_province
):
    client.force_login(city_cs_head)
    r = client.post(
        "/api/supervision/vexatious",
        {"complainant": nuisance.pk, "reasons": "反复缠访", "evidence": "录音"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    client.force_login(city_clerk)
    r = client.get("/api/supervision/vexatious/check", {"complainant": nuisance.pk})
    assert r.status_code == 200 and r.json()["vexatious"] is True
    client.force_login(outsider_in_another_province)
    r = client.get("/api/supervision/vexatious/check", {"complainant": nuisance.pk})
    assert r.status_code == 404


# --- R1.12a rectification -----------------------------------------------------------


@pytest.fixture
def sales_owner(org, gz_sales):
    return make_user(
        "gz_sales_owner",
        org["gz"],
        [Role.COORDINATOR],
        department=gz_sales,
        full_name="整改责任人",
    )


def _open(user, department, owner, cases, due):
    return rectification_open(
        user=user,
        department_id=department.pk,
        complaint_ids=[c.pk for c in cases],
        owner_id=owner.pk,
        action="组织销售人员重新培训退保损失说明",
        due_date=due,
    )


@time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False)
def test_a_rectification_is_opened_reported_checked_and_closed(
    org, city_cs_head, gz_sales, sales_owner
):
    case = closed_case(org["gz"], closed_on=dt.date(2026, 10, 20), liability="liable")
    item = _open(city_cs_head, gz_sales, sales_owner, [case], dt.date(2026, 11, 30))
    assert item.cause == "mis_selling" and item.status == Rectification.Status.OPEN
    with pytest.raises(Forbidden):
        rectification_report_done(user=city_cs_head, item=item, report="已完成")
    rectification_report_done(user=sales_owner, item=item, report="已培训 40 人")
    rectification_return(user=city_cs_head, item=item, note="缺培训签到表")
    rectification_report_done(user=sales_owner, item=item, report="补充签到表")
    rectification_close(user=city_cs_head, item=item, note="验收通过")
    assert item.status == Rectification.Status.CLOSED
    assert item in rectification_list_for(sales_owner)


def test_a_cluster_must_share_one_cause_and_a_single_case_must_be_liable(
    org, city_cs_head, gz_sales, sales_owner
):
    due = timezone.localdate() + dt.timedelta(days=10)
    a = closed_case(org["gz"], closed_on=dt.date(2026, 10, 1), cause="mis_selling")
    b = closed_case(org["gz"], closed_on=dt.date(2026, 10, 2), cause="claims")
    with pytest.raises(DomainValidationError):
        _open(city_cs_head, gz_sales, sales_owner, [a, b], due)
    with pytest.raises(DomainValidationError):
        _open(city_cs_head, gz_sales, sales_owner, [a], due)  # not liable
    c = closed_case(org["gz"], closed_on=dt.date(2026, 10, 3), cause="mis_selling")
    assert (
        _open(city_cs_head, gz_sales, sales_owner, [a, c], due).complaints.count() == 2
    )


def test_the_owner_must_belong_to_the_department(
    org, city_cs_head, gz_sales, city_handler
):
    case = closed_case(org["gz"], closed_on=dt.date(2026, 10, 20), liability="liable")
    with pytest.raises(DomainValidationError):
        _open(
            city_cs_head,
            gz_sales,
            city_handler,
            [case],
            timezone.localdate() + dt.timedelta(days=5),
        )


def test_overdue_items_are_counted_for_assessment(
    org, city_cs_head, gz_sales, sales_owner
):
    case = closed_case(org["gz"], closed_on=dt.date(2026, 10, 20), liability="liable")
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False):
        _open(city_cs_head, gz_sales, sales_owner, [case], dt.date(2026, 11, 10))
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        counts = rectification_counts(
            org["gz"], Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        )
        assert counts == {"opened": 1, "closed": 0, "open": 1, "overdue": 1}
        assert rectification_list_for(city_cs_head, overdue=True).count() == 1


def test_rectification_http(
    client, org, city_cs_head, gz_sales, sales_owner, outsider_in_another_province
):
    case = closed_case(org["gz"], closed_on=dt.date(2026, 10, 20), liability="liable")
    client.force_login(city_cs_head)
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    r = client.post(
        "/api/supervision/rectifications",
        {
            "department": gz_sales.pk,
            "complaints": [case.pk],
            "owner": sales_owner.pk,
            "action": "整改",
            "due_date": due,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    client.force_login(sales_owner)
    r = client.post(
        f"/api/supervision/rectifications/{pk}/report",
        {"text": "完成"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "reported"
    client.force_login(outsider_in_another_province)
    assert client.get(f"/api/supervision/rectifications/{pk}").status_code == 404


def test_a_new_complaint_from_a_marked_person_warns_the_clerk(city_cs_head, city_clerk):
    """S6.11 end to end: intake (lifecycle) asks this register."""
    from kesu.complaints.tests.factories import register

    person = {
        "name": "缠访人",
        "id_number": "440101198001011239",
        "phone": "13900001111",
    }
    first = register(city_clerk, complainant=person).complaint
    _mark(city_cs_head, first.complainant)
    again = register(city_clerk, complainant=person, policy_number="P-OTHER")
    assert "vexatious" in [w["kind"] for w in again.warnings]
