"""Registering complaints through the API: session with CSRF or a client
token, Idempotency-Key replays (G3), and clear 4xx errors in Chinese or
English (issue 3 items 4 and 6)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from kesu.apiauth import api_client_create
from kesu.complaints.models import Complaint, IdempotencyKey

pytestmark = pytest.mark.django_db

BODY = {
    "channel": "95519",
    "complainant": {
        "name": "王小明",
        "id_number": "44010119900307123X",
        "phone": "13812345678",
    },
    "policy_number": "P0000012345",
    "facts": "理赔申请提交三十日未获答复。",
    "demand": "尽快赔付。",
    "business_category": "claims",
}


def post(client, body=None, **headers):
    return client.post(
        "/api/complaints/",
        body or BODY,
        content_type="application/json",
        headers=headers,
    )


def test_a_clerk_registers_a_complaint_owned_by_their_company(client, city_clerk):
    client.force_login(city_clerk)
    response = post(client)
    assert response.status_code == 201
    body = response.json()
    assert body["number"].startswith("TS-GDGZ-")
    assert body["state"] == "registered"
    assert body["owning_company"]["code"] == "GDGZ"
    assert body["complainant"]["phone"] == "138****5678"
    assert body["replayed"] is False
    assert body["deadline"]["days_left"] >= 14


def test_a_retry_with_the_same_idempotency_key_returns_the_first_case(
    client, city_clerk
):
    client.force_login(city_clerk)
    first = post(client, **{"Idempotency-Key": "cc-20260302-0001"})
    again = post(client, **{"Idempotency-Key": "cc-20260302-0001"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["replayed"] is True
    assert Complaint.objects.count() == 1
    assert IdempotencyKey.objects.get().complaint_id == first.json()["id"]


def test_the_same_key_with_a_different_body_is_refused(client, city_clerk):
    client.force_login(city_clerk)
    post(client, **{"Idempotency-Key": "k1"})
    response = post(client, BODY | {"demand": "另一诉求"}, **{"Idempotency-Key": "k1"})
    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
    assert Complaint.objects.count() == 1


def test_a_failed_create_does_not_burn_the_key(client, city_clerk):
    client.force_login(city_clerk)
    bad = post(
        client, BODY | {"channel": "carrier-pigeon"}, **{"Idempotency-Key": "k2"}
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "channel"
    assert not IdempotencyKey.objects.exists()
    assert post(client, **{"Idempotency-Key": "k2"}).status_code == 201


def test_missing_fields_are_a_422_naming_each_field(client, city_clerk):
    client.force_login(city_clerk)
    response = post(client, {"channel": "phone", "complainant": {"name": ""}})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"facts", "demand", "complainant.name"} <= fields
    assert "19900307" not in response.content.decode()


def test_a_body_that_is_not_json_is_a_400(client, city_clerk):
    client.force_login(city_clerk)
    response = client.post(
        "/api/complaints/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_errors_are_in_english_on_request(client, city_clerk):
    client.force_login(city_clerk)
    response = post(
        client, BODY | {"channel": "carrier-pigeon"}, **{"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "code table" in response.json()["detail"]
    response = client.get("/api/complaints/999999", headers={"Accept-Language": "en"})
    assert response.json()["detail"] == "Complaint not found"
    assert Client().get(
        "/api/complaints/", headers={"Accept-Language": "en"}
    ).json() == {"detail": "Please sign in"}


def test_errors_are_in_chinese_by_default(client, city_clerk):
    client.force_login(city_clerk)
    assert client.get("/api/complaints/999999").json()["detail"] == "未找到该投诉案件"


# --- authentication ---


def test_a_session_post_without_the_csrf_token_is_refused(city_clerk):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city_clerk)
    response = post(browser)
    assert response.status_code == 403
    assert Complaint.objects.count() == 0
    assert browser.get("/api/complaints/").status_code == 200  # GET needs no token
    secret = "k" * 32
    browser.cookies["csrftoken"] = secret
    response = post(browser, **{"X-CSRFToken": secret})
    assert response.status_code == 201


def test_a_call_centre_files_complaints_with_its_token(city_clerk):
    client, token = api_client_create(name="95519 呼叫中心", acting_user=city_clerk)
    response = post(Client(enforce_csrf_checks=True), Authorization=f"Bearer {token}")
    assert response.status_code == 201
    case = Complaint.objects.get()
    assert case.api_client == client
    assert case.registered_by == city_clerk


def test_a_wrong_or_disabled_token_is_401(city_clerk):
    client, token = api_client_create(name="监管转办接口", acting_user=city_clerk)
    assert post(Client(), Authorization="Bearer ks_wrong").status_code == 401
    client.is_active = False
    client.save(update_fields=["is_active"])
    assert post(Client(), Authorization=f"Bearer {token}").status_code == 401
    assert Complaint.objects.count() == 0


def test_a_token_only_stores_its_hash(city_clerk):
    client, token = api_client_create(name="x", acting_user=city_clerk)
    assert token not in (client.token_hash, client.token_prefix)
    assert len(client.token_hash) == 64


# --- concurrency (PostgreSQL only) ---


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_with_one_key_make_one_case(city_clerk):
    _, token = api_client_create(name="cc", acting_user=city_clerk)
    results = []
    barrier = threading.Barrier(6)

    def send():
        try:
            barrier.wait()
            r = post(
                Client(),
                Authorization=f"Bearer {token}",
                **{"Idempotency-Key": "same-key"},
            )
            results.append((r.status_code, r.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Complaint.objects.count() == 1
    assert {code for code, _ in results} <= {200, 201, 409}
    assert [code for code, _ in results].count(201) == 1
    assert {i for code, i in results if code in (200, 201)} == {
        Complaint.objects.get().pk
    }


def test_a_security_administrator_issues_a_client_token_in_the_admin(
    client, org, city_clerk
):
    from kesu.accounts.models import ApiClient
    from kesu.accounts.roles import Role
    from kesu.accounts.tests.factories import make_user

    admin_user = make_user("sec_admin", org["ho"], [Role.SECURITY_ADMIN], is_staff=True)
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/apiclient/add/",
        {"name": "95519 呼叫中心", "acting_user": city_clerk.pk, "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    token = shown[0].rsplit("：", 1)[1]
    stored = ApiClient.objects.get()
    assert stored.company == city_clerk.company
    response = post(Client(), Authorization=f"Bearer {token}")
    assert response.status_code == 201


def test_text_with_a_nul_character_is_a_422_never_a_500(client, city_clerk):
    client.force_login(city_clerk)
    response = post(client, BODY | {"facts": "理赔\x00拖延"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "facts"
    response = client.get("/api/complaints/", {"q": "a\x00b"})
    assert response.status_code == 422
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("complained_about", [False, True])
def test_the_answer_to_a_creation_is_the_new_case_as_its_detail_shows_it(
    client, city_handler, complained_about
):
    """Issue 8: the answer is built from what was just written (nothing is
    read back), and says exactly what the detail endpoint says of the case,
    allowed actions included (R1.4: a handler complained about must recuse)."""
    client.force_login(city_handler)
    body = dict(
        BODY, complained_staff_ids=[city_handler.pk] if complained_about else []
    )

    created = post(client, body).json()
    detail = client.get(f"/api/complaints/{created['id']}").json()

    for key in ("warnings", "replayed"):
        created.pop(key)
    assert created == detail
    assert ("accept" in detail["allowed_actions"]) is not complained_about
