"""One end-to-end page test per supervision feature (the views are thin)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kesu.complaints.tests.factories import ComplaintFactory
from kesu.supervision.models import (
    LiabilityAuditItem,
    PublicNotice,
    Rectification,
    SampleItem,
    VexatiousRecord,
)

from .factories import closed_case, investigation

pytestmark = pytest.mark.django_db


def test_the_feed_page_shows_department_figures_and_reminders(
    client, org, management, province_cs_head
):
    client.force_login(management)
    r = client.get(reverse("supervision:feed"))
    assert r.status_code == 200
    assert "各部门时效与质量" in r.content.decode()
    client.force_login(province_cs_head)
    r = client.get(reverse("supervision:feed"))
    assert 'data-testid="reminders"' in r.content.decode()
    r = client.get(reverse("supervision:feed"), {"company": org["js"].pk})
    assert r.status_code == 200  # an out-of-scope company is not offered: own company


def test_a_notice_is_drafted_and_published_through_the_pages(
    client, org, province_cs_head, city_handler, gz_sales
):
    case = ComplaintFactory(owning_company=org["gz"])
    investigation(
        case,
        gz_sales,
        dispatched=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 9),
        by=city_handler,
    )
    client.force_login(province_cs_head)
    r = client.post(
        reverse("supervision:notices"),
        {"department": gz_sales.pk, "title": "公示", "body": "拖延", "cases": "NOPE-1"},
    )
    assert r.status_code == 200 and "NOPE-1" in r.content.decode()  # input kept
    r = client.post(
        reverse("supervision:notices"),
        {
            "department": gz_sales.pk,
            "title": "公示",
            "body": "拖延",
            "cases": case.number,
        },
    )
    notice = PublicNotice.objects.get()
    assert r.status_code == 302 and r["Location"] == notice.get_absolute_url()
    r = client.post(reverse("supervision:notice_publish", args=[notice.pk]))
    assert r.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "published"
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "public_notice_published" in page  # the history
    client.force_login(city_handler)
    assert client.get(notice.get_absolute_url()).status_code == 200


def test_sampling_pages(client, org, province_cs_head, city_handler):
    closed_case(org["gz"], closed_on=timezone.localdate() - dt.timedelta(days=2))
    client.force_login(province_cs_head)
    today = timezone.localdate()
    r = client.post(
        reverse("supervision:samples"),
        {"start": today - dt.timedelta(days=10), "end": today, "size": 1, "seed": 9},
    )
    assert r.status_code == 302, r.content.decode()
    item = SampleItem.objects.get()
    r = client.post(
        reverse("supervision:sample_result", args=[item.sample_id, item.pk]),
        {"result": "satisfied"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.result == "satisfied"
    assert client.get(item.sample.get_absolute_url()).status_code == 200
    client.force_login(city_handler)
    assert client.get(item.sample.get_absolute_url()).status_code == 404


def test_audit_pages(client, org, province_cs_head):
    closed_case(org["gz"], closed_on=timezone.localdate() - dt.timedelta(days=2))
    client.force_login(province_cs_head)
    today = timezone.localdate()
    r = client.post(
        reverse("supervision:audits"),
        {"start": today - dt.timedelta(days=10), "end": today, "size": 1},
    )
    assert r.status_code == 302
    item = LiabilityAuditItem.objects.get()
    r = client.post(
        reverse("supervision:audit_check", args=[item.audit_id, item.pk, "revise"]),
        {"responsible_link": "sales", "cause": "mis_selling", "note": "改判"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "revised"
    assert client.get(item.audit.get_absolute_url()).status_code == 200


def test_vexatious_and_rectification_pages(client, org, city_cs_head, gz_sales_head):
    case = closed_case(org["gz"], closed_on=dt.date(2026, 10, 20), liability="liable")
    client.force_login(city_cs_head)
    r = client.post(
        reverse("supervision:vexatious"),
        {"case": case.number, "reasons": "反复缠访", "evidence": "录音"},
    )
    assert r.status_code == 302
    record = VexatiousRecord.objects.get()
    r = client.post(
        reverse("supervision:vexatious_unmark", args=[record.pk]), {"text": "新事实"}
    )
    record.refresh_from_db()
    assert not record.is_active
    due = timezone.localdate() + dt.timedelta(days=5)
    r = client.post(
        reverse("supervision:rectifications"),
        {
            "department": gz_sales_head.department_id,
            "cases": case.number,
            "owner": gz_sales_head.pk,
            "action": "培训",
            "due_date": due,
        },
    )
    assert r.status_code == 302, r.content.decode()
    item = Rectification.objects.get()
    client.force_login(gz_sales_head)
    assert client.get(reverse("supervision:rectifications")).status_code == 200
    r = client.post(
        reverse("supervision:rectification_act", args=[item.pk, "report"]),
        {"text": "已完成"},
    )
    item.refresh_from_db()
    assert item.status == "reported"
