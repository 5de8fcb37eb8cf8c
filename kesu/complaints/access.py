"""Who may see which complaints (DESIGN §5). Every read of a complaint starts
from `complaint_scope(user)`; a case outside it answers 404, never 403."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kesu.accounts.roles import CASE_ROLES, DEPARTMENT_ROLES, Perm
from kesu.errors import NotFound

from .models import Complaint, Investigation


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.company_id)


def department_only(user) -> bool:
    """Coordinators and department heads (and nobody else in their roles)
    see only cases with an investigation for their department."""
    case_roles = user.role_set & CASE_ROLES
    return bool(case_roles) and case_roles <= DEPARTMENT_ROLES


def complaint_scope(user) -> QuerySet[Complaint]:
    """Cases whose owning OR registering company is the user's company or
    below it (one indexed prefix filter per side, no tree walk); head office
    sees all. Department roles see their department's investigations' cases."""
    if not _active(user) or Perm.COMPLAINT_VIEW not in user.perm_set:
        return Complaint.objects.none()
    qs = Complaint.objects.all()
    if department_only(user):
        if not user.department_id:
            return Complaint.objects.none()
        # A semi-join on the department's investigations: an EXISTS per case
        # makes the planner walk every case (slow at scale on both databases).
        return qs.filter(
            pk__in=Investigation.objects.filter(
                department_id=user.department_id
            ).values("complaint_id")
        )
    company = user.company
    if company.is_head_office:
        return qs
    return qs.filter(
        Q(owning_company__path__startswith=company.path)
        | Q(registered_company__path__startswith=company.path)
    )


def complaint_in_scope(user, complaint_id: int) -> bool:
    return complaint_scope(user).filter(pk=complaint_id).exists()


def complaint_get_for(
    user, *, pk: int | None = None, number: str | None = None
) -> Complaint:
    """The case if `user` may see it, else NotFound (existence does not leak)."""
    if pk is None and not number:
        raise NotFound(_("未找到该投诉案件"))
    lookup = {"pk": pk} if pk is not None else {"number": number}
    complaint = (
        complaint_scope(user)
        .select_related(
            "owning_company", "registered_company", "complainant", "handler"
        )
        .filter(**lookup)
        .first()
    )
    if complaint is None:
        raise NotFound(_("未找到该投诉案件"))
    return complaint
