"""The supervision feed for a company's management office (S4): the period's
department figures, published notices and open rectification items."""

from django.utils import timezone

from kesu.accounts.access import scope_companies
from kesu.organisation.models import Company

from ..access import require_figures
from ..models import PublicNotice, Rectification
from ..periods import Period
from .figures import department_figures, figures_involved
from .notices import public_notice_list_for
from .registers import rectification_scope


def supervision_feed_for(user, *, company: Company, period: Period) -> dict:
    """What the management office of `company` (or a supervisor above it) is
    shown: its departments' figures and the supervision work about them."""
    require_figures(user, company)
    figures = department_figures(companies=[company], period=period)
    notices = public_notice_list_for(
        user, period=period, status=PublicNotice.Status.PUBLISHED
    )
    rectifications = (
        rectification_scope(user)
        .filter(department__company=company)
        .exclude(status=Rectification.Status.CLOSED)
    )
    today = timezone.localdate()
    return {
        "company": company,
        "period": period,
        "figures": figures,
        "involved": figures_involved(figures),
        "totals": {
            "cases": sum(f.cases for f in figures),
            "investigations": sum(f.investigations for f in figures),
            "answered_on_time": sum(f.answered_on_time for f in figures),
            "returned": sum(f.returned for f in figures),
            "breaches": sum(f.breaches for f in figures),
        },
        "notices": list(notices.filter(department__company=company)[:50]),
        "rectifications": list(rectifications[:50]),
        "overdue_rectifications": sum(
            1 for r in rectifications[:50] if r.due_date < today
        ),
        "companies": list(scope_companies(user).order_by("path")),
    }
