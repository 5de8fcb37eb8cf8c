"""S3.3/S3.4 deliberation pages: propose, opinions, decision/ruling, follow-up."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.accounts.access import can
from kesu.accounts.roles import Perm
from kesu.complaints.access import complaint_scope
from kesu.supervision.views.common import form_errors_to_messages, perform
from kesu.web.errors import domain_errors

from ..forms import DecideForm, DeliberationForm, FollowUpForm, OpinionForm
from ..models import Ruling
from ..selectors.deliberations import deliberation_get_for, deliberation_list_for
from ..services import deliberations as services


@login_required
@domain_errors
def deliberation_list(request):
    form = DeliberationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = complaint_scope(request.user).filter(number=d["case"].strip()).first()
        if case is None:
            form.add_error("case", _("未找到该投诉案件"))
        else:
            done = perform(
                request,
                lambda: services.deliberation_propose(
                    user=request.user,
                    complaint_id=case.pk,
                    kind=d["kind"],
                    question=d["question"],
                    department_ids=[int(x) for x in d["departments"]],
                ),
                success=_("已提请协调委员会审议"),
                to=lambda x: x.get_absolute_url(),
                form=form,
            )
            if done:
                return done
    return render(
        request,
        "committee/deliberations.html",
        {
            "form": form,
            "items": deliberation_list_for(request.user)[:200],
            "can_propose": can(request.user, Perm.COMPLAINT_HANDLE),
        },
    )


@login_required
@domain_errors
def deliberation_detail(request, pk: int):
    item = deliberation_get_for(request.user, pk=pk)
    user = request.user
    return render(
        request,
        "committee/deliberation_detail.html",
        {
            "item": item,
            "departments": item.departments.all(),
            "opinions": item.opinions.select_related("department", "author"),
            "ruling": Ruling.objects.filter(deliberation=item).first(),
            "can_opine": item.status == "proposed"
            and item.departments.filter(pk=user.department_id).exists(),
            "can_decide": can(user, Perm.COMMITTEE_ACT, item.company),
            "opinion_form": OpinionForm(),
            "decide_form": DecideForm(),
            "follow_up_form": FollowUpForm(),
        },
    )


FORMS = {"opinion": OpinionForm, "decide": DecideForm, "follow-up": FollowUpForm}


def _call(action: str, user, item, d: dict):
    if action == "opinion":
        return lambda: services.deliberation_give_opinion(
            user=user, deliberation=item, text=d["text"]
        )
    if action == "decide":
        return lambda: services.deliberation_decide(
            user=user,
            deliberation=item,
            decision=d["decision"],
            liability=d["liability"],
            cause=d["cause"],
            responsible_link=d["responsible_link"],
        )
    return lambda: services.deliberation_follow_up(
        user=user, deliberation=item, note=d["note"], done=d["done"]
    )


@require_POST
@login_required
@domain_errors
def deliberation_act(request, pk: int, action: str):
    item = deliberation_get_for(request.user, pk=pk)
    to = item.get_absolute_url()
    if action not in FORMS:
        return redirect(to)
    form = FORMS[action](request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect(to)
    return perform(
        request,
        _call(action, request.user, item, form.cleaned_data),
        success=_("已保存"),
        to=to,
    ) or redirect(to)
