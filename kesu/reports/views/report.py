"""The periodic complaint report page (issue 6.1): the stored figures, or the
progress of their computation (views/figures.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..access import report_company_for, report_scoped
from ..charts import horizontal_bars, pareto_chart, vertical_bars
from ..exports.complaint_report_xlsx import DIMENSION_TITLES, headline_rows
from ..figures import complaint_report_load
from ..forms import ReportQueryForm
from ..models import ReportJob, StoredFigures
from ..periods import PeriodKind, period_containing, period_parse
from .errors import bad_query
from .figures import figures_or_progress


def default_period_key() -> str:
    return period_containing(PeriodKind.MONTH, timezone.localdate()).previous().key


def query(request):
    """(company, period) from ?company=&period=; errors become a 400 page."""
    form = ReportQueryForm(request.GET)
    form.is_valid()
    company = report_company_for(request.user, form.cleaned_data.get("company"))
    period = period_parse(form.cleaned_data.get("period") or default_period_key())
    return form, company, period


@require_GET
@login_required
@domain_errors
def complaint_report_page(request):
    try:
        form, company, period = query(request)
    except DomainValidationError as exc:
        return bad_query(request, exc)
    entry, waiting = figures_or_progress(
        request,
        kind=StoredFigures.Kind.COMPLAINT_REPORT,
        company=company,
        period=period,
        form=form,
    )
    if waiting:
        return waiting
    report = complaint_report_load(
        entry,
        scoped=report_scoped(request.user, company),
        company=company,
        period=period,
    )
    charts = {
        "trend": vertical_bars(report.monthly, title=_("近十二个月投诉量")),
        "pareto": pareto_chart(report.pareto, title=_("投诉原因帕累托图")),
    }
    dimensions = [
        (
            str(DIMENSION_TITLES[key]),
            rows,
            horizontal_bars(rows, title=str(DIMENSION_TITLES[key])),
        )
        for key, rows in report.breakdowns.items()
    ]
    return render(
        request,
        "reports/complaint_report.html",
        {
            "form": form,
            "report": report,
            "charts": charts,
            "dimensions": dimensions,
            "headline": headline_rows(report),
            "kinds": ReportJob.Kind,
            "entry": entry,
            "company_chart": horizontal_bars(
                report.lower_companies, title=_("下级机构")
            ),
        },
    )
