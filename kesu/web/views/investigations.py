"""The department coordinator's view (S7.4): my department's open
investigations, and the answer form with evidence upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kesu.accounts.roles import Perm
from kesu.complaints.lifecycle import Action
from kesu.complaints.services import investigation_answer
from kesu.complaints.services.attachments import attachment_add
from kesu.errors import Conflict, DomainError, DomainValidationError

from ..errors import add_to_form, domain_errors
from ..forms.actions import AnswerForm
from ..queues import (
    LIST_LIMIT,
    department_investigations,
    investigation_for_department,
)
from .perms import require_perm


@login_required
@require_perm(Perm.INVESTIGATION_ANSWER)
def investigation_list(request):
    queue = department_investigations(request.user, limit=LIST_LIMIT)
    return render(request, "web/investigation_list.html", {"queue": queue})


@login_required
@require_perm(Perm.INVESTIGATION_ANSWER)
@domain_errors
def investigation_answer_page(request, pk):
    investigation = investigation_for_department(request.user, pk)
    complaint = investigation.complaint
    form = AnswerForm(
        request.POST or None,
        complaint=complaint,
        user=request.user,
        prefix=Action.ANSWER,
    )
    if request.method == "POST" and form.is_valid():
        try:
            investigation_answer(
                investigation=investigation,
                actor=request.user,
                finding=form.cleaned_data["finding"],
                proposed_resolution=form.cleaned_data["proposed_resolution"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("web:investigation_list")
        except DomainValidationError as exc:
            add_to_form(form, exc)
        else:
            _attach(request, complaint, investigation)
            messages.success(
                request, _("调查结果已反馈：%(n)s") % {"n": complaint.number}
            )
            return redirect("web:investigation_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/investigation_answer.html",
        {"i": investigation, "c": complaint, "form": form},
        status=status,
    )


def _attach(request, complaint, investigation) -> None:
    for upload in request.FILES.getlist("evidence"):
        try:
            attachment_add(
                complaint=complaint.pk,
                actor=request.user,
                upload=upload,
                investigation_id=investigation.pk,
            )
        except DomainError as exc:
            messages.error(
                request,
                _("附件 %(f)s 未保存：%(e)s") % {"f": upload.name, "e": exc.message},
            )
