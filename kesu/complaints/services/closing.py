"""Decision, reply and closing (DESIGN §3.7–§3.8; R1.11, S6.9, S7.8, S3.4)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.classification.models import CodeTable
from kesu.classification.selectors import code_require
from kesu.committee.finality import ruling_override_check
from kesu.errors import DomainValidationError

from ..lifecycle import Action
from ..models import Complaint, Decision, Liability
from .transition import Step, begin, commit

REMEDIES = ("review", "mediation", "arbitration", "litigation")  # 核查/调解/仲裁/诉讼
DELIVERY_METHODS = (
    "phone",
    "letter",
    "visit",
    "email",
    "sms",
    "app",
    "in_person",
    "other",
)


def _required(value: str, field: str, message) -> str:
    if not (value or "").strip():
        raise DomainValidationError(message, field=field)
    return value.strip()


@transaction.atomic
def complaint_reply(
    *,
    complaint: Complaint,
    actor,
    findings: str,
    basis: str,
    result: str,
    remedies: list[str],
    delivery_method: str,
    delivered_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """R1.11: the decision states what was found, the basis and reasons, the
    result, and the remedies open to the complainant; its delivery is
    recorded. Every open investigation must be settled first."""
    findings = _required(findings, "findings", _("请填写核查结果"))
    basis = _required(basis, "basis", _("请填写处理依据及理由"))
    result = _required(result, "result", _("请填写处理决定"))
    remedies = list(dict.fromkeys(remedies or []))
    if not remedies or set(remedies) - set(REMEDIES):
        raise DomainValidationError(
            _("请列明投诉人可采取的救济途径：申请核查、调解、仲裁、诉讼（R1.11）"),
            field="remedies",
        )
    if delivery_method not in DELIVERY_METHODS:
        raise DomainValidationError(_("请选择送达方式"), field="delivery_method")
    now = timezone.now()
    delivered_at = delivered_at or now
    if delivered_at > now + dt.timedelta(minutes=10):
        raise DomainValidationError(_("送达时间不能晚于当前时间"), field="delivered_at")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REPLY,
        expected_version=expected_version,
    )
    decision = Decision.objects.create(
        complaint=step.complaint,
        findings=findings,
        basis=basis,
        result=result,
        remedies=remedies,
        decided_by=actor,
        decided_at=now,
        delivery_method=delivery_method,
        delivered_at=delivered_at,
    )
    step.changes["replied_at"] = delivered_at
    commit(
        step,
        note=result,
        data={
            "decision": decision.pk,
            "remedies": remedies,
            "delivery_method": delivery_method,
            "delivered_at": delivered_at,
            "on_time": step.complaint.due_date is None
            or timezone.localtime(delivered_at).date() <= step.complaint.due_date,
        },
    )
    return step.complaint


def closing_values(
    case: Complaint,
    actor,
    *,
    liability: str | None,
    responsible_link: str | None,
    cause: str | None,
) -> dict:
    """Validate liability, responsible link and cause against the code
    tables. A committee ruling is final (S3.4): below the ruling company
    nobody can change it; omitted values take the ruled ones."""
    if case.ruled_by_committee:
        ruled = {
            "liability": case.liability,
            "responsible_link": case.responsible_link,
            "cause": case.cause,
        }
        given = {
            "liability": liability,
            "responsible_link": responsible_link,
            "cause": cause,
        }
        changed = {k for k, v in given.items() if v and v != ruled[k]}
        if changed and not _above_ruling(case, actor):
            raise DomainValidationError(
                _(
                    "协调委员会已作最终裁定，不能变更责任认定、责任环节或原因归类（S3.4）"
                ),
                field=sorted(changed)[0],
            )
        liability = liability or ruled["liability"]
        responsible_link = responsible_link or ruled["responsible_link"]
        cause = cause or ruled["cause"]
    if liability not in Liability.values:
        raise DomainValidationError(_("请选择责任认定（有责/无责）"), field="liability")
    code_require(
        CodeTable.RESPONSIBLE_LINK, responsible_link or "", field="responsible_link"
    )
    code_require(CodeTable.CAUSE, cause or "", field="cause")
    return {
        "liability": liability,
        "responsible_link": responsible_link,
        "cause": cause,
    }


def _above_ruling(case: Complaint, actor) -> bool:
    ruling = case.ruling_company
    company = actor.company
    return bool(
        ruling and company and company.pk != ruling.pk and ruling.is_within(company)
    )


def _close(step: Step, values: dict, note: str, data: dict | None = None) -> None:
    now = timezone.now()
    step.changes.update(values, closed_at=now, closed_by=step.actor)
    commit(step, note=note, data={**values, **(data or {})})


@transaction.atomic
def complaint_close(
    *,
    complaint: Complaint,
    actor,
    liability: str | None = None,
    responsible_link: str | None = None,
    cause: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """S6.9, S7.8: closing where this company may close by itself."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.CLOSE,
        expected_version=expected_version,
    )
    values = closing_values(
        step.complaint,
        actor,
        liability=liability,
        responsible_link=responsible_link,
        cause=cause,
    )
    _close(step, values, note)
    return step.complaint


@transaction.atomic
def complaint_propose_closure(
    *,
    complaint: Complaint,
    actor,
    liability: str | None = None,
    responsible_link: str | None = None,
    cause: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """S6.9, S7.8: the lower company proposes; the province confirms."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.PROPOSE_CLOSURE,
        expected_version=expected_version,
    )
    values = closing_values(
        step.complaint,
        actor,
        liability=liability,
        responsible_link=responsible_link,
        cause=cause,
    )
    step.changes.update(values)
    commit(step, note=note, data=values)
    return step.complaint


@transaction.atomic
def complaint_confirm_closure(
    *,
    complaint: Complaint,
    actor,
    liability: str | None = None,
    responsible_link: str | None = None,
    cause: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """The province confirms (and may correct) the proposed closing data."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.CONFIRM_CLOSURE,
        expected_version=expected_version,
    )
    case = step.complaint
    values = closing_values(
        case,
        actor,
        liability=liability or case.liability,
        responsible_link=responsible_link or case.responsible_link,
        cause=cause or case.cause,
    )
    _close(
        step,
        values,
        note,
        {
            "proposed": {
                "liability": case.liability,
                "responsible_link": case.responsible_link,
                "cause": case.cause,
            }
        },
    )
    return case


@transaction.atomic
def complaint_reject_closure(
    *, complaint: Complaint, actor, note: str, expected_version: int | None = None
) -> Complaint:
    note = _required(note, "note", _("请填写退回理由"))
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REJECT_CLOSURE,
        expected_version=expected_version,
    )
    commit(step, note=note)
    return step.complaint


@transaction.atomic
def complaint_apply_ruling(
    *,
    complaint: Complaint,
    actor,
    liability: str,
    responsible_link: str,
    cause: str,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """S3.4, S6.10: the committee's final ruling on liability and cause. The
    committee app calls this when a ruling is made; closing below the ruling
    company cannot change it."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.APPLY_RULING,
        expected_version=expected_version,
    )
    case = step.complaint
    # S3.4: only a committee strictly above the ruling company may rule again.
    ruling_override_check(case, company=getattr(actor, "company", None))
    if liability not in Liability.values:
        raise DomainValidationError(_("请选择责任认定（有责/无责）"), field="liability")
    code_require(CodeTable.RESPONSIBLE_LINK, responsible_link, field="responsible_link")
    code_require(CodeTable.CAUSE, cause, field="cause")
    old = {
        "liability": case.liability,
        "responsible_link": case.responsible_link,
        "cause": case.cause,
    }
    values = {
        "liability": liability,
        "responsible_link": responsible_link,
        "cause": cause,
    }
    step.changes.update(values, ruled_by_committee=True, ruling_company=actor.company)
    commit(
        step,
        note=note,
        data={**values, "previous": old, "ruling_company": actor.company_id},
    )
    return case
