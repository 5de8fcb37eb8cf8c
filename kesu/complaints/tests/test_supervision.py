"""S5.5: cases whose finding differs greatly from the complaint, and
escalated complaints, are supervised by head office's customer service."""

import pytest

from kesu.complaints import services as s
from kesu.complaints.access import complaint_scope
from kesu.complaints.api_list import ComplaintFilters, apply_filters
from kesu.complaints.lifecycle import Action, allowed_actions
from kesu.complaints.models import Event, State
from kesu.errors import Forbidden, NotFound
from kesu.notifications.models import Outbox

from .factories import ComplaintFactory, advance, register

pytestmark = pytest.mark.django_db


def test_a_city_puts_a_finding_that_differs_greatly_under_head_office(
    org, city_handler, head_office_handler, city_sales_coordinator
):
    case = advance(
        ComplaintFactory(owning_company=org["gz"]),
        State.REVIEWING,
        handler=city_handler,
        coordinator=city_sales_coordinator,
    )
    assert Action.REQUEST_SUPERVISION in allowed_actions(city_handler, case)
    assert Action.GIVE_SUPERVISION_OPINION not in allowed_actions(
        head_office_handler, case
    )

    case = s.complaint_request_supervision(
        complaint=case,
        actor=city_handler,
        reason="部门认定无销售误导，投诉人提供的录音显示夸大收益",
    )
    assert case.supervised_by_head_office and case.state == State.REVIEWING
    alert = Outbox.objects.get(kind="complaint.supervision")
    assert alert.recipient_company == org["ho"]
    assert alert.payload["number"] == case.number
    # asked once only
    assert Action.REQUEST_SUPERVISION not in allowed_actions(city_handler, case)

    supervised = apply_filters(
        complaint_scope(head_office_handler),
        head_office_handler,
        ComplaintFilters(supervised=True),
    )
    assert list(supervised) == [case]

    s.complaint_give_supervision_opinion(
        complaint=case, actor=head_office_handler, opinion="请以录音为准重新认定责任"
    )
    history = Event.objects.filter(complaint=case).order_by("id")
    last = history.last()
    assert last.action == Action.GIVE_SUPERVISION_OPINION
    assert last.note == "请以录音为准重新认定责任"
    assert last.actor == head_office_handler
    assert last in history.filter(complaint__in=complaint_scope(city_handler))


def test_the_city_cannot_give_the_supervision_opinion_itself(
    org, city_handler, city_sales_coordinator
):
    case = advance(
        ComplaintFactory(owning_company=org["gz"]),
        State.REVIEWING,
        handler=city_handler,
        coordinator=city_sales_coordinator,
    )
    case = s.complaint_request_supervision(
        complaint=case, actor=city_handler, reason="差异较大"
    )
    with pytest.raises(Forbidden):
        s.complaint_give_supervision_opinion(
            complaint=case, actor=city_handler, opinion="自行督办"
        )


def test_another_province_cannot_request_supervision_of_the_case(
    org, city_handler, outsider_in_another_province
):
    case = advance(
        ComplaintFactory(owning_company=org["gz"]), State.ACCEPTED, handler=city_handler
    )
    with pytest.raises(NotFound):
        s.complaint_request_supervision(
            complaint=case, actor=outsider_in_another_province, reason="差异较大"
        )


def test_an_escalated_complaint_is_supervised_by_head_office_from_registration(
    org, city_clerk, head_office_handler
):
    escalated = register(city_clerk, escalated=True).complaint
    ordinary = register(city_clerk).complaint
    assert escalated.supervised_by_head_office
    assert not ordinary.supervised_by_head_office
    event = Event.objects.get(complaint=escalated, action=Action.REGISTER)
    assert event.data["supervised_by_head_office"] is True
    # head office may give its opinion straight away, in any open state
    s.complaint_give_supervision_opinion(
        complaint=escalated, actor=head_office_handler, opinion="请三日内联系投诉人"
    )


def test_head_office_sees_supervised_cases_through_the_api(
    client, org, city_handler, head_office_handler, outsider_in_another_province
):
    case = advance(
        ComplaintFactory(owning_company=org["gz"]), State.ACCEPTED, handler=city_handler
    )
    ComplaintFactory(owning_company=org["gz"])  # not supervised
    url = f"/api/complaints/{case.pk}"

    client.force_login(outsider_in_another_province)
    r = client.post(
        f"{url}/request-supervision",
        {"reason": "差异较大"},
        content_type="application/json",
    )
    assert r.status_code == 404

    client.force_login(city_handler)
    r = client.post(
        f"{url}/request-supervision",
        {"reason": "调查结果与投诉差异较大"},
        content_type="application/json",
        headers={"If-Match": f'"{case.version}"'},
    )
    assert r.status_code == 200, r.json()
    assert Action.REQUEST_SUPERVISION not in r.json()["allowed_actions"]
    stale = client.post(
        f"{url}/request-supervision",
        {"reason": "再次", "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409

    client.force_login(head_office_handler)
    listed = client.get("/api/complaints/", {"supervised": "true"}).json()
    assert [c["number"] for c in listed["items"]] == [case.number]
    assert listed["items"][0]["supervised_by_head_office"] is True
    assert client.get(url).json()["supervised_by_head_office"] is True
    r = client.post(
        f"{url}/supervision-opinion",
        {"opinion": "请重新认定"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()

    client.force_login(outsider_in_another_province)
    r = client.post(
        f"{url}/supervision-opinion", {"opinion": "x"}, content_type="application/json"
    )
    assert r.status_code == 404
    assert (
        Event.objects.filter(
            complaint=case, action=Action.GIVE_SUPERVISION_OPINION
        ).count()
        == 1
    )
