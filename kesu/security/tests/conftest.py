"""Administrator personas (B1) and helpers for login-security tests."""

import pytest
from django_otp.oath import TOTP

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import PASSWORD, make_user


@pytest.fixture
def system_admin(org):
    return make_user(
        "sys_admin", org["ho"], [Role.SYSTEM_ADMIN], full_name="系统管理员"
    )


@pytest.fixture
def security_admin(org):
    return make_user(
        "sec_admin", org["ho"], [Role.SECURITY_ADMIN], full_name="安全管理员"
    )


@pytest.fixture
def audit_admin(org):
    return make_user(
        "audit_admin", org["ho"], [Role.AUDIT_ADMIN], full_name="审计管理员"
    )


def password_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def totp_now(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"
