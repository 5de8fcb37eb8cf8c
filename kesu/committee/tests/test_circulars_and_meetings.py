"""S3.2 circulars; S3.1 joint meetings."""

import datetime as dt

import pytest
import time_machine

from kesu.committee.models import Circular, CommitteeEvent, JointMeeting
from kesu.committee.selectors.circulars import circular_proposals, circular_scope
from kesu.committee.selectors.meetings import joint_meetings_missing
from kesu.committee.services.circulars import circular_draft, circular_issue
from kesu.committee.services.meetings import (
    joint_meeting_prepare_figures,
    joint_meeting_record,
    joint_meeting_schedule,
)
from kesu.complaints.models import Grade
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.errors import Conflict, DomainValidationError, Forbidden
from kesu.supervision.periods import Period
from kesu.supervision.tests.factories import at, investigation

pytestmark = pytest.mark.django_db

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture
def escalated(org):
    return ComplaintFactory(
        owning_company=org["gz"], escalated=True, received_at=at(dt.date(2026, 11, 5))
    )


@pytest.fixture
def major(org):
    return ComplaintFactory(
        owning_company=org["gd"],
        grade=Grade.MAJOR,
        received_at=at(dt.date(2026, 11, 6)),
    )


def test_the_periods_escalated_and_major_complaints_are_proposed(
    org, province_cs_head, escalated, major
):
    ComplaintFactory(
        owning_company=org["gz"], escalated=True, received_at=at(dt.date(2026, 10, 5))
    )  # another period
    ComplaintFactory(
        owning_company=org["nj"], escalated=True, received_at=at(dt.date(2026, 11, 5))
    )  # another province
    found = circular_proposals(province_cs_head, period=NOV)
    assert found[Circular.Kind.ESCALATION] == [escalated]
    assert found[Circular.Kind.MAJOR_IMPACT] == [major]


def test_an_issued_circular_is_read_below_and_its_cases_are_no_longer_proposed(
    org,
    committee_member,
    city_handler,
    escalated,
    gd_sales,
    outsider_in_another_province,
):
    circular = circular_draft(
        user=committee_member,
        kind=Circular.Kind.ESCALATION,
        title="升级投诉通报",
        body="个险销售部处理迟缓导致投诉升级至监管",
        complaint_ids=[escalated.pk],
        department_id=gd_sales.pk,
        period=NOV,
    )
    assert circular not in circular_scope(city_handler)
    circular_issue(user=committee_member, circular=circular)
    assert circular in circular_scope(city_handler)
    assert circular not in circular_scope(outsider_in_another_province)
    assert (
        circular_proposals(committee_member, period=NOV)[Circular.Kind.ESCALATION] == []
    )
    with pytest.raises(Conflict):
        circular_issue(user=committee_member, circular=circular)
    assert list(
        CommitteeEvent.objects.filter(subject_id=circular.pk).values_list(
            "action", flat=True
        )
    ) == ["circular_drafted", "circular_issued"]


def test_an_escalation_circular_names_a_department_and_only_escalated_cases(
    committee_member, escalated, major, gd_sales
):
    with pytest.raises(DomainValidationError):
        circular_draft(
            user=committee_member,
            kind="escalation",
            title="t",
            body="b",
            complaint_ids=[escalated.pk],
        )
    with pytest.raises(DomainValidationError):
        circular_draft(
            user=committee_member,
            kind="escalation",
            title="t",
            body="b",
            complaint_ids=[major.pk],
            department_id=gd_sales.pk,
        )


def test_only_the_committee_office_issues_circulars(
    city_handler, management, escalated
):
    for user in (city_handler, management):
        with pytest.raises(Forbidden):
            circular_draft(
                user=user,
                kind="major_impact",
                title="t",
                body="b",
                complaint_ids=[escalated.pk],
            )


def test_circular_http(client, committee_member, escalated, gd_sales, city_handler):
    client.force_login(committee_member)
    r = client.get(
        "/api/committee/circulars/proposals",
        {"start": "2026-11-01", "end": "2026-11-30"},
    )
    assert r.status_code == 200 and r.json()[0]["complaint"]["id"] == escalated.pk
    r = client.post(
        "/api/committee/circulars",
        {
            "kind": "escalation",
            "title": "通报",
            "body": "内容",
            "department": gd_sales.pk,
            "complaints": [escalated.pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    client.force_login(city_handler)
    assert client.get(f"/api/committee/circulars/{pk}").status_code == 404  # a draft
    client.force_login(committee_member)
    assert client.post(f"/api/committee/circulars/{pk}/issue").status_code == 200
    client.force_login(city_handler)
    assert client.get(f"/api/committee/circulars/{pk}").status_code == 200


# --- S3.1 joint meetings -------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC), tick=False)
def test_a_joint_meeting_is_scheduled_prepared_and_recorded(
    org, province_cs_head, committee_member, gd_sales, gd_claims, city_handler
):
    case = ComplaintFactory(owning_company=org["gd"])
    investigation(
        case,
        gd_sales,
        dispatched=dt.date(2026, 8, 3),
        due=dt.date(2026, 8, 10),
        answered=dt.date(2026, 8, 7),
        by=city_handler,
    )
    meeting = joint_meeting_schedule(
        user=province_cs_head,
        scheduled_for=at(dt.date(2026, 12, 15)),
        location="省公司三楼会议室",
    )
    assert (meeting.year, meeting.half) == (2026, 2)
    with pytest.raises(Conflict):
        joint_meeting_schedule(
            user=committee_member, scheduled_for=at(dt.date(2026, 12, 20))
        )
    joint_meeting_prepare_figures(user=committee_member, meeting=meeting)
    row = next(f for f in meeting.figures if f["department_id"] == gd_sales.pk)
    assert row["cases"] == 1 and row["answered_on_time"] == 1
    joint_meeting_record(
        user=province_cs_head,
        meeting=meeting,
        attendee_ids=[committee_member.pk, province_cs_head.pk],
        department_ids=[gd_sales.pk, gd_claims.pk],
        minutes="通报下半年投诉情况",
        decisions="个险销售部限期整改",
    )
    assert meeting.status == JointMeeting.Status.HELD
    assert meeting.attendees.count() == 2
    with pytest.raises(Conflict):
        joint_meeting_prepare_figures(user=committee_member, meeting=meeting)


def test_a_half_year_that_ended_without_a_meeting_is_flagged(org, province_cs_head):
    with time_machine.travel(dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC), tick=False):
        meeting = joint_meeting_schedule(
            user=province_cs_head, scheduled_for=at(dt.date(2026, 3, 10))
        )
    with time_machine.travel(dt.datetime(2026, 7, 2, 2, tzinfo=dt.UTC), tick=False):
        missing = joint_meetings_missing(province_cs_head)
        assert (org["gd"], 2026, 1) in [
            (m["company"], m["year"], m["half"]) for m in missing
        ]  # scheduled, never held
        joint_meeting_record(
            user=province_cs_head,
            meeting=meeting,
            attendee_ids=[],
            department_ids=[org["gd"].departments.first().pk],
            minutes="纪要",
            decisions="",
        )
        codes = [m["company"].code for m in joint_meetings_missing(province_cs_head)]
        assert "GD" not in codes and "GDGZ" in codes


def test_meeting_http(client, province_cs_head, outsider_in_another_province):
    client.force_login(province_cs_head)
    r = client.post(
        "/api/committee/meetings",
        {"scheduled_for": "2026-12-15T09:00:00+08:00"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert client.post(f"/api/committee/meetings/{pk}/figures").status_code == 200
    r = client.post(
        f"/api/committee/meetings/{pk}/record",
        {"departments": [], "minutes": "x"},
        content_type="application/json",
    )
    assert r.status_code == 422
    client.force_login(outsider_in_another_province)
    assert client.get(f"/api/committee/meetings/{pk}").status_code == 404
