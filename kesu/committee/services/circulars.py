"""Circulars (S3.2): the committee office issues circulars on complaints
escalated through a department's late or poor handling, and on complaints of
major impact. Issued circulars are read by the whole scope of the company."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.access import complaint_scope
from kesu.errors import Conflict, DomainValidationError, NotFound
from kesu.supervision.access import department_get_for
from kesu.supervision.periods import Period

from ..access import own_company, require_office
from ..models import Circular
from .events import committee_event_record


def _circular_cases(user, kind: str, complaint_ids: list[int]) -> list:
    ids = sorted(set(complaint_ids))
    cases = list(complaint_scope(user).filter(pk__in=ids))
    if not ids or len(cases) != len(ids):
        raise NotFound(_("未找到所选案件"), field="complaints")
    if kind == Circular.Kind.ESCALATION and not all(c.escalated for c in cases):
        raise DomainValidationError(
            _("升级投诉通报只能包含升级投诉"), field="complaints"
        )
    return cases


@transaction.atomic
def circular_draft(
    *,
    user,
    kind: str,
    title: str,
    body: str,
    complaint_ids: list[int],
    department_id: int | None = None,
    period: Period | None = None,
) -> Circular:
    company = own_company(user)
    require_office(user, company)
    if kind not in Circular.Kind.values:
        raise DomainValidationError(_("请选择通报类型"), field="kind")
    if not title.strip() or not body.strip():
        raise DomainValidationError(_("请填写通报标题和内容"), field="title")
    department = department_get_for(user, pk=department_id) if department_id else None
    if kind == Circular.Kind.ESCALATION and department is None:
        # S3.2: an escalation circular names the department whose handling failed
        raise DomainValidationError(_("升级投诉通报须指明涉及部门"), field="department")
    cases = _circular_cases(user, kind, complaint_ids)
    circular = Circular.objects.create(
        company=company,
        kind=kind,
        department=department,
        title=title.strip(),
        body=body.strip(),
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        drafted_by=user,
        drafted_at=timezone.now(),
    )
    circular.complaints.set(cases)
    committee_event_record(
        company=company,
        subject="circular",
        subject_id=circular.pk,
        action="circular_drafted",
        actor=user,
        data={"complaints": [c.pk for c in cases]},
    )
    return circular


@transaction.atomic
def circular_issue(*, user, circular: Circular) -> Circular:
    require_office(user, circular.company)
    changed = Circular.objects.filter(
        pk=circular.pk, status=Circular.Status.DRAFT
    ).update(status=Circular.Status.ISSUED, issued_by=user, issued_at=timezone.now())
    if not changed:
        raise Conflict(_("该通报已发布"))
    circular.refresh_from_db()
    committee_event_record(
        company=circular.company,
        subject="circular",
        subject_id=circular.pk,
        action="circular_issued",
        actor=user,
    )
    return circular
