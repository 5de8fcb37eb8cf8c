"""Acting on a case through the API: one endpoint per action, optimistic
concurrency (409 on a stale version), refusals as clear 4xx, and 404 on
every action for a user outside the case's companies (issue 3 items 4, 6)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from kesu.complaints.models import Event, Investigation, State
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department

from .factories import ComplaintFactory, advance, closing_fields, decision_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org):
    return ComplaintFactory(owning_company=org["gz"])


def act(client, case, action, body=None, **headers):
    return client.post(
        f"/api/complaints/{case.pk}/{action}",
        body or {},
        content_type="application/json",
        headers=headers,
    )


def test_a_city_walks_a_case_from_acceptance_to_the_archive(
    client, case, org, city_handler, city_sales_coordinator
):
    client.force_login(city_handler)
    r = act(client, case, "accept", {"note": "受理", "version": case.version})
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "accepted"
    assert "dispatch" in r.json()["allowed_actions"]
    assert (
        act(client, case, "opinion", {"opinion": "建议核实销售过程"}).status_code == 200
    )
    sales = department(org["gz"], K.INDIVIDUAL_SALES)
    r = act(
        client, case, "dispatch", {"department_id": sales.pk, "instructions": "核实"}
    )
    assert r.json()["state"] == "investigating"
    inv = r.json()["investigation_id"]

    client.force_login(city_sales_coordinator)
    r = act(
        client,
        case,
        f"investigations/{inv}/answer",
        {"finding": "业务员未充分说明", "proposed_resolution": "协商退费"},
    )
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "reviewing"

    client.force_login(city_handler)
    assert act(client, case, f"investigations/{inv}/accept").status_code == 200
    r = act(client, case, "reply", decision_fields())
    assert r.json()["state"] == "replied", r.json()
    r = act(client, case, "close", closing_fields())
    assert r.json()["state"] == "closed", r.json()
    assert act(client, case, "follow-ups", {"result": "satisfied"}).status_code == 200
    r = act(client, case, "archive")
    assert r.json()["state"] == "archived"
    assert r.json()["allowed_actions"] == []

    detail = client.get(f"/api/complaints/{case.pk}").json()
    assert detail["closing"]["liability"] == "liable"
    assert detail["decisions"][0]["remedies"]
    assert detail["investigations"][0]["finding"] == "业务员未充分说明"
    actions = list(
        Event.objects.filter(complaint=case).values_list("action", flat=True)
    )
    assert actions == [
        "register",
        "accept",
        "preliminary_opinion",
        "dispatch",
        "answer",
        "accept_finding",
        "reply",
        "close",
        "record_follow_up",
        "archive",
    ]


def test_a_stale_version_is_a_409_and_nothing_changes(client, case, city_handler):
    client.force_login(city_handler)
    seen = client.get(f"/api/complaints/{case.pk}")
    etag = seen["ETag"]
    assert act(client, case, "accept", **{"If-Match": etag}).status_code == 200
    r = act(
        client,
        case,
        "regrade",
        {"grade": "major", "reason": "影响大"},
        **{"If-Match": etag},
    )
    assert r.status_code == 409
    assert r.json()["detail"] == "案件已被他人修改，请刷新后重试"
    case.refresh_from_db()
    assert case.grade == "ordinary"
    r = act(client, case, "regrade", {"grade": "major", "version": 1})
    assert r.status_code == 409


def test_a_conflict_message_is_english_on_request(client, case, city_handler):
    client.force_login(city_handler)
    r = act(client, case, "accept", {"version": 99}, **{"Accept-Language": "en"})
    assert r.status_code == 409
    assert r.json()["detail"] == (
        "Someone else changed this case first; reload and try again"
    )


def test_a_malformed_if_match_is_a_400(client, case, city_handler):
    client.force_login(city_handler)
    r = act(client, case, "accept", **{"If-Match": "yesterday"})
    assert r.status_code == 400
    assert r.json()["field"] == "If-Match"


def test_accepting_twice_is_a_conflict_on_state(client, case, city_handler):
    client.force_login(city_handler)
    assert act(client, case, "accept").status_code == 200
    r = act(client, case, "accept")
    assert r.status_code == 409
    assert "已受理" in r.json()["detail"]


def test_a_clerk_may_not_accept(client, case, city_clerk):
    client.force_login(city_clerk)
    r = act(client, case, "accept")
    assert r.status_code == 403
    assert r.json()["detail"]
    assert Event.objects.filter(complaint=case).count() == 1


def test_a_city_cannot_dispatch_claims_the_province_centralises(
    client, case, org, city_handler
):
    client.force_login(city_handler)
    act(client, case, "accept")
    claims = department(org["gz"], K.CLAIMS)
    r = act(client, case, "dispatch", {"department_id": claims.pk})
    assert r.status_code == 400
    assert r.json()["field"] == "department"
    assert r.json()["refer_up"] is True
    assert not Investigation.objects.exists()


def test_an_unknown_department_is_a_400(client, case, city_handler):
    client.force_login(city_handler)
    act(client, case, "accept")
    r = act(client, case, "dispatch", {"department_id": 987654})
    assert (r.status_code, r.json()["field"]) == (400, "department_id")


def test_missing_action_fields_are_a_422(client, case, city_handler):
    client.force_login(city_handler)
    r = act(client, case, "decline", {"ground": "not_by_consumer"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["reason"]


def test_an_investigation_of_another_case_is_404(
    client, org, city_handler, city_sales_coordinator
):
    mine = advance(
        ComplaintFactory(owning_company=org["gz"]),
        State.INVESTIGATING,
        coordinator=city_sales_coordinator,
    )
    other = ComplaintFactory(owning_company=org["gz"])
    inv = mine.investigations.get()
    client.force_login(city_sales_coordinator)
    r = act(client, other, f"investigations/{inv.pk}/answer", {"finding": "x"})
    assert r.status_code == 404


def test_a_city_proposes_closure_of_a_regulator_case_and_the_province_confirms(
    client, org, city_handler, province_cs_head
):
    case = advance(
        ComplaintFactory(owning_company=org["gz"], source="regulator"),
        State.REPLIED,
        handler=city_handler,
    )
    client.force_login(city_handler)
    r = act(client, case, "close", closing_fields())
    assert r.status_code == 403
    assert "S6.9" in r.json()["detail"]
    r = act(client, case, "propose-closure", closing_fields())
    assert r.json()["state"] == "closure_proposed"
    client.force_login(province_cs_head)
    r = act(client, case, "confirm-closure")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "closed"


def test_get_never_changes_a_case(client, case, city_handler):
    client.force_login(city_handler)
    before = Event.objects.count()
    assert client.get(f"/api/complaints/{case.pk}/accept").status_code in (404, 405)
    client.get(f"/api/complaints/{case.pk}")
    client.get(f"/api/complaints/{case.pk}/events")
    case.refresh_from_db()
    assert (case.state, case.version, Event.objects.count()) == (
        State.REGISTERED,
        1,
        before,
    )


ACTIONS = [
    "accept",
    "decline",
    "transfer",
    "assign",
    "regrade",
    "opinion",
    "dispatch",
    "investigations/1/answer",
    "investigations/1/return",
    "investigations/1/accept",
    "refer-up",
    "referrals/1/answer",
    "hand-down",
    "extensions",
    "extensions/approve",
    "extensions/reject",
    "pause",
    "resume",
    "merge",
    "reply",
    "close",
    "propose-closure",
    "confirm-closure",
    "reject-closure",
    "follow-ups",
    "reopen",
    "review-request",
    "withdraw",
    "archive",
    "request-supervision",
    "supervision-opinion",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_is_404_for_another_province(
    client, case, outsider_in_another_province, action
):
    client.force_login(outsider_in_another_province)
    body = {
        "note": "x",
        "reason": "x",
        "ground": "not_by_consumer",
        "to_company_id": 1,
        "handler_id": 1,
        "grade": "major",
        "opinion": "x",
        "department_id": 1,
        "finding": "x",
        "guidance": "x",
        "kind": "guidance",
        "complainant_notified": True,
        "into_id": case.pk,
        "result": "satisfied",
        **decision_fields(),
    }
    body["result"] = "satisfied" if action == "follow-ups" else body["result"]
    r = act(client, case, action, body)
    assert r.status_code == 404, (action, r.json())
    assert Event.objects.filter(complaint=case).count() == 1


def test_every_action_endpoint_is_covered_by_the_scope_test(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    prefix = "/api/complaints/{complaint_id}/"
    posted = {
        p[len(prefix) :]
        for p, ops in paths.items()
        if p.startswith(prefix) and "post" in ops
    }
    posted = {
        p.replace("{investigation_id}", "1").replace("{referral_id}", "1")
        for p in posted
    }
    assert posted - {"reveal", "attachments"} == set(ACTIONS)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_handlers_closing_the_same_case_at_once_one_wins(
    org, city_handler, city_cs_head
):
    case = advance(
        ComplaintFactory(owning_company=org["gz"]), State.REPLIED, handler=city_handler
    )
    results = []
    barrier = threading.Barrier(2)

    def close(user):
        try:
            browser = Client()
            browser.force_login(user)
            barrier.wait()
            results.append(act(browser, case, "close", closing_fields()).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=close, args=(u,)) for u in (city_handler, city_cs_head)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    assert Event.objects.filter(complaint=case, action="close").count() == 1
