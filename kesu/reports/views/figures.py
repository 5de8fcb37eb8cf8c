"""Report pages over stored figures (issue 6.5): a page shows fresh figures
at once; otherwise it shows the progress of their computation, polled with
htmx, and reloads itself when they are ready. Nothing is counted here."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..access import report_company_for
from ..forms import RecountForm
from ..models import StoredFigures
from ..periods import period_parse
from ..services.figures import is_ready, stored_figures_for, stored_figures_recount
from .errors import bad_form, bad_query

PAGES = {
    StoredFigures.Kind.COMPLAINT_REPORT: "reports:complaint_report",
    StoredFigures.Kind.SCORECARDS: "reports:scorecards",
    StoredFigures.Kind.REGULATOR: "reports:regulator",
}


def figures_or_progress(request, *, kind: str, company, period, form):
    """(entry, None) when the page can show its figures, else (entry, the
    progress page or, to a poll, its fragment or a reload)."""
    entry = stored_figures_for(
        user=request.user,
        kind=kind,
        company=company,
        period=period,
        start=not request.htmx,  # a poll only watches
    )
    ready = is_ready(entry, period)
    if request.htmx:
        if ready:
            return entry, HttpResponseClientRefresh()
        return entry, render(request, "reports/_figures_progress.html", _ctx(entry))
    if ready:
        return entry, None
    context = {**_ctx(entry), "form": form, "company": company, "period": period}
    return entry, render(request, "reports/figures_progress.html", context)


def _ctx(entry: StoredFigures) -> dict:
    return {"entry": entry}


@require_POST
@login_required
@domain_errors
def figures_recount(request):
    """Count a page's figures again now (the page's refresh button)."""
    form = RecountForm(request.POST)
    if not form.is_valid():
        return bad_form(request, form)
    try:
        company = report_company_for(request.user, form.cleaned_data["company"])
        period = period_parse(form.cleaned_data["period"])
    except DomainValidationError as exc:
        return bad_query(request, exc)
    kind = form.cleaned_data["kind"]
    entry = stored_figures_for(
        user=request.user, kind=kind, company=company, period=period, start=False
    )
    stored_figures_recount(entry)
    query = urlencode({"company": company.code, "period": period.key})
    return redirect(f"{reverse(PAGES[kind])}?{query}")
