"""F1/A6/D1: production settings pass `check --deploy`; F2 CSRF; CSP and
no-store headers (D5); F5 rate limits answer 429 with Retry-After."""

import base64
import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from .conftest import password_login

ROOT = Path(__file__).resolve().parents[3]


def _production_env(**extra) -> dict[str, str]:
    key = lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()  # noqa: E731
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL",))}
    env.update(
        KESU_ENV="production",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kesu.example.com",
        KESU_FIELD_KEYS=f"k1:{key()}",
        KESU_BLIND_INDEX_KEY=key(),
        **extra,
    )
    return env


def _check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checklist():
    result = _check_deploy(
        _production_env(
            DATABASE_URL="postgres://kesu@db.example.com/kesu?sslmode=verify-full"
        )
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_an_unverified_database_link_fails_the_deploy_check():
    result = _check_deploy(_production_env(DATABASE_URL="postgres://kesu@db/kesu"))
    assert result.returncode != 0 and "kesu.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_field_keys():
    env = _production_env()
    del env["KESU_FIELD_KEYS"]
    result = _check_deploy(env)
    assert result.returncode != 0 and "KESU_FIELD_KEYS" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_scripts_and_no_store(client, city_clerk):
    password_login(client, "gz_clerk")
    response = client.get("/security/password/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_api_answers_are_not_stored(client, city_clerk):
    client.force_login(city_clerk)
    response = client.get("/api/audit/records")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_login_and_password_forms_need_a_csrf_token(city_clerk):
    client = Client(enforce_csrf_checks=True)
    assert password_login(client, "gz_clerk").status_code == 403
    client.force_login(city_clerk)
    response = client.post("/security/password/", {"old_password": "x"})
    assert response.status_code == 403


# the rate limiter counts in fixed windows: a burst must not cross one
IN_ONE_WINDOW = dt.datetime(2026, 3, 2, 4, 0, 10, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_api_answers_429_with_retry_after_over_the_quota(
    client, city_clerk, settings
):
    settings.KESU_API_RATE = "5/60"
    client.force_login(city_clerk)
    with time_machine.travel(IN_ONE_WINDOW, tick=False):  # fixed windows
        statuses = [client.get("/api/audit/records").status_code for _ in range(6)]
        assert statuses[:5] == [404] * 5 and statuses[5] == 429
        response = client.get("/api/audit/records")
    assert int(response["Retry-After"]) == 50


@pytest.mark.django_db
def test_login_attempts_from_one_ip_are_throttled(client, settings):
    settings.KESU_LOGIN_IP_RATE = "3/900"
    with time_machine.travel(IN_ONE_WINDOW, tick=False):
        statuses = [
            password_login(client, f"user{i}", "Wrong-Pass-123").status_code
            for i in range(4)
        ]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_unknown_api_urls_and_out_of_range_ids_answer_json_not_500(city_clerk):
    client = Client(raise_request_exception=False)
    client.force_login(city_clerk)
    unknown = client.get("/api/complaints/not-a-number/nowhere")
    assert unknown.status_code == 404 and unknown.json()["detail"]
    huge = client.get("/api/complaints/" + "9" * 30)
    assert huge.status_code in (404, 422)
    assert huge["Content-Type"].startswith("application/json")
