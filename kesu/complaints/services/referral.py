"""Referral up and hand-down (DESIGN §3.6; S5.4, S5.6, S6.3, S6.4, S6.5, S7.2,
S7.5). They move the owning company, never the state."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.errors import Conflict, DomainValidationError, NotFound
from kesu.organisation.models import Company

from ..lifecycle import Action
from ..models import Complaint, Referral
from .transition import begin, commit

REFER_KINDS = (Referral.Kind.GUIDANCE, Referral.Kind.HANDLING)


@transaction.atomic
def complaint_refer_up(
    *,
    complaint: Complaint,
    actor,
    kind: str,
    reason: str,
    expected_version: int | None = None,
) -> tuple[Complaint, Referral]:
    """S7.2, S7.5: for guidance the lower company keeps the case and acts on
    the parent's opinion; for handling the parent takes it over."""
    if kind not in REFER_KINDS:
        raise DomainValidationError(_("上报类型无效"), field="kind")
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写上报说明"), field="reason")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REFER_UP,
        expected_version=expected_version,
    )
    case = step.complaint
    if case.referrals.filter(
        kind__in=REFER_KINDS, answered_at__isnull=True, from_company=case.owning_company
    ).exists():
        raise Conflict(_("已有待上级答复的上报"))
    parent = case.owning_company.parent
    referral = Referral.objects.create(
        complaint=case,
        kind=kind,
        from_company=case.owning_company,
        to_company=parent,
        reason=reason.strip(),
        created_by=actor,
        created_at=timezone.now(),
    )
    if kind == Referral.Kind.HANDLING:
        step.changes.update(owning_company=parent, handler=None)
    commit(
        step,
        note=reason,
        data={
            "referral": referral.pk,
            "kind": kind,
            "from_company": referral.from_company_id,
            "to_company": parent.pk,
        },
    )
    return case, referral


@transaction.atomic
def referral_answer(
    *,
    referral: Referral | int,
    actor,
    opinion: str,
    expected_version: int | None = None,
) -> Complaint:
    """S5.6, S6.3: the parent's opinion on a referral."""
    pk = getattr(referral, "pk", referral)
    found = Referral.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("未找到该上报"))
    step = begin(
        complaint=found.complaint_id,
        actor=actor,
        action=Action.ANSWER_REFERRAL,
        expected_version=expected_version,
    )
    found = Referral.objects.select_for_update().get(pk=pk)
    if found.to_company_id != actor.company_id:
        raise NotFound(_("未找到该上报"))
    if found.answered_at is not None:
        raise Conflict(_("该上报已答复"))
    if not (opinion or "").strip():
        raise DomainValidationError(_("请填写上级意见"), field="opinion")
    found.opinion, found.answered_by, found.answered_at = (
        opinion.strip(),
        actor,
        timezone.now(),
    )
    found.save(update_fields=["opinion", "answered_by", "answered_at"])
    commit(step, note=found.opinion, data={"referral": found.pk, "kind": found.kind})
    return step.complaint


@transaction.atomic
def complaint_hand_down(
    *,
    complaint: Complaint,
    actor,
    to_company: Company,
    reason: str,
    authorise_closure: bool = False,
    expected_version: int | None = None,
) -> tuple[Complaint, Referral]:
    """S5.4, S6.4: head office or a province hands a case to a lower company
    and keeps following it (it stays in the upper company's scope). With
    `authorise_closure` the lower company may close it itself (S7.8)."""
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写转办说明"), field="reason")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.HAND_DOWN,
        expected_version=expected_version,
    )
    case = step.complaint
    owner = case.owning_company
    if (
        to_company.pk == owner.pk
        or not to_company.is_within(owner)
        or not to_company.is_active
    ):
        raise DomainValidationError(_("只能转办给本机构的下级机构"), field="to_company")
    now = timezone.now()
    referral = Referral.objects.create(
        complaint=case,
        kind=Referral.Kind.HAND_DOWN,
        from_company=owner,
        to_company=to_company,
        reason=reason.strip(),
        created_by=actor,
        created_at=now,
        answered_by=actor,
        answered_at=now,
    )
    step.changes.update(
        owning_company=to_company,
        handler=None,
        closure_authorised=bool(authorise_closure),
    )
    commit(
        step,
        note=reason,
        data={
            "referral": referral.pk,
            "from_company": owner.pk,
            "to_company": to_company.pk,
            "authorise_closure": bool(authorise_closure),
        },
    )
    return case, referral
