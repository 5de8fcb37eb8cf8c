"""Writes and questions of login security (A2, A4, A5, B4)."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from kesu.accounts.roles import ADMIN_ROLES

from .models import PasswordRecord, UserSession


def _store(session_key: str) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)


def session_opened(*, user, session_key: str) -> None:
    UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


@transaction.atomic
def user_sessions_end(*, user, keep: str | None = None) -> int:
    """End every session of `user` at once (A4, B4), except `keep`."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    rows.delete()
    return len(keys)


def password_changed_at(user):
    last = (
        PasswordRecord.objects.filter(user=user)
        .order_by("-set_at")
        .values_list("set_at", flat=True)
        .first()
    )
    return last or user.date_joined


def password_expired(user, now=None) -> bool:
    """A2: the password is older than KESU_PASSWORD_MAX_AGE_DAYS (0 = never)."""
    days = getattr(settings, "KESU_PASSWORD_MAX_AGE_DAYS", 90)
    if not days or not user.has_usable_password():
        return False
    return (now or timezone.now()) - password_changed_at(user) > timedelta(days=days)


def two_factor_required(user) -> bool:
    """A5: administrators always; everyone when KESU_2FA_FOR_ALL is on."""
    if getattr(settings, "KESU_2FA_FOR_ALL", False):
        return True
    return user.has_role(*ADMIN_ROLES)
