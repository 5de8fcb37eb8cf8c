"""Supervision of departments (S4): per department and period, the cases
involved, investigations answered on time, returns for re-investigation and
breaches. Three aggregate queries, whatever the number of departments."""

from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from kesu.complaints.models import Breach, Investigation
from kesu.organisation.models import Company, Department

from ..periods import Period


@dataclass
class DepartmentFigures:
    department_id: int
    department: str
    company_id: int
    company: str
    cases: int = 0  # complaints with an investigation dispatched in the period
    investigations: int = 0
    answered: int = 0
    answered_on_time: int = 0
    returned: int = 0  # investigations returned at least once (S6.7)
    returns: int = 0  # returns in all
    breaches: int = 0  # breaches recorded in the period against the department

    @property
    def on_time_rate(self) -> float | None:
        return (
            round(self.answered_on_time / self.investigations, 4)
            if self.investigations
            else None
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "on_time_rate": self.on_time_rate}


def _investigation_rows(companies, lo, hi) -> dict[int, dict]:
    """Per department: investigations dispatched in [lo, hi), aggregated."""
    on_time = Q(answered_at__isnull=False, answered_at__date__lte=F("due_date"))
    rows = (
        Investigation.objects.filter(
            department__company__in=companies,
            dispatched_at__gte=lo,
            dispatched_at__lt=hi,
        )
        .values("department")
        .annotate(
            cases=Count("complaint", distinct=True),
            investigations=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            answered_on_time=Count("id", filter=on_time),
            returned=Count("id", filter=Q(return_count__gt=0)),
            returns=Sum("return_count"),
        )
    )
    return {row.pop("department"): row for row in rows}


def _breach_counts(companies, lo, hi) -> dict[int, int]:
    return dict(
        Breach.objects.filter(
            department__company__in=companies, recorded_at__gte=lo, recorded_at__lt=hi
        )
        .values_list("department")
        .annotate(n=Count("id"))
        .values_list("department", "n")
    )


def department_figures(
    *, companies: QuerySet[Company] | list[Company], period: Period
) -> list[DepartmentFigures]:
    """The figures of every active department of `companies` (S4)."""
    lo, hi = period.bounds()
    departments = (
        Department.objects.filter(company__in=companies, is_active=True)
        .select_related("company")
        .order_by("company__path", "kind")
    )
    by_department = _investigation_rows(companies, lo, hi)
    breaches = _breach_counts(companies, lo, hi)
    figures = []
    for department in departments:
        row = by_department.get(department.pk, {})
        figures.append(
            DepartmentFigures(
                department_id=department.pk,
                department=department.name,
                company_id=department.company_id,
                company=department.company.name,
                cases=row.get("cases", 0),
                investigations=row.get("investigations", 0),
                answered=row.get("answered", 0),
                answered_on_time=row.get("answered_on_time", 0),
                returned=row.get("returned", 0),
                returns=row.get("returns") or 0,
                breaches=breaches.get(department.pk, 0),
            )
        )
    return figures


def figures_involved(figures: list[DepartmentFigures]) -> list[DepartmentFigures]:
    """Only departments that had something in the period."""
    return [f for f in figures if f.investigations or f.breaches]
