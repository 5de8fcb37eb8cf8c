"""Handling steps that do not move the state: assign a handler, regrade,
record the preliminary opinion (DESIGN §3.3; S6.4, S7.4; R1.4, R1.14)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kesu.accounts.roles import Role
from kesu.errors import DomainValidationError

from ..lifecycle import Action
from ..models import Complaint, Grade
from .alerts import alert_major
from .transition import begin, commit


def check_not_complained_about(complaint: Complaint, user, *, field: str) -> None:
    """R1.4 recusal: a person complained about cannot be given the case."""
    if complaint.complained_staff.filter(pk=user.pk).exists():
        raise DomainValidationError(
            _("%(name)s是被投诉人员，须回避本案（R1.4）") % {"name": str(user)},
            field=field,
        )


@transaction.atomic
def complaint_assign(
    *, complaint: Complaint, actor, handler, expected_version: int | None = None
) -> Complaint:
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.ASSIGN,
        expected_version=expected_version,
    )
    case = step.complaint
    if (
        handler.company_id != case.owning_company_id
        or not handler.is_active
        or not handler.has_role(Role.HANDLER, Role.CS_HEAD)
    ):
        raise DomainValidationError(
            _("处理人须为本机构的投诉处理人员"), field="handler"
        )
    check_not_complained_about(case, handler, field="handler")
    old = case.handler_id
    step.changes["handler"] = handler
    commit(step, data={"from_handler": old, "to_handler": handler.pk})
    return case


@transaction.atomic
def complaint_regrade(
    *,
    complaint: Complaint,
    actor,
    grade: str,
    reason: str = "",
    group_size: int | None = None,
    expected_version: int | None = None,
) -> Complaint:
    if grade not in Grade.values:
        raise DomainValidationError(_("等级无效"), field="grade")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REGRADE,
        expected_version=expected_version,
    )
    case = step.complaint
    old = case.grade
    if grade == old and group_size in (None, case.group_size):
        raise DomainValidationError(_("等级未改变"), field="grade")
    step.changes["grade"] = grade
    if group_size is not None:
        if group_size < 1:
            raise DomainValidationError(_("投诉人数至少为1"), field="group_size")
        step.changes["group_size"] = group_size
    case.grade = grade
    alerted = alert_major(case) if old != grade else []  # R1.14
    commit(
        step,
        note=reason,
        data={"from_grade": old, "to_grade": grade, "alerted_companies": alerted},
    )
    return case


@transaction.atomic
def complaint_record_opinion(
    *, complaint: Complaint, actor, opinion: str, expected_version: int | None = None
) -> Complaint:
    """S6.4, S7.4: the handler's preliminary opinion from the demand."""
    if not (opinion or "").strip():
        raise DomainValidationError(_("请填写初步处理意见"), field="opinion")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.PRELIMINARY_OPINION,
        expected_version=expected_version,
    )
    step.changes["preliminary_opinion"] = opinion.strip()
    if step.complaint.handler_id is None:
        step.changes["handler"] = actor
    commit(step, note=opinion.strip())
    return step.complaint
