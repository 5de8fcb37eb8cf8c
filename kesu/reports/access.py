"""Who may see which reports (DESIGN §5, issue 6.6). A report is about a
company; the viewer must hold report.view and have the company in scope
(out of scope → 404). Figures are computed over the viewer's own complaint
scope within that company, so a department head's report counts only the
cases that involve their department."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kesu.accounts.access import can, in_scope, require
from kesu.accounts.roles import Perm, Role
from kesu.complaints.access import complaint_scope
from kesu.complaints.models import Complaint
from kesu.errors import NotFound
from kesu.organisation.models import Company, Level


def report_company_for(user, code: str | None) -> Company:
    """The company a report is asked for (default: the user's own)."""
    require(user, Perm.REPORT_VIEW)
    if not code:
        return user.company
    company = Company.objects.filter(code=code).first()
    if company is None or not in_scope(user, company):
        raise NotFound(_("机构不存在"))
    return company


def report_scoped(user, company: Company) -> QuerySet[Complaint]:
    """The viewer's complaints owned within `company`'s subtree."""
    scope = complaint_scope(user)
    if scope.query.distinct:
        # a department-limited scope joins investigations; aggregate over a
        # plain queryset so that counts are not multiplied by the join.
        scope = Complaint.objects.filter(pk__in=scope.values("pk"))
    return _within(scope, company)


def _within(qs: QuerySet[Complaint], company: Company) -> QuerySet[Complaint]:
    if company.level == Level.HEAD_OFFICE:
        return qs  # every company is below head office: no join needed
    return qs.filter(owning_company__path__startswith=company.path)


def system_scoped(company: Company) -> QuerySet[Complaint]:
    """For scheduled reports made by the system for a company (S5.2, S6.2, S7.3)."""
    return _within(Complaint.objects.all(), company)


def can_manage_assessment(user) -> bool:
    """Head office's customer-service head sets weights and formulas (issue 6.2)."""
    return bool(
        can(user, Perm.SUPERVISION_MANAGE)
        and user.has_role(Role.CS_HEAD)
        and user.company
        and user.company.level == Level.HEAD_OFFICE
    )


def can_enter_regulator_figures(user, company: Company) -> bool:
    return can(user, Perm.SUPERVISION_MANAGE, company)
