"""Authentication and admin events written to the audit log (C1). Signals
are used because these events are raised inside Django and django-axes,
not by our services."""

import time

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import post_save
from django.dispatch import receiver

from kesu.audit.models import Result
from kesu.audit.services import audit_record
from kesu.privacy import mask_text

from . import services
from .middleware import LOGIN_AT, SEEN_AT

_ADMIN_ACTIONS = {
    ADDITION: "admin.added",
    CHANGE: "admin.changed",
    DELETION: "admin.deleted",
}


@receiver(user_logged_in, dispatch_uid="kesu_audit_login")
def _logged_in(sender, request, user, **kwargs):
    audit_record(action="auth.login", request=request, user=user)
    if request is not None and getattr(request, "session", None) is not None:
        request.session[LOGIN_AT] = request.session[SEEN_AT] = time.time()  # A4
        if request.session.session_key is None:
            request.session.save()
        services.session_opened(user=user, session_key=request.session.session_key)


@receiver(user_logged_out, dispatch_uid="kesu_audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    audit_record(action="auth.logout", request=request, user=user)
    services.user_sessions_end(user=user)  # A4: logout ends every session


@receiver(user_login_failed, dispatch_uid="kesu_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = mask_text(str(credentials.get("username", "")))[:150]
    audit_record(
        action="auth.login_failed",
        request=request,
        username=username,
        result=Result.FAILURE,
    )


@receiver(user_locked_out, dispatch_uid="kesu_audit_lockout")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(
        action="auth.locked_out",
        request=request,
        username=mask_text(str(username or ""))[:150],
        result=Result.DENIED,
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="kesu_audit_admin_action")
def _admin_action(sender, instance: LogEntry, created, **kwargs):
    """B1: every action in the Django admin is audited."""
    if not created:
        return
    audit_record(
        action=_ADMIN_ACTIONS.get(instance.action_flag, "admin.action"),
        user=instance.user,
        object_type=instance.content_type.app_label + "." + instance.content_type.model
        if instance.content_type
        else "",
        object_id=instance.object_id or "",
        detail={"change": instance.get_change_message()[:300]},
    )
