"""S3.2 circular pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.errors import DomainValidationError
from kesu.supervision.periods import period_make
from kesu.supervision.views.common import perform
from kesu.web.errors import domain_errors

from ..access import is_office
from ..forms import CircularForm
from ..selectors.circulars import circular_get_for, circular_proposals, circular_scope
from ..selectors.events import committee_events_for
from ..services.circulars import circular_draft, circular_issue


def _period(request):
    try:
        return period_make(
            _date(request.GET.get("start")), _date(request.GET.get("end"))
        )
    except (DomainValidationError, ValueError):
        return period_make(None, None)


def _date(value):
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


@login_required
@domain_errors
def circular_list(request):
    form = CircularForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        period = None
        if d["start"] and d["end"]:
            period = period_make(d["start"], d["end"])
        done = perform(
            request,
            lambda: circular_draft(
                user=request.user,
                kind=d["kind"],
                title=d["title"],
                body=d["body"],
                complaint_ids=d["cases"],
                department_id=int(d["department"]) if d["department"] else None,
                period=period,
            ),
            success=_("通报草稿已保存"),
            to=lambda c: c.get_absolute_url(),
            form=form,
        )
        if done:
            return done
    office = bool(request.user.company_id) and is_office(
        request.user, request.user.company
    )
    period = _period(request)
    return render(
        request,
        "committee/circulars.html",
        {
            "form": form,
            "office": office,
            "period": period,
            "circulars": circular_scope(request.user)[:200],
            "proposals": circular_proposals(request.user, period=period)
            if office
            else {},
        },
    )


@login_required
@domain_errors
def circular_detail(request, pk: int):
    circular = circular_get_for(request.user, pk=pk)
    return render(
        request,
        "committee/circular_detail.html",
        {
            "circular": circular,
            "events": committee_events_for("circular", circular.pk),
            "cases": circular.complaints.all(),
            "can_issue": circular.status == "draft"
            and is_office(request.user, circular.company),
        },
    )


@require_POST
@login_required
@domain_errors
def circular_issue_view(request, pk: int):
    circular = circular_get_for(request.user, pk=pk)
    to = circular.get_absolute_url()
    return perform(
        request,
        lambda: circular_issue(user=request.user, circular=circular),
        success=_("通报已发布"),
        to=to,
    ) or redirect(to)
