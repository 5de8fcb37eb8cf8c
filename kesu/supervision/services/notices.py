"""Public notices (S4): a customer-service head names a department that
obviously delayed cases through dereliction, with the cases as evidence;
publishing shows it to the whole scope of the company and copies the
parent company's customer service through the outbox."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.access import complaint_scope
from kesu.complaints.models import Complaint
from kesu.errors import Conflict, DomainValidationError, NotFound
from kesu.notifications.services import notification_enqueue
from kesu.organisation.selectors import customer_service_of

from ..access import company_get_for, department_get_for, require_manage
from ..models import PublicNotice
from .events import supervision_event_record


def evidence_cases(user, *, ids: list[int], department) -> list[Complaint]:
    """The cases in the user's scope that involve `department` (S4 evidence)."""
    ids = sorted(set(ids))
    if not ids:
        raise DomainValidationError(_("请至少选择一件案件作为依据"), field="complaints")
    cases = list(complaint_scope(user).filter(pk__in=ids))
    if len(cases) != len(ids):
        raise NotFound(_("未找到所选案件"), field="complaints")
    involved = set(
        Complaint.objects.filter(
            pk__in=ids, investigations__department=department
        ).values_list("pk", flat=True)
    )
    strangers = [c.number for c in cases if c.pk not in involved]
    if strangers:
        raise DomainValidationError(
            _("以下案件未转办该部门调查：%(numbers)s")
            % {"numbers": "、".join(strangers)},
            field="complaints",
        )
    return cases


@transaction.atomic
def public_notice_draft(
    *, user, department_id: int, title: str, body: str, complaint_ids: list[int]
) -> PublicNotice:
    """S4: draft a notice of the user's company naming a department in scope."""
    company = company_get_for(user, pk=None)
    require_manage(user, company)
    department = department_get_for(user, pk=department_id)
    if not title.strip() or not body.strip():
        raise DomainValidationError(_("请填写公示标题和内容"), field="title")
    cases = evidence_cases(user, ids=complaint_ids, department=department)
    notice = PublicNotice.objects.create(
        company=company,
        department=department,
        title=title.strip(),
        body=body.strip(),
        drafted_by=user,
        drafted_at=timezone.now(),
    )
    notice.complaints.set(cases)
    supervision_event_record(
        company=company,
        subject="public_notice",
        subject_id=notice.pk,
        action="public_notice_drafted",
        actor=user,
        data={"complaints": [c.pk for c in cases]},
    )
    return notice


@transaction.atomic
def public_notice_publish(*, user, notice: PublicNotice) -> PublicNotice:
    """S4: publish to the company's scope and copy the parent's customer service."""
    require_manage(user, notice.company)
    now = timezone.now()
    changed = PublicNotice.objects.filter(
        pk=notice.pk, status=PublicNotice.Status.DRAFT
    ).update(status=PublicNotice.Status.PUBLISHED, published_by=user, published_at=now)
    if not changed:  # compare-and-set: a second publish loses
        raise Conflict(_("该公示已发布"))
    notice.refresh_from_db()
    parent = notice.company.parent
    copy_to = customer_service_of(parent) if parent else None
    if copy_to is not None:
        notification_enqueue(
            kind="public_notice_copy",
            subject=_("公示抄送：%(t)s") % {"t": notice.title},
            body=notice.body,
            department=copy_to,
            payload={
                "public_notice": notice.pk,
                "company": notice.company.code,
                "department": notice.department_id,
            },
            dedupe_key=f"public_notice_copy:{notice.pk}",
        )
    supervision_event_record(
        company=notice.company,
        subject="public_notice",
        subject_id=notice.pk,
        action="public_notice_published",
        actor=user,
        data={"copied_to": copy_to.pk if copy_to else None},
    )
    return notice
