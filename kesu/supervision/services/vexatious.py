"""The vexatious complainant register (S6.11): a customer-service head marks a
complainant with reasons and evidence, the company's sales department is told
through the outbox, intake is warned (`vexatious_record_for`), and the mark
can be lifted with a reason."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.access import complaint_scope
from kesu.complaints.models import Complainant
from kesu.errors import Conflict, DomainValidationError, NotFound
from kesu.notifications.services import notification_enqueue
from kesu.organisation.models import Department, DepartmentKind

from ..access import company_get_for, require_manage
from ..models import VexatiousRecord
from .events import supervision_event_record

# S6.11 "shared with the sales department": the sales departments of the company.
SALES_KINDS = (
    DepartmentKind.INDIVIDUAL_SALES,
    DepartmentKind.BANCASSURANCE,
    DepartmentKind.GROUP_SALES,
)


def complainant_get_for(user, *, pk: int) -> Complainant:
    """A complainant of a case the user can see."""
    complainant = (
        Complainant.objects.filter(pk=pk, complaints__in=complaint_scope(user))
        .distinct()
        .first()
    )
    if complainant is None:
        raise NotFound(_("未找到该投诉人"))
    return complainant


def _tell_sales(record: VexatiousRecord) -> None:
    """S6.11: the register is shared with the company's sales departments."""
    for department in Department.objects.filter(
        company=record.company, kind__in=SALES_KINDS, is_active=True
    ):
        notification_enqueue(
            kind="vexatious_marked",
            subject=_("无理缠访登记：%(name)s") % {"name": record.complainant.name},
            body=record.reasons,
            department=department,
            payload={
                "vexatious_record": record.pk,
                "complainant": record.complainant_id,
            },
            dedupe_key=f"vexatious_marked:{record.pk}:{department.pk}",
        )


@transaction.atomic
def vexatious_mark(
    *,
    user,
    complainant_id: int,
    reasons: str,
    evidence: str,
    complaint_ids: list[int] | None = None,
) -> VexatiousRecord:
    company = company_get_for(user, pk=None)
    require_manage(user, company)
    complainant = complainant_get_for(user, pk=complainant_id)
    if not reasons.strip() or not evidence.strip():
        raise DomainValidationError(_("请填写认定理由和证据"), field="reasons")
    cases = list(
        complaint_scope(user).filter(
            pk__in=complaint_ids or [], complainant=complainant
        )
    )
    try:
        with transaction.atomic():  # a savepoint: the unique mark may be taken
            record = VexatiousRecord.objects.create(
                complainant=complainant,
                company=company,
                reasons=reasons.strip(),
                evidence=evidence.strip(),
                marked_by=user,
                marked_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("该投诉人已在无理缠访登记中")) from None
    record.complaints.set(cases)
    _tell_sales(record)
    supervision_event_record(
        company=company,
        subject="vexatious_record",
        subject_id=record.pk,
        action="vexatious_marked",
        actor=user,
        data={"complainant": complainant.pk},
    )
    return record


@transaction.atomic
def vexatious_unmark(*, user, record: VexatiousRecord, reason: str) -> VexatiousRecord:
    require_manage(user, record.company)
    if not reason.strip():
        raise DomainValidationError(_("请说明撤销理由"), field="reason")
    changed = VexatiousRecord.objects.filter(pk=record.pk, is_active=True).update(
        is_active=False,
        unmarked_by=user,
        unmarked_at=timezone.now(),
        unmark_reason=reason.strip(),
    )
    if not changed:
        raise Conflict(_("该登记已撤销"))
    record.refresh_from_db()
    supervision_event_record(
        company=record.company,
        subject="vexatious_record",
        subject_id=record.pk,
        action="vexatious_unmarked",
        actor=user,
        note=reason.strip(),
    )
    return record
