"""S4: public notices of departments that delayed cases through dereliction."""

import datetime as dt

import pytest

from kesu.complaints.tests.factories import ComplaintFactory
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound
from kesu.notifications.models import Outbox
from kesu.organisation.selectors import customer_service_of
from kesu.supervision.models import PublicNotice, SupervisionEvent
from kesu.supervision.periods import Period
from kesu.supervision.selectors.notices import (
    public_notice_list_for,
    public_notices_count,
)
from kesu.supervision.services.notices import public_notice_draft, public_notice_publish

from .factories import breach, investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def delayed_cases(org, gz_sales, city_handler):
    cases = []
    for _ in range(2):
        c = ComplaintFactory(owning_company=org["gz"])
        inv = investigation(
            c,
            gz_sales,
            dispatched=dt.date(2026, 11, 2),
            due=dt.date(2026, 11, 9),
            by=city_handler,
        )
        breach(inv, recorded=dt.date(2026, 11, 10))
        cases.append(c)
    return cases


def _draft(user, department, cases):
    return public_notice_draft(
        user=user,
        department_id=department.pk,
        title="关于广州个险销售部拖延调查的公示",
        body="该部门两件投诉案件调查严重超时。",
        complaint_ids=[c.pk for c in cases],
    )


def test_a_published_notice_is_read_across_the_scope_and_copied_to_the_parent(
    org,
    province_cs_head,
    city_handler,
    gz_sales,
    delayed_cases,
    outsider_in_another_province,
):
    notice = _draft(province_cs_head, gz_sales, delayed_cases)
    assert notice.status == PublicNotice.Status.DRAFT
    assert notice not in public_notice_list_for(city_handler)

    public_notice_publish(user=province_cs_head, notice=notice)

    assert notice in public_notice_list_for(city_handler)  # a city below the province
    assert notice not in public_notice_list_for(outsider_in_another_province)
    copy = Outbox.objects.get(kind="public_notice_copy")
    assert copy.recipient_department == customer_service_of(org["ho"])
    assert copy.payload["public_notice"] == notice.pk
    actions = list(
        SupervisionEvent.objects.filter(subject_id=notice.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == ["public_notice_drafted", "public_notice_published"]
    period = Period(
        notice.published_at.date() - dt.timedelta(days=1),
        notice.published_at.date() + dt.timedelta(days=1),
    )
    assert public_notices_count(org["gz"], period) == 1


def test_a_notice_cannot_be_published_twice(province_cs_head, gz_sales, delayed_cases):
    notice = _draft(province_cs_head, gz_sales, delayed_cases)
    public_notice_publish(user=province_cs_head, notice=notice)
    with pytest.raises(Conflict):
        public_notice_publish(user=province_cs_head, notice=notice)
    assert Outbox.objects.filter(kind="public_notice_copy").count() == 1


def test_evidence_must_be_cases_the_department_investigated(
    org, province_cs_head, gd_sales, delayed_cases
):
    with pytest.raises(DomainValidationError):
        _draft(province_cs_head, gd_sales, delayed_cases)


def test_a_handler_cannot_issue_a_notice(city_handler, gz_sales, delayed_cases):
    with pytest.raises(Forbidden):
        _draft(city_handler, gz_sales, delayed_cases)


def test_a_department_of_another_province_is_not_found(
    org, province_cs_head, delayed_cases
):
    from kesu.organisation.tests.factories import department

    with pytest.raises(NotFound):
        _draft(
            province_cs_head, department(org["nj"], "individual_sales"), delayed_cases
        )


def test_notice_http(
    client,
    province_cs_head,
    city_handler,
    gz_sales,
    delayed_cases,
    outsider_in_another_province,
):
    client.force_login(province_cs_head)
    r = client.post(
        "/api/supervision/notices",
        {
            "department": gz_sales.pk,
            "title": "公示",
            "body": "拖延",
            "complaints": [c.pk for c in delayed_cases],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.post(f"/api/supervision/notices/{pk}/publish")
    assert r.status_code == 200 and r.json()["status"] == "published"
    client.force_login(city_handler)
    assert client.get(f"/api/supervision/notices/{pk}").status_code == 200
    client.force_login(outsider_in_another_province)
    assert client.get(f"/api/supervision/notices/{pk}").status_code == 404
    r = client.post(
        "/api/supervision/notices",
        {"department": gz_sales.pk},
        content_type="application/json",
    )
    assert r.status_code == 422


def test_publishing_is_written_to_the_security_audit_log_after_commit(
    province_cs_head, gz_sales, delayed_cases, django_capture_on_commit_callbacks
):
    from kesu.audit.models import AuditRecord

    notice = _draft(province_cs_head, gz_sales, delayed_cases)
    with django_capture_on_commit_callbacks(execute=True):
        public_notice_publish(user=province_cs_head, notice=notice)
    row = AuditRecord.objects.get(action="supervision.public_notice_published")
    assert row.object_id == str(notice.pk) and row.user_id == province_cs_head.pk
