"""S6.11 vexatious register and R1.12a rectification pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.accounts.access import can
from kesu.accounts.roles import Perm
from kesu.web.errors import domain_errors

from ..forms import RectificationForm, TextForm, VexatiousForm
from ..selectors.registers import (
    rectification_get_for,
    rectification_list_for,
    vexatious_get_for,
    vexatious_list_for,
)
from ..services import rectification, vexatious
from .common import form_errors_to_messages, perform


@login_required
@domain_errors
def vexatious_list(request):
    form = VexatiousForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = perform(
            request,
            lambda: vexatious.vexatious_mark(
                user=request.user,
                complainant_id=d["case"].complainant_id,
                reasons=d["reasons"],
                evidence=d["evidence"],
                complaint_ids=[d["case"].pk],
            ),
            success=_("已登记，并已通知销售部门"),
            to=reverse("supervision:vexatious"),
            form=form,
        )
        if done:
            return done
    return render(
        request,
        "supervision/vexatious.html",
        {
            "form": form,
            "records": vexatious_list_for(request.user, active=None)[:500],
            "unmark_form": TextForm(),
            "can_mark": can(request.user, Perm.SUPERVISION_MANAGE),
        },
    )


@require_POST
@login_required
@domain_errors
def vexatious_unmark(request, pk: int):
    record = vexatious_get_for(request.user, pk=pk)
    form = TextForm(request.POST)
    to = reverse("supervision:vexatious")
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect(to)
    return perform(
        request,
        lambda: vexatious.vexatious_unmark(
            user=request.user, record=record, reason=form.cleaned_data["text"]
        ),
        success=_("已撤销登记"),
        to=to,
    ) or redirect(to)


@login_required
@domain_errors
def rectification_list(request):
    form = RectificationForm(request.POST or None, user=request.user)
    to = reverse("supervision:rectifications")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = perform(
            request,
            lambda: rectification.rectification_open(
                user=request.user,
                department_id=int(d["department"]),
                complaint_ids=d["cases"],
                owner_id=int(d["owner"]),
                action=d["action"],
                due_date=d["due_date"],
            ),
            success=_("整改事项已下达"),
            to=to,
            form=form,
        )
        if done:
            return done
    status = request.GET.get("status", "")
    items = rectification_list_for(
        request.user, status=status, overdue=request.GET.get("overdue") == "1"
    )
    return render(
        request,
        "supervision/rectifications.html",
        {
            "form": form,
            "items": items.prefetch_related("complaints")[:500],
            "text_form": TextForm(),
            "status": status,
            "can_open": can(request.user, Perm.SUPERVISION_MANAGE),
        },
    )


ACTIONS = {
    "report": (rectification.rectification_report_done, "report", _("已报告整改完成")),
    "close": (rectification.rectification_close, "note", _("整改事项已验收关闭")),
    "return": (rectification.rectification_return, "note", _("整改事项已退回")),
}


@require_POST
@login_required
@domain_errors
def rectification_act(request, pk: int, action: str):
    item = rectification_get_for(request.user, pk=pk)
    to = reverse("supervision:rectifications")
    if action not in ACTIONS:
        return redirect(to)
    service, arg, success = ACTIONS[action]
    form = TextForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect(to)
    return perform(
        request,
        lambda: service(
            user=request.user, item=item, **{arg: form.cleaned_data["text"]}
        ),
        success=str(success),
        to=to,
    ) or redirect(to)
