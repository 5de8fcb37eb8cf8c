"""Reads of people and staff-change reports, from the scoped querysets."""

from django.db.models import QuerySet
from django.utils import timezone

from .access import staff_change_report_scope
from .models import StaffChangeReport, User


def staff_change_reports_overdue(
    queryset: QuerySet[StaffChangeReport] | None = None,
) -> QuerySet[StaffChangeReport]:
    """S7.9: not submitted, and the due date (end of day, Shanghai) has passed."""
    if queryset is None:
        queryset = StaffChangeReport.objects.all()
    return queryset.filter(submitted_at__isnull=True, due_date__lt=timezone.localdate())


def staff_change_report_list_for(
    user: User,
    *,
    direction: str = "all",
    overdue: bool | None = None,
) -> QuerySet[StaffChangeReport]:
    """`direction`: "outgoing" (reports of the user's own company), "incoming"
    (addressed to it) or "all" (its scope)."""
    reports = staff_change_report_scope(user)
    if direction == "outgoing":
        reports = reports.filter(company_id=user.company_id)
    elif direction == "incoming":
        reports = reports.filter(addressed_to_id=user.company_id)
    if overdue is True:
        reports = staff_change_reports_overdue(reports)
    elif overdue is False:
        reports = reports.exclude(
            pk__in=staff_change_reports_overdue(reports).values("pk")
        )
    return reports
