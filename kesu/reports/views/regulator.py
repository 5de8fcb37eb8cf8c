"""Regulator statistics page and the entry of premium/policy figures (issue 6.3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..access import can_enter_regulator_figures, report_company_for
from ..figures import regulator_load
from ..forms import RegulatorFiguresForm
from ..models import StoredFigures
from ..services.regulator_figures import regulator_figures_enter
from .errors import bad_form, bad_query
from .figures import figures_or_progress
from .report import query


@require_GET
@login_required
@domain_errors
def regulator_page(request):
    try:
        form, company, period = query(request)
    except DomainValidationError as exc:
        return bad_query(request, exc)
    entry, waiting = figures_or_progress(
        request,
        kind=StoredFigures.Kind.REGULATOR,
        company=company,
        period=period,
        form=form,
    )
    if waiting:
        return waiting
    stats = regulator_load(entry, company=company, period=period)
    return render(
        request,
        "reports/regulator.html",
        {
            "form": form,
            "stats": stats,
            "entry": entry,
            "can_enter": can_enter_regulator_figures(request.user, company),
            "figures_form": RegulatorFiguresForm(
                initial={"company": company.code, "period": period.key}
            ),
        },
    )


@require_POST
@login_required
@domain_errors
def figures_enter(request):
    form = RegulatorFiguresForm(request.POST)
    if not form.is_valid():
        return bad_form(request, form)
    data = form.cleaned_data
    try:
        company = report_company_for(request.user, data["company"])
        regulator_figures_enter(
            user=request.user,
            company=company,
            period_key=data["period"],
            premium=data["premium"],
            policies=data["policies"],
            insured=data["insured"],
        )
    except DomainValidationError as exc:
        return bad_query(request, exc)
    messages.success(request, _("监管统计基数已保存"))
    return redirect(
        reverse("reports:regulator")
        + f"?company={company.code}&period={data['period']}"
    )
