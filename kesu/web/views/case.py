"""The complaint page: facts, complainant (masked unless revealed), timeline,
investigations, deadlines, attachments and one form per allowed action."""

import inspect

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.accounts.roles import Perm
from kesu.classification.selectors import code_names
from kesu.complaints.access import complaint_get_for
from kesu.complaints.casefile import CaseFile, case_file
from kesu.complaints.lifecycle import OPEN_STATES, TRANSITIONS, allowed_actions
from kesu.complaints.selectors import complaint_events_for, complaint_file_for
from kesu.complaints.services.attachments import attachment_add, attachment_get_for
from kesu.complaints.services.reveal import complaint_reveal_personal_data
from kesu.complaints.uploads import IntegrityFailure, verified_chunks
from kesu.errors import Conflict, DomainError, DomainValidationError

from ..actions import ACTIONS, offered, service_for
from ..case_info import case_info_html, complainant_html
from ..errors import add_to_form, domain_errors
from ..timeline import timeline_html

INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "application/pdf")
# The case's coded fields, each named after its code table.
CODED = (
    "channel",
    "product_type",
    "sales_channel",
    "business_category",
    "responsible_link",
    "cause",
)


def code_labels_of(complaint) -> dict[str, str]:
    return code_names({table: getattr(complaint, table) for table in CODED})


def _context(request, case: CaseFile, *, bound=None, revealed=False) -> dict:
    """Everything the page shows, from the case file (two queries for the
    case and all its parts, issue 8). `bound` = (action, form) re-shown with
    errors."""
    complaint = case.complaint
    actions = offered(allowed_actions(request.user, complaint, case))
    for a in actions:
        if bound and bound[0] == a["name"]:
            a["form"], a["open"] = bound[1], True
        else:
            a["form"] = a["ui"].form(
                complaint=complaint, user=request.user, prefix=a["name"]
            )
    return {
        "c": complaint,
        "actions": actions,
        "timeline": timeline_html(complaint_events_for(request.user, complaint)),
        "investigations": case.investigations,
        "attachments": case.attachments,
        "extensions": case.extensions,
        "referrals": case.referrals,
        "decisions": case.decisions,
        "follow_ups": case.follow_ups,
        "complainant": complainant_html(complaint, revealed=revealed),
        "case_info": case_info_html(complaint, code_labels_of(complaint)),
        "is_open": complaint.state in OPEN_STATES,
        "revealed": revealed,
        "may_reveal": Perm.PI_REVEAL in request.user.perm_set,
        "may_upload": bool(
            request.user.perm_set & {Perm.COMPLAINT_REGISTER, Perm.COMPLAINT_HANDLE}
        ),
    }


@login_required
@domain_errors
def complaint_detail(request, number):
    case = complaint_file_for(request.user, number=number)
    return render(request, "web/complaint_detail.html", _context(request, case))


def _call(request, action, form, complaint):
    """Call the action's service; evidence files of an answer follow it (S7.4)."""
    service = service_for(action)
    kwargs = form.service_kwargs()
    if "complaint" in inspect.signature(service).parameters:
        kwargs["complaint"] = complaint
    investigation = kwargs.get("investigation")
    service(actor=request.user, **kwargs)
    for upload in request.FILES.getlist(f"{action}-files"):
        try:
            attachment_add(
                complaint=complaint.pk,
                actor=request.user,
                upload=upload,
                investigation_id=getattr(investigation, "pk", None),
            )
        except DomainError as exc:
            messages.error(
                request,
                _("附件 %(f)s 未保存：%(e)s") % {"f": upload.name, "e": exc.message},
            )


@login_required
@require_POST
@domain_errors
def complaint_action(request, number, action):
    complaint = complaint_get_for(request.user, number=number)
    if action not in ACTIONS or service_for(action) is None:
        raise Http404
    form = ACTIONS[action].form(
        request.POST,
        request.FILES,
        complaint=complaint,
        user=request.user,
        prefix=action,
    )
    if form.is_valid():
        try:
            _call(request, action, form, complaint)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("web:complaint_detail", number=complaint.number)
        except DomainValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("已完成：%(a)s") % {"a": TRANSITIONS[action].label}
            )
            return redirect("web:complaint_detail", number=complaint.number)
    context = _context(request, case_file(complaint), bound=(action, form))
    return render(request, "web/complaint_detail.html", context, status=400)


@login_required
@require_POST
@domain_errors
def complaint_reveal(request, number):
    """E3: the full personal data, for this response only, after a reason."""
    complaint = complaint_get_for(request.user, number=number)
    try:
        complaint = complaint_reveal_personal_data(
            complaint_id=complaint.pk,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except DomainValidationError as exc:
        messages.error(request, exc.message)
        return redirect("web:complaint_detail", number=complaint.number)
    response = render(
        request,
        "web/complaint_detail.html",
        _context(request, case_file(complaint), revealed=True),
    )
    response["Cache-Control"] = "no-store"  # D5
    return response


@login_required
@require_POST
@domain_errors
def complaint_upload(request, number):
    complaint = complaint_get_for(request.user, number=number)
    files = request.FILES.getlist("attachments")
    if not files:
        messages.error(request, _("请选择要上传的文件"))
    for upload in files:
        try:
            attachment_add(complaint=complaint, actor=request.user, upload=upload)
        except DomainError as exc:
            messages.error(
                request,
                _("附件 %(f)s 未保存：%(e)s") % {"f": upload.name, "e": exc.message},
            )
        else:
            messages.success(request, _("已上传：%(f)s") % {"f": upload.name})
    return redirect("web:complaint_detail", number=complaint.number)


@login_required
@domain_errors
def attachment_download(request, number, attachment_id):
    """Scoped (404 outside), integrity-checked, inline only for safe previews."""
    complaint = complaint_get_for(request.user, number=number)
    attachment = attachment_get_for(
        request.user, complaint_id=complaint.pk, attachment_id=attachment_id
    )
    try:
        chunks = verified_chunks(attachment.file.name, attachment.sha256)
    except (IntegrityFailure, FileNotFoundError):
        messages.error(request, _("附件文件校验失败，已停止下载，请联系管理员"))
        return redirect("web:complaint_detail", number=complaint.number)
    inline = (
        request.GET.get("inline") == "1" and attachment.content_type in INLINE_TYPES
    )
    response = FileResponse(
        chunks,
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:  # an image or PDF opened by itself; nothing in it may run
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; "
            "style-src 'unsafe-inline'; object-src 'self'"
        )
    return response


@login_required
@domain_errors
def complaint_letter(request, number):
    """The decision letter to the complainant (R1.11), print stylesheet."""
    complaint = complaint_get_for(request.user, number=number)
    decision = complaint.decisions.order_by("-decided_at").first()
    if decision is None:
        raise Http404
    # The letter goes to the complainant by name: printing it is a logged
    # reveal (E3); without the permission the name stays masked.
    full_name = Perm.PI_REVEAL in request.user.perm_set
    if full_name:
        complaint_reveal_personal_data(
            complaint_id=complaint.pk,
            actor=request.user,
            reason=_("打印答复函"),
            request=request,
        )
    response = render(
        request,
        "web/decision_letter.html",
        {"c": complaint, "d": decision, "full_name": full_name},
    )
    response["Cache-Control"] = "no-store"
    return response
