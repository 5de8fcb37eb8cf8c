"""Reads of the audit log: only the audit administrator (B1: `audit.read`,
which no other role holds) sees it; anyone else gets 404."""

from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.accounts.access import can
from kesu.accounts.roles import Perm
from kesu.errors import NotFound

from .models import AuditRecord

FILTERS = ("action", "username", "object_type", "object_id", "result", "ip")


def audit_scope(user) -> QuerySet[AuditRecord]:
    if not can(user, Perm.AUDIT_READ):
        raise NotFound(_("未找到"))
    return AuditRecord.objects.all()


def audit_record_list_for(
    user, *, since: date | None = None, until: date | None = None, **filters: Any
) -> QuerySet[AuditRecord]:
    rows = audit_scope(user)
    for name in FILTERS:
        value = filters.get(name)
        if value:
            lookup = f"{name}__startswith" if name == "action" else name
            rows = rows.filter(**{lookup: value})
    tz = timezone.get_current_timezone()
    if since:
        rows = rows.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        rows = rows.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return rows.order_by("-seq")
