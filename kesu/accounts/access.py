"""Who may see which companies' cases, and who may do what where (DESIGN §5).
Every other app's access module builds on these two questions."""

from django.db.models import QuerySet

from kesu.errors import Forbidden
from kesu.organisation.models import Company
from kesu.organisation.selectors import company_subtree

from .models import StaffChangeReport, User
from .roles import Perm, Role


def scope_companies(user: User) -> QuerySet[Company]:
    """The companies whose cases `user` may see: their own and everything below."""
    if not user.is_authenticated or user.company_id is None or not user.is_active:
        return Company.objects.none()
    if user.role_set and user.role_set <= {Role.AUDIT_ADMIN}:
        return (
            Company.objects.none()
        )  # B1: the audit administrator reads the audit log only
    return company_subtree(user.company)


def in_scope(user: User, company: Company) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.company_id
        and company.path.startswith(user.company.path)
    )


def can(user: User, perm: str, company: Company | None = None) -> bool:
    """May `user` do `perm`, at `company` if given (their own or a lower one)?"""
    if not user.is_authenticated or not user.is_active or perm not in user.perm_set:
        return False
    return company is None or in_scope(user, company)


def require(user: User, perm: str, company: Company | None = None) -> None:
    if not can(user, perm, company):
        raise Forbidden("您没有执行此操作的权限")


# S7.9: the customer service of the reporting city and of every company
# above it (the parent receives), and the system administrator.
STAFF_CHANGE_VIEW_PERMS = (
    Perm.COMPLAINT_HANDLE,
    Perm.SUPERVISION_MANAGE,
    Perm.ORG_ADMIN,
)


def staff_change_report_scope(user: User) -> QuerySet[StaffChangeReport]:
    if not any(can(user, perm) for perm in STAFF_CHANGE_VIEW_PERMS):
        return StaffChangeReport.objects.none()
    return StaffChangeReport.objects.filter(
        company__path__startswith=user.company.path
    ).select_related("company", "addressed_to", "submitted_by")
