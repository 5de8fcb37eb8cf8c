"""Periodic security work; each task is a one-line call into a service."""

from celery import shared_task


@shared_task(name="kesu.security.retention_sweep")
def retention_sweep_task() -> int:
    from kesu.complaints.services.retention import retention_sweep

    return retention_sweep()  # E5


@shared_task(name="kesu.security.audit_purge")
def audit_purge_task() -> int:
    from kesu.audit.services import audit_purge

    return audit_purge()  # C4


@shared_task(name="kesu.security.audit_verify")
def audit_verify_task() -> dict:
    """C3 nightly verification; a broken chain is itself audited."""
    from kesu.audit.chain import verify
    from kesu.audit.models import AuditRecord, Result
    from kesu.audit.services import audit_record

    broken = verify(AuditRecord.objects.order_by("seq").iterator(chunk_size=2000))
    if broken is not None:
        audit_record(
            action="audit.chain_broken",
            result=Result.FAILURE,
            detail={"through_seq": broken.seq, "count": 0},
        )
        return {"intact": False, "seq": broken.seq}
    return {"intact": True}
