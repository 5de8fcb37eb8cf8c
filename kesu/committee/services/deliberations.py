"""Committee deliberations and rulings (S3.3, S3.4, S6.8, S6.10).

A company puts a major or difficult case, or a dispute between departments on
liability or cause, before its committee; the departments asked give their
opinions; the committee records a final decision and follows its
implementation. A ruling sets the case's liability and cause and is final:
nothing below that committee may change it (`ruled_by_committee`)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.access import require
from kesu.accounts.roles import Perm
from kesu.complaints.access import complaint_get_for
from kesu.complaints.models import Complaint, Grade
from kesu.complaints.services import complaint_apply_ruling
from kesu.complaints.services.events import event_record
from kesu.errors import Conflict, DomainValidationError, Forbidden
from kesu.freshness import REMINDERS, touch
from kesu.supervision.access import department_get_for

from ..access import own_company, require_committee
from ..finality import ruling_override_check
from ..models import Deliberation, Opinion, Ruling
from .events import committee_event_record

K, S = Deliberation.Kind, Deliberation.Status
SERIOUS_GRADES = (Grade.MAJOR, Grade.DIFFICULT, Grade.GROUP)


def _case_event(
    deliberation: Deliberation,
    *,
    user,
    action: str,
    note: str = "",
    data: dict | None = None,
) -> None:
    complaint = deliberation.complaint
    touch(REMINDERS)  # opinions asked or given: the workbench's reminders
    event_record(
        complaint=complaint,
        actor=user,
        action=action,
        from_state=complaint.state,
        to_state=complaint.state,
        note=note,
        data={"deliberation": deliberation.pk, **(data or {})},
    )


@transaction.atomic
def deliberation_propose(
    *, user, complaint_id: int, kind: str, question: str, department_ids: list[int]
) -> Deliberation:
    """S3.3/S6.8 (major, difficult) and S3.4/S6.10 (dispute between departments)."""
    company = own_company(user)
    require(user, Perm.COMPLAINT_HANDLE, company)
    complaint = complaint_get_for(user, pk=complaint_id)
    if kind not in K.values:
        raise DomainValidationError(_("请选择提请类型"), field="kind")
    if not question.strip():
        raise DomainValidationError(_("请说明提请审议的事项"), field="question")
    if kind == K.MAJOR_DIFFICULT and complaint.grade not in SERIOUS_GRADES:
        raise DomainValidationError(
            _("只有重大、疑难或群体案件可以提请审议"), field="kind"
        )
    departments = [
        department_get_for(user, pk=pk) for pk in sorted(set(department_ids))
    ]
    if kind == K.LIABILITY_DISPUTE and len(departments) < 2:
        raise DomainValidationError(
            _("责任争议须列明至少两个争议部门"), field="departments"
        )
    try:
        with transaction.atomic():  # a savepoint: one open deliberation per kind
            deliberation = Deliberation.objects.create(
                company=company,
                complaint=complaint,
                kind=kind,
                question=question.strip(),
                proposed_by=user,
                proposed_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("该案件已在协调委员会审议中")) from None
    deliberation.departments.set(departments)
    _case_event(
        deliberation,
        user=user,
        action="deliberation_proposed",
        note=question,
        data={"kind": kind, "departments": [d.pk for d in departments]},
    )
    return deliberation


@transaction.atomic
def deliberation_give_opinion(
    *, user, deliberation: Deliberation, text: str
) -> Opinion:
    if deliberation.status != S.PROPOSED:
        raise Conflict(_("委员会已作出决定，不再征求意见"))
    if not deliberation.departments.filter(pk=user.department_id).exists():
        raise Forbidden(_("只有被征求意见的部门可以发表意见"))
    if not text.strip():
        raise DomainValidationError(_("请填写意见"), field="text")
    try:
        with transaction.atomic():
            opinion = Opinion.objects.create(
                deliberation=deliberation,
                department_id=user.department_id,
                author=user,
                text=text.strip(),
                given_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("本部门已发表意见")) from None
    _case_event(
        deliberation,
        user=user,
        action="committee_opinion_given",
        note=text,
        data={"department": user.department_id},
    )
    return opinion


def _rule(
    deliberation: Deliberation,
    *,
    user,
    liability: str,
    cause: str,
    responsible_link: str,
    reasoning: str,
) -> Ruling:
    """Apply the ruling through the lifecycle's own service, which checks the
    transition table (committee member at the owning company or above) and
    the code tables, and writes the case's event."""
    complaint = Complaint.objects.select_for_update().get(pk=deliberation.complaint_id)
    ruling_override_check(complaint, company=deliberation.company)
    complaint = complaint_apply_ruling(
        complaint=complaint,
        actor=user,
        liability=liability,
        responsible_link=responsible_link.strip(),
        cause=cause.strip(),
        note=reasoning,
    )
    return Ruling.objects.create(
        deliberation=deliberation,
        complaint=complaint,
        liability=liability,
        cause=cause.strip(),
        responsible_link=responsible_link.strip(),
        reasoning=reasoning,
        ruled_by=user,
        ruled_at=timezone.now(),
    )


@transaction.atomic
def deliberation_decide(
    *,
    user,
    deliberation: Deliberation,
    decision: str,
    liability: str = "",
    cause: str = "",
    responsible_link: str = "",
) -> Deliberation:
    """The committee's final decision; with a liability it is also a ruling
    (required for a dispute, S3.4)."""
    require_committee(user, deliberation.company)
    if not decision.strip():
        raise DomainValidationError(_("请填写最终决定"), field="decision")
    if deliberation.kind == K.LIABILITY_DISPUTE and not liability:
        raise DomainValidationError(_("责任争议须作出责任认定"), field="liability")
    changed = Deliberation.objects.filter(pk=deliberation.pk, status=S.PROPOSED).update(
        status=S.DECIDED,
        decision=decision.strip(),
        decided_by=user,
        decided_at=timezone.now(),
    )
    if not changed:
        raise Conflict(_("委员会已作出决定"))
    deliberation.refresh_from_db()
    if not liability:
        _case_event(deliberation, user=user, action="committee_decided", note=decision)
        return deliberation
    # the ruling's own event on the case is written by complaint_apply_ruling;
    # the committee keeps its audit row of the decision
    ruling = _rule(
        deliberation,
        user=user,
        liability=liability,
        cause=cause,
        responsible_link=responsible_link,
        reasoning=decision.strip(),
    )
    committee_event_record(
        company=deliberation.company,
        subject="deliberation",
        subject_id=deliberation.pk,
        action="committee_ruled",
        actor=user,
        data={"ruling": ruling.pk, "complaint": deliberation.complaint_id},
    )
    return deliberation


@transaction.atomic
def deliberation_follow_up(
    *, user, deliberation: Deliberation, note: str, done: bool
) -> Deliberation:
    """S3.3: the committee follows the decision's implementation."""
    require_committee(user, deliberation.company)
    if not note.strip():
        raise DomainValidationError(_("请填写落实情况"), field="note")
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    text = f"{deliberation.implementation}\n[{stamp}] {note.strip()}".strip()
    fields = {"implementation": text}
    if done:
        fields.update(status=S.IMPLEMENTED, implemented_at=timezone.now())
    changed = Deliberation.objects.filter(pk=deliberation.pk, status=S.DECIDED).update(
        **fields
    )
    if not changed:
        raise Conflict(_("只有已作出决定且未落实的事项可以跟进"))
    deliberation.refresh_from_db()
    _case_event(
        deliberation,
        user=user,
        note=note,
        action="committee_decision_implemented"
        if done
        else "committee_decision_followed_up",
    )
    return deliberation
