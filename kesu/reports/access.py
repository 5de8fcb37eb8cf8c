"""Who may see which reports (DESIGN §5, issue 6.6). A report is about a
company; the viewer must hold report.view and have the company in scope
(out of scope → 404). Figures are computed over the viewer's own complaint
scope within that company, so a department head's report counts only the
cases that involve their department (report_scope)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kesu.accounts.access import can, in_scope, require
from kesu.accounts.roles import Perm, Role
from kesu.complaints.access import department_only
from kesu.complaints.models import Complaint, Investigation
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


ALL = "all"
NOTHING = "none"


def report_scope(user, company: Company) -> str:
    """Which of `company`'s cases the viewer's figures count, as a key: figures
    are stored under it (services/figures.py), so two viewers share stored
    figures only if they count exactly the same cases.

    - "all": every case owned within the company's subtree. A viewer who may
      see the company (report_company_for) and is not limited to a department
      sees cases owned or registered within their own subtree (complaint_scope),
      which holds the company's whole subtree.
    - "department:<id>": the cases investigated by the viewer's department
      (department roles, DESIGN §5).
    - "none": nothing (tests/test_report_scope.py checks each against
      complaint_scope)."""
    if not (
        user.is_active and user.company_id and Perm.COMPLAINT_VIEW in user.perm_set
    ):
        return NOTHING
    if department_only(user):
        return f"department:{user.department_id}" if user.department_id else NOTHING
    return ALL


def scoped_complaints(company: Company, scope: str) -> QuerySet[Complaint]:
    """The complaints a scope key (report_scope) names within `company`."""
    if scope == ALL:
        return _within(Complaint.objects.all(), company)
    kind, _sep, department_id = scope.partition(":")
    if kind != "department" or not department_id.isdigit():
        return Complaint.objects.none()
    # a plain semi-join, so aggregates are not multiplied by investigations
    investigated = Investigation.objects.filter(department_id=int(department_id))
    return _within(
        Complaint.objects.filter(pk__in=investigated.values("complaint_id")), company
    )


def report_scoped(user, company: Company) -> QuerySet[Complaint]:
    """The viewer's complaints owned within `company`'s subtree."""
    return scoped_complaints(company, report_scope(user, company))


def _within(qs: QuerySet[Complaint], company: Company) -> QuerySet[Complaint]:
    if company.level == Level.HEAD_OFFICE:
        return qs  # every company is below head office: no join needed
    # the subtree's ids, not a join on the company path: PostgreSQL estimates
    # an id list from the column statistics (a province's month at a million
    # cases: 1.2 s through a nested loop on the join → 0.5 s)
    below = Company.objects.filter(path__startswith=company.path).values_list(
        "pk", flat=True
    )
    return qs.filter(owning_company_id__in=list(below))


def system_scoped(company: Company) -> QuerySet[Complaint]:
    """For scheduled reports made by the system for a company (S5.2, S6.2, S7.3)."""
    return scoped_complaints(company, ALL)


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
