"""Every supervision and committee endpoint answers 404 for an object of
another province (existence does not leak), never 403 or 500."""

import datetime as dt

import pytest
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.committee.services.circulars import circular_draft
from kesu.committee.services.deliberations import deliberation_propose
from kesu.committee.services.meetings import joint_meeting_schedule
from kesu.supervision.periods import Period
from kesu.supervision.services.notices import public_notice_draft
from kesu.supervision.services.rectification import rectification_open
from kesu.supervision.services.sampling import satisfaction_sample_draw
from kesu.supervision.services.vexatious import vexatious_mark
from kesu.supervision.tests.factories import at, closed_case, investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def gd_objects(
    org, province_cs_head, committee_member, city_handler, gd_sales, gd_claims
):
    today = timezone.localdate()
    case = closed_case(
        org["gz"],
        closed_on=today - dt.timedelta(days=1),
        liability="liable",
        escalated=True,
    )
    gd_case = closed_case(org["gd"], closed_on=today - dt.timedelta(days=1))
    investigation(gd_case, gd_sales, dispatched=today, due=today, by=city_handler)
    owner = make_user(
        "gd_sales_owner", org["gd"], [Role.COORDINATOR], department=gd_sales
    )
    period = Period(today - dt.timedelta(days=5), today)
    sample = satisfaction_sample_draw(user=province_cs_head, period=period, size=1)
    return {
        "notice": public_notice_draft(
            user=province_cs_head,
            department_id=gd_sales.pk,
            title="t",
            body="b",
            complaint_ids=[gd_case.pk],
        ),
        "sample": sample,
        "item": sample.items.first(),
        "vexatious": vexatious_mark(
            user=province_cs_head,
            complainant_id=case.complainant_id,
            reasons="r",
            evidence="e",
        ),
        "rectification": rectification_open(
            user=province_cs_head,
            department_id=gd_sales.pk,
            complaint_ids=[case.pk],
            owner_id=owner.pk,
            action="a",
            due_date=today + dt.timedelta(days=3),
        ),
        "circular": circular_draft(
            user=committee_member,
            kind="escalation",
            title="t",
            body="b",
            complaint_ids=[case.pk],
            department_id=gd_sales.pk,
        ),
        "meeting": joint_meeting_schedule(
            user=committee_member, scheduled_for=at(today)
        ),
        "deliberation": deliberation_propose(
            user=province_cs_head,
            complaint_id=gd_case.pk,
            kind="liability_dispute",
            question="q",
            department_ids=[gd_claims.pk, gd_sales.pk],
        ),
    }


def test_every_endpoint_hides_another_provinces_objects(client, org, gd_objects):
    o = gd_objects
    outsider = make_user(
        "nj_head",
        org["nj"],
        [Role.CS_HEAD, Role.COMMITTEE_MEMBER],
        department=org["nj"].departments.first(),
    )
    client.force_login(outsider)
    s, c = "/api/supervision", "/api/committee"
    gets = [
        f"{s}/notices/{o['notice'].pk}",
        f"{s}/samples/{o['sample'].pk}",
        f"{s}/vexatious/check?complainant={o['vexatious'].complainant_id}",
        f"{s}/rectifications/{o['rectification'].pk}",
        f"{s}/figures?company={org['gd'].pk}",
        f"{s}/feed?company={org['gd'].pk}",
        f"{s}/revisions?company={org['gd'].pk}",
        f"{c}/circulars/{o['circular'].pk}",
        f"{c}/meetings/{o['meeting'].pk}",
        f"{c}/deliberations/{o['deliberation'].pk}",
    ]
    posts = [
        (f"{s}/notices/{o['notice'].pk}/publish", {}),
        (
            f"{s}/samples/{o['sample'].pk}/items/{o['item'].pk}/result",
            {"result": "satisfied"},
        ),
        (f"{s}/vexatious/{o['vexatious'].pk}/unmark", {"text": "x"}),
        (f"{s}/rectifications/{o['rectification'].pk}/report", {"text": "x"}),
        (f"{s}/rectifications/{o['rectification'].pk}/close", {"text": "x"}),
        (f"{s}/rectifications/{o['rectification'].pk}/return", {"text": "x"}),
        (f"{c}/circulars/{o['circular'].pk}/issue", {}),
        (f"{c}/meetings/{o['meeting'].pk}/figures", {}),
        (
            f"{c}/meetings/{o['meeting'].pk}/record",
            {"departments": [1], "minutes": "m"},
        ),
        (f"{c}/deliberations/{o['deliberation'].pk}/opinions", {"text": "x"}),
        (f"{c}/deliberations/{o['deliberation'].pk}/decide", {"decision": "x"}),
        (f"{c}/deliberations/{o['deliberation'].pk}/follow-up", {"note": "x"}),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, body in posts:
        r = client.post(url, body, content_type="application/json")
        assert r.status_code == 404, (url, r.status_code, r.content)
