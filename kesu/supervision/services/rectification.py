"""Root-cause rectification (R1.12a, 溯源整改): a head opens an item for a
department from a liable case or a cluster of cases with the same cause; the
department reports it done; customer service checks it and closes it, or
sends it back."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.models import User
from kesu.complaints.access import complaint_scope
from kesu.complaints.models import Liability
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound

from ..access import company_get_for, department_get_for, require_manage
from ..models import Rectification
from .events import supervision_event_record

S = Rectification.Status


def _source_cases(user, ids: list[int]) -> tuple[list, str]:
    """One liable case, or several with the same cause (R1.12a)."""
    ids = sorted(set(ids))
    if not ids:
        raise DomainValidationError(_("请选择整改来源案件"), field="complaints")
    cases = list(complaint_scope(user).filter(pk__in=ids))
    if len(cases) != len(ids):
        raise NotFound(_("未找到所选案件"), field="complaints")
    causes = {c.cause for c in cases}
    if len(cases) == 1 and cases[0].liability != Liability.LIABLE:
        raise DomainValidationError(_("单个案件须为有责案件"), field="complaints")
    if len(cases) > 1 and (len(causes) != 1 or "" in causes):
        raise DomainValidationError(_("多个案件须属于同一原因归类"), field="complaints")
    return cases, causes.pop()


@transaction.atomic
def rectification_open(
    *,
    user,
    department_id: int,
    complaint_ids: list[int],
    owner_id: int,
    action: str,
    due_date: dt.date,
) -> Rectification:
    company = company_get_for(user, pk=None)
    require_manage(user, company)
    department = department_get_for(user, pk=department_id)
    owner = User.objects.filter(
        pk=owner_id, department=department, is_active=True
    ).first()
    if owner is None:
        raise DomainValidationError(_("整改责任人须为该部门人员"), field="owner")
    if not action.strip():
        raise DomainValidationError(_("请填写整改措施"), field="action")
    if due_date < timezone.localdate():
        raise DomainValidationError(_("整改期限不能早于今天"), field="due_date")
    cases, cause = _source_cases(user, complaint_ids)
    item = Rectification.objects.create(
        company=company,
        department=department,
        cause=cause,
        owner=owner,
        action=action.strip(),
        due_date=due_date,
        opened_by=user,
        opened_at=timezone.now(),
    )
    item.complaints.set(cases)
    supervision_event_record(
        company=company,
        subject="rectification",
        subject_id=item.pk,
        action="rectification_opened",
        actor=user,
        data={"complaints": [c.pk for c in cases]},
    )
    return item


def _move(item: Rectification, *, frm: str, **fields) -> None:
    changed = Rectification.objects.filter(pk=item.pk, status=frm).update(**fields)
    if not changed:
        raise Conflict(_("整改事项状态已变化，请刷新后重试"))
    item.refresh_from_db()


@transaction.atomic
def rectification_report_done(
    *, user, item: Rectification, report: str
) -> Rectification:
    """The department (its owner or a member) reports the action done."""
    if user.department_id != item.department_id:
        raise Forbidden(_("只有整改部门可以报告整改完成"))
    if not report.strip():
        raise DomainValidationError(_("请填写整改情况"), field="report")
    _move(
        item,
        frm=S.OPEN,
        status=S.REPORTED,
        report=report.strip(),
        reported_by=user,
        reported_at=timezone.now(),
    )
    supervision_event_record(
        company=item.company,
        subject="rectification",
        subject_id=item.pk,
        action="rectification_reported",
        actor=user,
    )
    return item


@transaction.atomic
def rectification_close(*, user, item: Rectification, note: str = "") -> Rectification:
    """Customer service checks the reported action and closes the item."""
    require_manage(user, item.company)
    _move(
        item,
        frm=S.REPORTED,
        status=S.CLOSED,
        check_note=note.strip(),
        closed_by=user,
        closed_at=timezone.now(),
    )
    supervision_event_record(
        company=item.company,
        subject="rectification",
        subject_id=item.pk,
        action="rectification_closed",
        actor=user,
        note=note,
    )
    return item


@transaction.atomic
def rectification_return(*, user, item: Rectification, note: str) -> Rectification:
    """Customer service finds the action not done and sends it back."""
    require_manage(user, item.company)
    if not note.strip():
        raise DomainValidationError(_("请填写验收意见"), field="note")
    _move(item, frm=S.REPORTED, status=S.OPEN, check_note=note.strip())
    supervision_event_record(
        company=item.company,
        subject="rectification",
        subject_id=item.pk,
        action="rectification_returned",
        actor=user,
        note=note,
    )
    return item
