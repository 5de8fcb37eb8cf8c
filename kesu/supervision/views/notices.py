"""S4: public notice pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.accounts.access import can
from kesu.accounts.roles import Perm
from kesu.web.errors import domain_errors

from ..forms import NoticeForm
from ..selectors.events import supervision_events_for
from ..selectors.notices import public_notice_get_for, public_notice_list_for
from ..services.notices import public_notice_draft, public_notice_publish
from .common import perform


@login_required
@domain_errors
def notice_list(request):
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = perform(
            request,
            lambda: public_notice_draft(
                user=request.user,
                department_id=int(d["department"]),
                title=d["title"],
                body=d["body"],
                complaint_ids=d["cases"],
            ),
            success=_("公示草稿已保存"),
            to=lambda n: n.get_absolute_url(),
            form=form,
        )
        if done:
            return done
    notices = public_notice_list_for(request.user).prefetch_related("complaints")[:200]
    return render(
        request,
        "supervision/notices.html",
        {
            "form": form,
            "notices": notices,
            "can_draft": can(request.user, Perm.SUPERVISION_MANAGE),
        },
    )


@login_required
@domain_errors
def notice_detail(request, pk: int):
    notice = public_notice_get_for(request.user, pk=pk)
    return render(
        request,
        "supervision/notice_detail.html",
        {
            "notice": notice,
            "events": supervision_events_for("public_notice", notice.pk),
            "cases": notice.complaints.all(),
            "can_publish": notice.status == "draft"
            and can(request.user, Perm.SUPERVISION_MANAGE, notice.company),
        },
    )


@require_POST
@login_required
@domain_errors
def notice_publish(request, pk: int):
    notice = public_notice_get_for(request.user, pk=pk)
    return perform(
        request,
        lambda: public_notice_publish(user=request.user, notice=notice),
        success=_("公示已发布，并已抄送上级客户服务部门"),
        to=notice.get_absolute_url(),
    ) or redirect(notice.get_absolute_url())
