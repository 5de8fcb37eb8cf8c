"""Scorecards, their history and head office's weights (issue 6.2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..access import can_manage_assessment
from ..figures import scorecards_load
from ..forms import MetricForm
from ..models import AssessmentMetric, AssessmentSnapshot, Metric, StoredFigures
from ..services.assessment import assessment_metric_update, assessment_snapshot_take
from .errors import bad_query
from .figures import figures_or_progress
from .report import query


@require_GET
@login_required
@domain_errors
def scorecards_page(request):
    try:
        form, company, period = query(request)
    except DomainValidationError as exc:
        return bad_query(request, exc)
    entry, waiting = figures_or_progress(
        request,
        kind=StoredFigures.Kind.SCORECARDS,
        company=company,
        period=period,
        form=form,
    )
    if waiting:
        return waiting
    companies, departments = scorecards_load(entry)
    history = (
        AssessmentSnapshot.objects.filter(company=company, department=None)
        .select_related("ranked_within")
        .order_by("-period_key")[:24]
    )
    return render(
        request,
        "reports/scorecards.html",
        {
            "form": form,
            "company": company,
            "period": period,
            "companies": companies,
            "departments": departments,
            "entry": entry,
            "metrics": Metric,
            "history": history,
        },
    )


@require_POST
@login_required
@domain_errors
def snapshot_take(request):
    try:
        _form, company, period = query(request)
    except DomainValidationError as exc:
        return bad_query(request, exc)
    page = (
        reverse("reports:scorecards") + f"?company={company.code}&period={period.key}"
    )
    try:
        n = assessment_snapshot_take(user=request.user, company=company, period=period)
    except DomainValidationError as exc:  # being counted: the page shows progress
        messages.warning(request, exc.message)
        return redirect(page)
    messages.success(request, _("已保存 %(n)d 条考核结果") % {"n": n})
    return redirect(page)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def weights_page(request):
    settings = list(AssessmentMetric.objects.select_related("updated_by"))
    editable = can_manage_assessment(request.user)
    error = None
    if request.method == "POST":
        form = MetricForm(request.POST)
        metric = request.POST.get("metric", "")
        if form.is_valid():
            try:
                assessment_metric_update(
                    user=request.user, metric=metric, **form.cleaned_data
                )
                messages.success(request, _("考核权重已保存"))
                return redirect("reports:weights")
            except DomainValidationError as exc:
                error = exc.message
        else:
            error = form.errors.as_text()
    return render(
        request,
        "reports/weights.html",
        {"settings": settings, "editable": editable, "error": error},
        status=400 if error else 200,
    )
