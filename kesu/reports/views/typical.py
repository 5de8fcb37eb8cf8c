"""Typical cases: library, nomination and approval (issue 6.4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.complaints.access import complaint_get_for
from kesu.errors import Conflict, DomainValidationError, NotFound
from kesu.web.errors import add_to_form, domain_errors

from ..forms import CaseSearchForm, DecideForm, NominateForm
from ..models import TypicalCase
from ..selectors.typical_cases import typical_case_scope, typical_case_search
from ..services.typical_cases import (
    typical_case_approve,
    typical_case_nominate,
    typical_case_reject,
)
from .errors import bad_form


@require_GET
@login_required
@domain_errors
def case_list(request):
    form = CaseSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    cases = typical_case_search(
        request.user,
        text=data.get("q", ""),
        tag=data.get("tag", ""),
        status=data.get("status", ""),
    )
    page = Paginator(cases, 20).get_page(request.GET.get("page"))
    return render(request, "reports/cases.html", {"form": form, "page": page})


@require_GET
@login_required
@domain_errors
def case_detail(request, pk: int):
    case = (
        typical_case_scope(request.user)
        .select_related("company", "nominated_by", "decided_by")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound(_("未找到该典型案例"))
    return render(
        request,
        "reports/case.html",
        {"case": case, "form": DecideForm(), "Status": TypicalCase.Status},
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def case_nominate(request):
    form = NominateForm(
        request.POST or None, initial={"number": request.GET.get("number")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaint_get_for(request.user, number=data["number"].strip())
            case = typical_case_nominate(
                user=request.user,
                complaint_id=complaint.pk,
                title=data["title"],
                lesson=data["lesson"],
                tags=data["tags"],
            )
        except NotFound:
            form.add_error("number", _("未找到该投诉案件"))
        except (DomainValidationError, Conflict) as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已推荐为典型案例，等待审批"))
            return redirect("reports:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/case_nominate.html", {"form": form}, status=status)


@require_POST
@login_required
@domain_errors
def case_decide(request, pk: int):
    form = DecideForm(request.POST)
    if not form.is_valid():
        return bad_form(request, form)
    decide = (
        typical_case_approve
        if form.cleaned_data["decision"] == "approve"
        else typical_case_reject
    )
    try:
        decide(user=request.user, case_id=pk, note=form.cleaned_data["note"])
    except (DomainValidationError, Conflict) as exc:
        return render(
            request, "reports/error.html", {"message": exc.message}, status=exc.status
        )
    messages.success(request, _("审批已保存"))
    return redirect("reports:case_detail", pk=pk)
