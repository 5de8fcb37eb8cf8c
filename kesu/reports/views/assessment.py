"""Scorecards, their history and head office's weights (issue 6.2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..access import can_manage_assessment, report_scoped
from ..forms import MetricForm
from ..models import AssessmentMetric, AssessmentSnapshot, Metric
from ..selectors.scorecard import company_scorecards, department_scorecards
from ..services.assessment import assessment_metric_update, assessment_snapshot_take
from .report import bad_query, query


@require_GET
@login_required
@domain_errors
def scorecards_page(request):
    try:
        form, company, period = query(request)
    except DomainValidationError as exc:
        return bad_query(request, exc)
    scoped = report_scoped(request.user, company)
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
            "companies": company_scorecards(
                scoped=scoped, company=company, period=period
            ),
            "departments": department_scorecards(
                scoped=scoped, company=company, period=period
            ),
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
    n = assessment_snapshot_take(user=request.user, company=company, period=period)
    messages.success(request, _("已保存 %(n)d 条考核结果") % {"n": n})
    return redirect(
        reverse("reports:scorecards") + f"?company={company.code}&period={period.key}"
    )


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
