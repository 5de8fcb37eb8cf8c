"""A5: administrators need a TOTP code; a password alone gives no session;
codes are single-use."""

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kesu.audit.models import AuditRecord

from .conftest import password_login, totp_now

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_administrator_enrols_with_a_server_drawn_qr_code(client, system_admin):
    response = password_login(client, "sys_admin")
    assert response.status_code == 302 and response["Location"] == "/security/2fa/"
    assert not _signed_in(client)  # the password alone gives no session
    page = client.get("/security/2fa/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'src="http' not in html  # drawn here, no QR service
    device = TOTPDevice.objects.get(user=system_admin, confirmed=False)
    assert client.post("/security/2fa/", {"token": "000000"}).status_code == 200
    assert not _signed_in(client)
    # django-otp throttles: after a failure the next try waits a second.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=3)):
        response = client.post("/security/2fa/", {"token": totp_now(device)})
    assert response.status_code == 302
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    assert AuditRecord.objects.filter(
        action="auth.2fa_enrolled", user_id=system_admin.pk
    ).exists()


def test_a_code_cannot_be_used_twice(system_admin):
    device = TOTPDevice.objects.create(user=system_admin, name="kesu", confirmed=True)
    with time_machine.travel(timezone.now(), tick=False):
        first, second = Client(), Client()
        password_login(first, "sys_admin")
        code = totp_now(device)
        first.post("/security/2fa/", {"token": code})
        assert _signed_in(first)
        password_login(second, "sys_admin")
        second.post("/security/2fa/", {"token": code})
        assert not _signed_in(second)  # replay refused (django-otp last_t)
    assert AuditRecord.objects.filter(action="auth.2fa_failed").count() == 1


def test_an_expired_code_is_refused(system_admin):
    device = TOTPDevice.objects.create(user=system_admin, name="kesu", confirmed=True)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = totp_now(device)
        password_login(client, "sys_admin")
    with time_machine.travel(start + timezone.timedelta(minutes=3), tick=False):
        client.post("/security/2fa/", {"token": code})
    assert not _signed_in(client)


def test_the_second_step_expires_after_five_minutes(system_admin):
    device = TOTPDevice.objects.create(user=system_admin, name="kesu", confirmed=True)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "sys_admin")
    with time_machine.travel(start + timezone.timedelta(minutes=6), tick=False):
        response = client.post("/security/2fa/", {"token": totp_now(device)})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not _signed_in(client)


def test_staff_need_no_second_factor_unless_configured(client, city_clerk, settings):
    password_login(client, "gz_clerk")
    assert _signed_in(client)
    settings.KESU_2FA_FOR_ALL = True
    other = Client()
    assert password_login(other, "gz_clerk")["Location"] == "/security/2fa/"
    assert not _signed_in(other)


def test_the_admin_site_login_goes_through_the_two_step_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
