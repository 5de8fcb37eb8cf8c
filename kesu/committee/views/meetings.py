"""S3.1 joint meeting pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.supervision.views.common import perform
from kesu.web.errors import domain_errors

from ..access import is_office
from ..forms import MeetingForm, MeetingRecordForm
from ..selectors.events import committee_events_for
from ..selectors.meetings import (
    joint_meeting_get_for,
    joint_meeting_list_for,
    joint_meetings_missing,
)
from ..services import meetings


@login_required
@domain_errors
def meeting_list(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = perform(
            request,
            lambda: meetings.joint_meeting_schedule(
                user=request.user,
                scheduled_for=d["scheduled_for"],
                location=d["location"],
            ),
            success=_("联席会议已安排"),
            to=lambda m: m.get_absolute_url(),
            form=form,
        )
        if done:
            return done
    office = bool(request.user.company_id) and is_office(
        request.user, request.user.company
    )
    return render(
        request,
        "committee/meetings.html",
        {
            "form": form,
            "office": office,
            "meetings": joint_meeting_list_for(request.user)[:200],
            "missing": joint_meetings_missing(request.user),
        },
    )


@login_required
@domain_errors
def meeting_detail(request, pk: int):
    meeting = joint_meeting_get_for(request.user, pk=pk)
    form = MeetingRecordForm(request.POST or None, company=meeting.company)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = perform(
            request,
            lambda: meetings.joint_meeting_record(
                user=request.user,
                meeting=meeting,
                attendee_ids=[int(x) for x in d["attendees"]],
                department_ids=[int(x) for x in d["departments"]],
                minutes=d["minutes"],
                decisions=d["decisions"],
            ),
            success=_("会议记录已登记"),
            to=meeting.get_absolute_url(),
            form=form,
        )
        if done:
            return done
    return render(
        request,
        "committee/meeting_detail.html",
        {
            "meeting": meeting,
            "events": committee_events_for("joint_meeting", meeting.pk),
            "form": form,
            "office": is_office(request.user, meeting.company),
        },
    )


@require_POST
@login_required
@domain_errors
def meeting_figures(request, pk: int):
    meeting = joint_meeting_get_for(request.user, pk=pk)
    to = meeting.get_absolute_url()
    return perform(
        request,
        lambda: meetings.joint_meeting_prepare_figures(
            user=request.user, meeting=meeting
        ),
        success=_("本期数据已生成"),
        to=to,
    ) or redirect(to)
