"""A2–A4, B4: password rules, lockout, session lifetime and ending sessions."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from kesu.audit.models import AuditRecord
from kesu.security.forms import GENERIC_LOGIN_ERROR

from .conftest import password_login

pytestmark = pytest.mark.django_db

# A page any signed-in user may open: 200 when signed in, 302 to login if not.
PROBE = "/security/password/"


def test_production_hashes_passwords_with_argon2():
    from kesu import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def _errors(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


def test_short_common_and_single_class_passwords_are_refused(city_clerk):
    assert "password_too_short" in _errors("Ab1!", city_clerk)
    assert "password_too_common" in _errors("password1234", city_clerk)
    assert "password_too_few_classes" in _errors("onlylowercaseletters", city_clerk)
    assert _errors("Tianhe-Road-2026", city_clerk) == []


def test_character_classes_rule_can_be_switched_off(settings, city_clerk):
    settings.AUTH_PASSWORD_VALIDATORS = [
        v
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if not v["NAME"].endswith("CharacterClassesValidator")
    ]
    assert _errors("onlylowercaseletters", city_clerk) == []


def test_the_last_five_passwords_cannot_be_reused(city_clerk):
    for n in range(5):
        city_clerk.set_password(f"Guangzhou-Pass-{n}")
        city_clerk.save()
    assert "password_reused" in _errors("Guangzhou-Pass-1", city_clerk)
    assert "password_reused" in _errors("Guangzhou-Pass-4", city_clerk)
    city_clerk.set_password("Guangzhou-Pass-5")
    city_clerk.save()
    assert _errors("Guangzhou-Pass-0", city_clerk) == []  # sixth back: allowed


def test_wrong_user_and_wrong_password_get_the_same_message(client, city_clerk):
    unknown = password_login(client, "nobody_here", "Whatever-2026!")
    wrong = password_login(client, "gz_clerk", "Wrong-Password-1")
    assert unknown.status_code == wrong.status_code == 200
    assert str(GENERIC_LOGIN_ERROR) in unknown.content.decode()
    assert str(GENERIC_LOGIN_ERROR) in wrong.content.decode()
    assert AuditRecord.objects.filter(action="auth.login_failed").count() == 2


def test_five_failures_lock_the_account_for_thirty_minutes(client, city_clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            password_login(client, "gz_clerk", "Wrong-Password-1")
        locked = password_login(client, "gz_clerk")  # the right password
    assert "_auth_user_id" not in client.session
    assert str(GENERIC_LOGIN_ERROR) in locked.content.decode()
    assert AuditRecord.objects.filter(action="auth.locked_out").exists()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert password_login(client, "gz_clerk").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert password_login(client, "gz_clerk").status_code == 302
    assert "_auth_user_id" in client.session


def test_login_rotates_the_session_key_and_is_audited(client, city_clerk):
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    assert password_login(client, "gz_clerk").status_code == 302
    assert client.session.session_key != before
    login = AuditRecord.objects.get(action="auth.login")
    assert login.user_id == city_clerk.pk and login.ip == "127.0.0.1"


def test_an_idle_session_ends_after_thirty_minutes(client, city_clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "gz_clerk")
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(PROBE).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get(PROBE)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert AuditRecord.objects.filter(action="auth.session_expired").exists()


def test_a_session_ends_after_twelve_hours_even_when_active(client, city_clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "gz_clerk")
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(PROBE).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert client.get(PROBE).status_code == 302


def test_an_expired_api_session_gets_401(client, audit_admin, settings):
    settings.KESU_2FA_FOR_ALL = False
    client.force_login(audit_admin)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(PROBE)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get("/api/audit/records").status_code == 401


@pytest.fixture(params=["db", "cached_db"])
def session_engine(request, settings):
    """Sessions in the database (embedded default) or read from the cache and
    written through (production, with Redis): ending one ends it in both."""
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"


def test_logout_ends_every_session_of_the_user(city_clerk, session_engine):
    laptop, phone = Client(), Client()
    password_login(laptop, "gz_clerk")
    password_login(phone, "gz_clerk")
    assert phone.get(PROBE).status_code == 200
    laptop.post("/logout/")
    assert phone.get(PROBE).status_code == 302


def test_deactivation_ends_sessions_and_api_tokens_at_once(
    client, city_clerk, org, session_engine
):
    from kesu.accounts.models import ApiClient
    from kesu.apiauth import token_issue

    api_client = ApiClient.objects.create(
        name="95519", company=org["gz"], acting_user=city_clerk, token_hash="x"
    )
    token = token_issue(client=api_client)
    password_login(client, "gz_clerk")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/audit/records", **auth).status_code == 404  # known
    city_clerk.is_active = False
    city_clerk.save(update_fields=["is_active"])
    assert client.get(PROBE).status_code == 302
    assert Client().get("/api/audit/records", **auth).status_code == 401


def test_changing_the_password_ends_the_other_sessions(city_clerk, session_engine):
    here, elsewhere = Client(), Client()
    password_login(here, "gz_clerk")
    password_login(elsewhere, "gz_clerk")
    response = here.post(
        "/security/password/",
        {
            "old_password": "Kesu-Demo-2026!",
            "new_password1": "Baiyun-Airport-77",
            "new_password2": "Baiyun-Airport-77",
        },
    )
    assert response.status_code == 302
    assert here.get(PROBE).status_code == 200
    assert elsewhere.get(PROBE).status_code == 302


def test_an_expired_password_must_be_changed_before_anything_else(client, city_clerk):
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        password_login(client, "gz_clerk")
        response = client.get("/audit/")
        assert response.status_code == 302
        assert response["Location"] == "/security/password/"
        assert client.get("/api/audit/records").status_code == 403
        assert client.get("/security/password/").status_code == 200
        client.post(
            "/security/password/",
            {
                "old_password": "Kesu-Demo-2026!",
                "new_password1": "Pearl-River-2026",
                "new_password2": "Pearl-River-2026",
            },
        )
        assert client.get("/audit/").status_code == 404  # through the gate


def test_password_expiry_can_be_switched_off(client, city_clerk, settings):
    settings.KESU_PASSWORD_MAX_AGE_DAYS = 0
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        password_login(client, "gz_clerk")
        assert client.get("/audit/").status_code == 404  # not sent to change it
