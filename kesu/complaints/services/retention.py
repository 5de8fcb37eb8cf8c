"""E5 (PIPL Art. 19, 47): a case's personal data is anonymised once its
retention period (`retention_until`, set at archiving: R1.15, 3 years) has
passed, unless the case is on legal hold. The case itself, its figures and
the audit trail stay; the person is no longer identifiable.

Owned by the security engineer (issue 7); called by the periodic task
`kesu.security.retention_sweep`."""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from kesu.privacy import mask_policy_number, mask_text

from ..models import Attachment, Complainant, Complaint, Decision, Event
from .events import event_record

ANONYMISED = "已匿名化"
ANONYMISE = "anonymise_personal_data"  # event action


def complaints_due_for_anonymisation(today: dt.date | None = None):
    today = today or timezone.localdate()
    done = Event.objects.filter(complaint=OuterRef("pk"), action=ANONYMISE)
    return Complaint.objects.filter(
        retention_until__lt=today, legal_hold=False
    ).exclude(Exists(done))


@transaction.atomic
def complaint_anonymise(*, complaint_id: int, today: dt.date | None = None) -> bool:
    """Anonymise one case if it is (still) due; False when it is not."""
    case = (
        complaints_due_for_anonymisation(today)
        .select_for_update()
        .filter(pk=complaint_id)
        .first()
    )
    if case is None:
        return False
    Complaint.objects.filter(pk=case.pk).update(
        agent_name="",
        agent_phone="",
        agent_authority="",
        policy_number=mask_policy_number(case.policy_number),
        facts=mask_text(case.facts),
        demand=mask_text(case.demand),
        complained_staff_names="",
        version=F("version") + 1,
    )
    for decision in Decision.objects.filter(complaint=case):
        Decision.objects.filter(pk=decision.pk).update(
            findings=mask_text(decision.findings),
            basis=mask_text(decision.basis),
            result=mask_text(decision.result),
        )
    _anonymise_complainant(case.complainant_id, today)
    _drop_attachment_files(case)
    event_record(
        complaint=case,
        actor=None,
        action=ANONYMISE,
        from_state=case.state,
        to_state=case.state,
        data={"retention_until": case.retention_until},
    )
    return True


def _anonymise_complainant(complainant_id: int, today: dt.date | None) -> None:
    """The person is anonymised only when none of their cases must still be
    kept (another case inside its retention period, or on hold)."""
    today = today or timezone.localdate()
    still_kept = Complaint.objects.filter(complainant_id=complainant_id).filter(
        Q(retention_until__isnull=True)
        | Q(retention_until__gte=today)
        | Q(legal_hold=True)
    )
    if still_kept.exists():
        return
    Complainant.objects.filter(pk=complainant_id).update(
        name=ANONYMISED,
        id_number="",
        phone="",
        address="",
        credit_code="",
        legal_representative="",
        id_number_index="",
        phone_index="",
    )


def _drop_attachment_files(case: Complaint) -> None:
    """Evidence files (ID scans, recordings) are deleted after commit; the
    rows keep name, size and SHA-256 as the record that they existed."""
    for attachment in Attachment.objects.filter(complaint=case).exclude(file=""):
        name, storage = attachment.file.name, attachment.file.storage
        Attachment.objects.filter(pk=attachment.pk).update(
            file="", original_name=mask_text(attachment.original_name)
        )
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))


def retention_sweep(today: dt.date | None = None) -> int:
    """Anonymise every case past its retention; each in its own transaction."""
    ids = list(complaints_due_for_anonymisation(today).values_list("pk", flat=True))
    return sum(complaint_anonymise(complaint_id=pk, today=today) for pk in ids)
