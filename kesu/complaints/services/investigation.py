"""Dispatch, investigation, review (DESIGN §3.3–§3.5; S6.4–S6.7, S7.4–S7.6).

Routing (S6.5, S7.5): a business centralised at the province is investigated
by the province's department; a city asks for it by referring the case up.
Call-centre, notification and value-added complaints are handled by customer
service itself (S6.6, S7.6) — the table refuses to dispatch them."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.errors import Conflict, DomainValidationError, NotFound
from kesu.organisation.models import Department, DepartmentKind, Level
from kesu.organisation.selectors import is_centralised

from ..deadlines import investigation_due
from ..lifecycle import OPEN_INVESTIGATION, Action
from ..models import Complaint, Investigation, State
from .transition import begin, commit


def check_routing(complaint: Complaint, department: Department) -> None:
    """The department must belong to the owning company or a lower one, be
    an involved (not customer-service) department, and not a business the
    province has centralised (S6.5, S7.5)."""
    owner = complaint.owning_company
    if not department.is_active or not department.company.is_within(owner):
        raise DomainValidationError(
            _("只能转办给本机构或下级机构的部门"), field="department"
        )
    if department.kind == DepartmentKind.CUSTOMER_SERVICE:
        raise DomainValidationError(
            _("客户服务部门不是涉案部门，无需转办"), field="department"
        )
    if department.company.level > Level.PROVINCE and is_centralised(
        department.company, department.kind
    ):
        raise DomainValidationError(
            _(
                "%(business)s业务已在省级分公司集中处理，请将案件上报省级分公司，"
                "按省级意见处理（S7.5、S6.5）"
            )
            % {"business": department.get_kind_display()},
            field="department",
            refer_up=True,
        )


def _check_due_date(due_date: dt.date | None) -> None:
    if due_date is not None and due_date < timezone.localdate():
        raise DomainValidationError(_("调查时限不能早于今天"), field="due_date")


@transaction.atomic
def investigation_dispatch(
    *,
    complaint: Complaint,
    actor,
    department: Department,
    instructions: str = "",
    due_date: dt.date | None = None,
    expected_version: int | None = None,
) -> tuple[Complaint, Investigation]:
    """转办: one investigation to one involved department, with its own due
    date (default 5 working days, D/R4.4). Call once per department."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.DISPATCH,
        expected_version=expected_version,
    )
    case = step.complaint
    check_routing(case, department)
    _check_due_date(due_date)
    if case.investigations.filter(
        department=department, status__in=OPEN_INVESTIGATION
    ).exists():
        raise DomainValidationError(_("该部门已有进行中的调查"), field="department")
    now = timezone.now()
    due = investigation_due(now) if due_date is None else None
    inv = Investigation.objects.create(
        complaint=case,
        department=department,
        instructions=instructions.strip(),
        dispatched_by=actor,
        dispatched_at=now,
        due_date=due.date if due else due_date,
        due_provisional=bool(due and due.provisional),
        due_working_days=None if due_date else _default_days(),
    )
    if case.handler_id is None:
        step.changes["handler"] = actor
    commit(
        step,
        note=instructions,
        data={
            "investigation": inv.pk,
            "department": department.pk,
            "department_name": str(department),
            "due_date": inv.due_date,
        },
    )
    return case, inv


def _default_days() -> int:
    from django.conf import settings

    return settings.KESU["INVESTIGATION_WORKING_DAYS"]


def _investigation(investigation: Investigation | int) -> Investigation:
    pk = getattr(investigation, "pk", investigation)
    found = Investigation.objects.select_related("department").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("未找到该调查"))
    return found


@transaction.atomic
def investigation_answer(
    *,
    investigation: Investigation | int,
    actor,
    finding: str,
    proposed_resolution: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """S7.4: the department's coordinator answers with a finding. The case
    goes to review once no investigation is outstanding."""
    inv = _investigation(investigation)
    step = begin(
        complaint=inv.complaint_id,
        actor=actor,
        action=Action.ANSWER,
        expected_version=expected_version,
    )
    inv = Investigation.objects.select_for_update().get(pk=inv.pk)
    if inv.department_id != actor.department_id:
        raise NotFound(_("未找到该调查"))
    if inv.status not in OPEN_INVESTIGATION:
        raise Conflict(_("该调查已反馈"))
    if not (finding or "").strip():
        raise DomainValidationError(_("请填写调查结果"), field="finding")
    inv.status, inv.finding = Investigation.Status.ANSWERED, finding.strip()
    inv.proposed_resolution = (proposed_resolution or "").strip()
    inv.coordinator, inv.answered_at = actor, timezone.now()
    inv.save(
        update_fields=[
            "status",
            "finding",
            "proposed_resolution",
            "coordinator",
            "answered_at",
        ]
    )
    still_open = step.complaint.investigations.filter(
        status__in=OPEN_INVESTIGATION
    ).exists()
    commit(
        step,
        note=inv.finding,
        to_state=State.INVESTIGATING if still_open else None,
        data={
            "investigation": inv.pk,
            "department": inv.department_id,
            "proposed_resolution": inv.proposed_resolution,
        },
    )
    return step.complaint


@transaction.atomic
def investigation_return(
    *,
    investigation: Investigation | int,
    actor,
    guidance: str,
    due_date: dt.date | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """S6.7, S5.5: an unreasonable finding goes back with guidance; the
    number of returns is counted (assessment: re-investigation rate)."""
    inv = _investigation(investigation)
    step = begin(
        complaint=inv.complaint_id,
        actor=actor,
        action=Action.RETURN_FOR_REINVESTIGATION,
        expected_version=expected_version,
    )
    inv = Investigation.objects.select_for_update().get(pk=inv.pk)
    if inv.status != Investigation.Status.ANSWERED:
        raise Conflict(_("只能退回已反馈的调查结果"))
    if not (guidance or "").strip():
        raise DomainValidationError(_("请填写重新调查的指导意见"), field="guidance")
    _check_due_date(due_date)
    now = timezone.now()
    due = investigation_due(now) if due_date is None else None
    inv.status, inv.guidance = Investigation.Status.RETURNED, guidance.strip()
    inv.return_count += 1
    inv.due_date = due.date if due else due_date
    inv.due_provisional = bool(due and due.provisional)
    inv.due_working_days = None if due_date else _default_days()
    inv.dispatched_at, inv.breached_at, inv.reminded_at = now, None, None
    inv.save(
        update_fields=[
            "status",
            "guidance",
            "return_count",
            "due_date",
            "due_provisional",
            "due_working_days",
            "dispatched_at",
            "breached_at",
            "reminded_at",
        ]
    )
    commit(
        step,
        note=inv.guidance,
        data={
            "investigation": inv.pk,
            "department": inv.department_id,
            "return_count": inv.return_count,
            "previous_finding": inv.finding,
            "due_date": inv.due_date,
        },
    )
    return step.complaint


@transaction.atomic
def investigation_accept_finding(
    *,
    investigation: Investigation | int,
    actor,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    inv = _investigation(investigation)
    step = begin(
        complaint=inv.complaint_id,
        actor=actor,
        action=Action.ACCEPT_FINDING,
        expected_version=expected_version,
    )
    inv = Investigation.objects.select_for_update().get(pk=inv.pk)
    if inv.status != Investigation.Status.ANSWERED:
        raise Conflict(_("只能采纳已反馈的调查结果"))
    inv.status = Investigation.Status.ACCEPTED
    inv.save(update_fields=["status"])
    commit(
        step, note=note, data={"investigation": inv.pk, "department": inv.department_id}
    )
    return step.complaint
