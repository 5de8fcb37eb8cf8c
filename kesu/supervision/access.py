"""Who may see and touch supervision objects (DESIGN §5, §6). Every read starts
from `scope_companies(user)`; an object outside it is NotFound, never 403."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kesu.accounts.access import can, require, scope_companies
from kesu.accounts.roles import Perm
from kesu.errors import Forbidden, NotFound
from kesu.organisation.models import Company, Department, Level

# Who may read department figures and the supervision feed (S4).
FIGURE_PERMS = (Perm.REPORT_VIEW, Perm.SUPERVISION_MANAGE, Perm.COMMITTEE_ACT)


def company_get_for(user, *, pk: int | None) -> Company:
    """A company in the user's scope; their own when pk is None."""
    if pk is None:
        if user.company_id is None:
            raise NotFound(_("未找到该机构"))
        return user.company
    company = scope_companies(user).filter(pk=pk).first()
    if company is None:
        raise NotFound(_("未找到该机构"))
    return company


def department_get_for(user, *, pk: int) -> Department:
    department = (
        Department.objects.select_related("company")
        .filter(pk=pk, company__in=scope_companies(user))
        .first()
    )
    if department is None:
        raise NotFound(_("未找到该部门"))
    return department


def require_figures(user, company: Company) -> None:
    if not any(can(user, perm, company) for perm in FIGURE_PERMS):
        raise Forbidden(_("您没有查看督导数据的权限"))


def require_manage(user, company: Company) -> None:
    """S4/S5.1: the customer-service head runs supervision for their company."""
    require(user, Perm.SUPERVISION_MANAGE, company)


def require_sampling_company(user) -> Company:
    """S5.1: head office and provinces sample closed cases."""
    company = company_get_for(user, pk=None)
    require_manage(user, company)
    if company.level > Level.PROVINCE:
        raise Forbidden(_("只有总公司和省级分公司可以进行抽查"))
    return company


def visible_to_company_scope(user) -> Q:
    """Published notices and circulars are read by everyone in the issuing
    company's scope: the issuing company is the user's own or above it."""
    if user.company_id is None:
        return Q(pk__in=[])
    codes = user.company.ancestor_codes()
    return Q(company__code__in=codes)


def managed_companies(user) -> QuerySet[Company]:
    """Companies where the user runs supervision (drafts are visible there)."""
    if not can(user, Perm.SUPERVISION_MANAGE):
        return Company.objects.none()
    return scope_companies(user)
