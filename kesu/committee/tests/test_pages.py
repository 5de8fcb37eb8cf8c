"""One end-to-end page test per committee feature."""

import datetime as dt

import pytest
from django.urls import reverse

from kesu.committee.models import Circular, Deliberation, JointMeeting
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.supervision.tests.factories import closed_case

pytestmark = pytest.mark.django_db


def test_circular_pages(client, org, committee_member, city_handler, gd_sales):
    case = ComplaintFactory(owning_company=org["gz"], escalated=True)
    client.force_login(committee_member)
    r = client.get(reverse("committee:circulars"))
    assert r.status_code == 200 and case.number in r.content.decode()  # proposed
    r = client.post(
        reverse("committee:circulars"),
        {
            "kind": "escalation",
            "department": gd_sales.pk,
            "title": "通报",
            "body": "内容",
            "cases": case.number,
        },
    )
    assert r.status_code == 302, r.content.decode()
    circular = Circular.objects.get()
    client.post(reverse("committee:circular_issue", args=[circular.pk]))
    client.force_login(city_handler)
    assert client.get(circular.get_absolute_url()).status_code == 200


def test_meeting_pages(client, org, province_cs_head, outsider_in_another_province):
    client.force_login(province_cs_head)
    r = client.post(
        reverse("committee:meetings"),
        {"scheduled_for": "2026-12-15T09:30", "location": "三楼"},
    )
    assert r.status_code == 302, r.content.decode()
    meeting = JointMeeting.objects.get()
    assert (
        client.post(reverse("committee:meeting_figures", args=[meeting.pk])).status_code
        == 302
    )
    department = org["gd"].departments.first()
    r = client.post(
        meeting.get_absolute_url(),
        {
            "departments": [department.pk],
            "attendees": [province_cs_head.pk],
            "minutes": "纪要",
            "decisions": "决定",
        },
    )
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.figures
    client.force_login(outsider_in_another_province)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_deliberation_pages(
    client,
    org,
    province_cs_head,
    committee_member,
    claims_coordinator,
    gd_claims,
    gd_sales,
):
    case = closed_case(org["gd"], closed_on=dt.date(2026, 11, 2), cause="claims")
    client.force_login(province_cs_head)
    r = client.post(
        reverse("committee:deliberations"),
        {
            "case": case.number,
            "kind": "liability_dispute",
            "question": "争议",
            "departments": [gd_claims.pk, gd_sales.pk],
        },
    )
    assert r.status_code == 302, r.content.decode()
    item = Deliberation.objects.get()
    client.force_login(claims_coordinator)
    client.post(
        reverse("committee:deliberation_act", args=[item.pk, "opinion"]),
        {"text": "无责"},
    )
    client.force_login(committee_member)
    r = client.post(
        reverse("committee:deliberation_act", args=[item.pk, "decide"]),
        {
            "decision": "有责",
            "liability": "liable",
            "cause": "mis_selling",
            "responsible_link": "sales",
        },
    )
    assert r.status_code == 302
    assert Complaint.objects.get(pk=case.pk).ruled_by_committee
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="ruling"' in page and "无责" in page  # the opinion is shown
