"""S5.1/S7.7 satisfaction sampling and S6.10 authenticity-check pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.accounts.access import can
from kesu.accounts.roles import Perm
from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..forms import AuditForm, ResultForm, ReviseForm, SampleForm, TextForm
from ..periods import period_make
from ..selectors import sampling as s
from ..services import audits, sampling
from .common import form_errors_to_messages, perform


def _period(form):
    try:
        return period_make(form.cleaned_data["start"], form.cleaned_data["end"])
    except DomainValidationError as exc:
        form.add_error(exc.field, str(exc.message))
        return None


@login_required
@domain_errors
def sample_list(request):
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (period := _period(form)):
        d = form.cleaned_data
        done = perform(
            request,
            lambda: sampling.satisfaction_sample_draw(
                user=request.user,
                period=period,
                rate=d["rate"],
                size=d["size"],
                seed=d["seed"],
            ),
            success=_("已抽取样本"),
            to=lambda x: x.get_absolute_url(),
            form=form,
        )
        if done:
            return done
    return render(
        request,
        "supervision/samples.html",
        {
            "form": form,
            "samples": s.satisfaction_sample_list_for(request.user)[:200],
            "can_draw": can(request.user, Perm.SUPERVISION_MANAGE),
        },
    )


@login_required
@domain_errors
def sample_detail(request, pk: int):
    sample = s.satisfaction_sample_get_for(request.user, pk=pk)
    return render(
        request,
        "supervision/sample_detail.html",
        {
            "sample": sample,
            "items": s.sample_items(sample),
            "stats": s.satisfaction_sample_statistics(sample),
            "result_form": ResultForm(),
            "can_record": can(request.user, Perm.SUPERVISION_MANAGE, sample.company),
        },
    )


@require_POST
@login_required
@domain_errors
def sample_result(request, pk: int, item_id: int):
    sample = s.satisfaction_sample_get_for(request.user, pk=pk)
    item = s.sample_item_get_for(request.user, sample=sample, pk=item_id)
    form = ResultForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect(sample.get_absolute_url())
    d = form.cleaned_data
    return perform(
        request,
        lambda: sampling.sample_item_record_result(
            user=request.user, item=item, result=d["result"], note=d["note"]
        ),
        success=_("回访结果已登记"),
        to=sample.get_absolute_url(),
    ) or redirect(sample.get_absolute_url())


@login_required
@domain_errors
def audit_list(request):
    form = AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (period := _period(form)):
        d = form.cleaned_data
        done = perform(
            request,
            lambda: audits.liability_audit_draw(
                user=request.user, period=period, size=d["size"], seed=d["seed"]
            ),
            success=_("已抽取无责案件"),
            to=lambda x: x.get_absolute_url(),
            form=form,
        )
        if done:
            return done
    return render(
        request,
        "supervision/audits.html",
        {
            "form": form,
            "audits": s.liability_audit_list_for(request.user)[:200],
            "can_draw": can(request.user, Perm.SUPERVISION_MANAGE),
        },
    )


@login_required
@domain_errors
def audit_detail(request, pk: int):
    audit = s.liability_audit_get_for(request.user, pk=pk)
    return render(
        request,
        "supervision/audit_detail.html",
        {
            "audit": audit,
            "items": s.liability_audit_items(audit),
            "revise_form": ReviseForm(),
            "confirm_form": TextForm(),
            "can_check": can(request.user, Perm.SUPERVISION_MANAGE, audit.company),
        },
    )


@require_POST
@login_required
@domain_errors
def audit_check(request, pk: int, item_id: int, outcome: str):
    audit = s.liability_audit_get_for(request.user, pk=pk)
    item = s.liability_audit_item_get_for(request.user, audit=audit, pk=item_id)
    form = ReviseForm(request.POST) if outcome == "revise" else TextForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect(audit.get_absolute_url())
    d = form.cleaned_data
    if outcome == "revise":
        call = lambda: audits.liability_audit_revise(  # noqa: E731
            user=request.user,
            item=item,
            responsible_link=d["responsible_link"],
            cause=d["cause"],
            note=d["note"],
        )
    else:
        call = lambda: audits.liability_audit_confirm(  # noqa: E731
            user=request.user, item=item, note=d["text"]
        )
    return perform(
        request, call, success=_("核实结果已登记"), to=audit.get_absolute_url()
    ) or redirect(audit.get_absolute_url())
