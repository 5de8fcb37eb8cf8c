"""Reads of the vexatious complainant register (S6.11) and of root-cause
rectification items (R1.12a)."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.access import scope_companies
from kesu.accounts.roles import DEPARTMENT_ROLES
from kesu.complaints.models import Complainant
from kesu.errors import NotFound
from kesu.organisation.models import Company

from ..models import Rectification, VexatiousRecord
from ..periods import Period


def vexatious_record_for(
    complainant: Complainant | int | None = None,
    *,
    id_number_index: str = "",
    phone_index: str = "",
) -> VexatiousRecord | None:
    """S6.11: the active vexatious record of a complainant, found by the
    complainant (or its id) or by the blind index of the ID number or phone,
    for intake to warn the clerk. The register is shared across the company
    tree: the same person is vexatious wherever they complain."""
    match = Q()
    if complainant is not None:
        match |= Q(complainant=complainant)
    if id_number_index:
        match |= Q(complainant__id_number_index=id_number_index)
    if phone_index:
        match |= Q(complainant__phone_index=phone_index)
    if not match:
        return None
    return (
        VexatiousRecord.objects.filter(match, is_active=True)
        .select_related("company", "complainant")
        .order_by("-marked_at")
        .first()
    )


def vexatious_records_for(
    *, id_number_index: str = "", phone_index: str = ""
) -> QuerySet[VexatiousRecord]:
    """S6.11: every active record matching the blind indexes; the name the
    lifecycle's `kesu.complaints.selectors.vexatious_records` looks for."""
    match = Q()
    if id_number_index:
        match |= Q(complainant__id_number_index=id_number_index)
    if phone_index:
        match |= Q(complainant__phone_index=phone_index)
    if not match:
        return VexatiousRecord.objects.none()
    return VexatiousRecord.objects.filter(match, is_active=True).select_related(
        "company", "complainant"
    )


def vexatious_list_for(
    user, *, active: bool | None = True
) -> QuerySet[VexatiousRecord]:
    records = VexatiousRecord.objects.filter(
        company__in=scope_companies(user)
    ).select_related("company", "complainant")
    if active is not None:
        records = records.filter(is_active=active)
    return records


def vexatious_get_for(user, *, pk: int) -> VexatiousRecord:
    record = vexatious_list_for(user, active=None).filter(pk=pk).first()
    if record is None:
        raise NotFound(_("未找到该登记"))
    return record


def rectification_scope(user) -> QuerySet[Rectification]:
    """Items of the companies in scope; a department role sees only its own."""
    items = Rectification.objects.filter(company__in=scope_companies(user))
    if user.role_set and user.role_set <= DEPARTMENT_ROLES:
        items = items.filter(department_id=user.department_id)
    return items.select_related("company", "department__company", "owner")


def rectification_list_for(
    user, *, status: str = "", overdue: bool = False
) -> QuerySet[Rectification]:
    items = rectification_scope(user)
    if status:
        items = items.filter(status=status)
    if overdue:
        items = items.exclude(status=Rectification.Status.CLOSED).filter(
            due_date__lt=timezone.localdate()
        )
    return items


def rectification_get_for(user, *, pk: int) -> Rectification:
    item = rectification_scope(user).filter(pk=pk).first()
    if item is None:
        raise NotFound(_("未找到该整改事项"))
    return item


def rectification_counts(company: Company, period: Period) -> dict:
    """For assessment (R1.12a): items opened for departments of `company` in
    the period, closed, still open, and open past their due date today."""
    lo, hi = period.bounds()
    items = Rectification.objects.filter(
        department__company=company, opened_at__gte=lo, opened_at__lt=hi
    )
    closed = Q(status=Rectification.Status.CLOSED)
    return items.aggregate(
        opened=Count("id"),
        closed=Count("id", filter=closed),
        open=Count("id", filter=~closed),
        overdue=Count("id", filter=~closed & Q(due_date__lt=timezone.localdate())),
    )
