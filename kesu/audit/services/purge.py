"""Retention purge of the audit log (C4).

The law keeps network logs at least six months (网络安全法 §21(三)): the
purge never deletes a row younger than AUDIT_RETENTION_FLOOR_DAYS (183) and
refuses a configured retention below it. Default retention: 3 years.

Checkpoint approach: the purge deletes the oldest rows through sequence N,
then appends an `audit.purged` row (itself chained) recording N and the hash
of row N. verify() accepts a chain that starts at N+1 only if such a
checkpoint names N and row N+1's prev_hash, so deleting old rows by any other
means is still detected."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from kesu.audit.chain import PURGE_ACTION
from kesu.audit.models import AuditRecord

from .record import audit_record

FLOOR_DAYS = 183


def retention_days() -> int:
    days = int(getattr(settings, "AUDIT_RETENTION_DAYS", 3 * 365))
    if days < FLOOR_DAYS:  # C4
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS={days} is below the legal floor of {FLOOR_DAYS} days"
        )
    return days


@transaction.atomic
def audit_purge(*, user=None, now=None) -> int:
    """Delete rows older than the retention period; return how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    last = (
        AuditRecord.objects.filter(at__lt=cutoff)
        .order_by("-seq")
        .values("seq", "hash")
        .first()
    )
    if last is None:
        return 0
    # Never cut into a stretch still inside the floor (clock skew, back-dated rows).
    doomed = AuditRecord.objects.filter(seq__lte=last["seq"])
    if doomed.filter(at__gte=now - timedelta(days=FLOOR_DAYS)).exists():
        return 0
    count = doomed.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the trigger's purge switch (0002)
            cursor.execute("SET LOCAL kesu.audit_purge = 'on'")
    doomed._raw_delete(doomed.db)
    audit_record(
        action=PURGE_ACTION,
        user=user,
        object_type="audit.auditrecord",
        detail={
            "through_seq": last["seq"],
            "through_hash": last["hash"],
            "count": count,
        },
    )
    return count
