"""Typical cases (典型案例; S5.3, S6.1; issue 6.4): a handler nominates a
closed case, a customer-service head approves or rejects it. The stored copy
has no personal data (deidentify.py); the source case gets one event."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.access import can
from kesu.accounts.roles import Perm
from kesu.complaints.access import complaint_get_for
from kesu.complaints.models import State
from kesu.complaints.services.events import event_record
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound

from ..deidentify import complaint_personal_data, scrub
from ..models import CaseTag, TypicalCase
from ..selectors.typical_cases import typical_case_scope

CLOSED_STATES = (State.CLOSED, State.ARCHIVED)
MAX_TAGS = 10


def _tags(raw) -> list[CaseTag]:
    names = (
        raw if isinstance(raw, list | tuple) else re.split(r"[，,、;；\s]+", raw or "")
    )
    names = list(dict.fromkeys(n.strip()[:30] for n in names if n and n.strip()))
    if len(names) > MAX_TAGS:
        raise DomainValidationError(
            _("标签最多 %(n)d 个") % {"n": MAX_TAGS}, field="tags"
        )
    return [CaseTag.objects.get_or_create(name=n)[0] for n in names]


def _decision_text(complaint) -> str:
    decision = complaint.decisions.order_by("-decided_at").first()
    return decision.result if decision else ""


@transaction.atomic
def typical_case_nominate(
    *, user, complaint_id: int, title: str, lesson: str = "", tags=""
) -> TypicalCase:
    complaint = complaint_get_for(user, pk=complaint_id)
    if not can(user, Perm.COMPLAINT_HANDLE, complaint.owning_company):
        raise Forbidden(_("只有投诉处理人员可以推荐典型案例"))
    if complaint.state not in CLOSED_STATES:
        raise Conflict(_("只有已结案的案件可以推荐为典型案例"))
    title = (title or "").strip()
    if not title:
        raise DomainValidationError(_("请填写案例标题"), field="title")
    names, remove = complaint_personal_data(complaint)
    clean = lambda text: scrub(text, names=names, remove=remove)  # noqa: E731
    case = TypicalCase(
        complaint=complaint,
        company=complaint.owning_company,
        title=clean(title)[:200],
        facts=clean(complaint.facts),
        demand=clean(complaint.demand),
        handling=clean(_decision_text(complaint)),
        lesson=clean(lesson),
        complainant_label=scrub(complaint.complainant.name, names=names)[:20],
        channel=complaint.channel,
        product_type=complaint.product_type,
        cause=complaint.cause,
        liability=complaint.liability,
        received_on=timezone.localdate(complaint.received_at),
        nominated_by=user,
        nominated_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise Conflict(_("该案件已被推荐为典型案例")) from None
    case.tags.set(_tags(tags))
    event_record(
        complaint=complaint,
        actor=user,
        action="typical_case_nominated",
        from_state=complaint.state,
        to_state=complaint.state,
        note=case.title,
        data={"typical_case": case.pk},
    )
    return case


def _decide(*, user, case_id: int, approve: bool, note: str) -> TypicalCase:
    case = typical_case_scope(user).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("未找到该典型案例"))
    if not can(user, Perm.COMPLAINT_APPROVE, case.company):
        raise Forbidden(_("只有客服负责人可以审批典型案例"))
    if case.status != TypicalCase.Status.NOMINATED:
        raise Conflict(_("该案例已审批"))
    if case.nominated_by_id == user.pk:
        raise Forbidden(_("不能审批自己推荐的案例"))
    case.status = (
        TypicalCase.Status.APPROVED if approve else TypicalCase.Status.REJECTED
    )
    case.decided_by, case.decided_at = user, timezone.now()
    case.decision_note = (note or "").strip()
    case.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    complaint = case.complaint
    event_record(
        complaint=complaint,
        actor=user,
        action="typical_case_approved" if approve else "typical_case_rejected",
        from_state=complaint.state,
        to_state=complaint.state,
        note=case.decision_note,
        data={"typical_case": case.pk},
    )
    return case


@transaction.atomic
def typical_case_approve(*, user, case_id: int, note: str = "") -> TypicalCase:
    return _decide(user=user, case_id=case_id, approve=True, note=note)


@transaction.atomic
def typical_case_reject(*, user, case_id: int, note: str = "") -> TypicalCase:
    if not (note or "").strip():
        raise DomainValidationError(_("请填写未通过的理由"), field="note")
    return _decide(user=user, case_id=case_id, approve=False, note=note)
