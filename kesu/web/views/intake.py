"""Registering a complaint (DESIGN §3.1). Nothing typed is lost on an error:
the form comes back filled in, and files already chosen are kept aside
(under a signed token) so they need not be chosen again."""

import os
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.accounts.roles import Perm
from kesu.complaints.identity import blind_index
from kesu.complaints.selectors import repeat_complaints, vexatious_records
from kesu.complaints.services import complaint_register
from kesu.complaints.services.attachments import attachment_add
from kesu.errors import DomainError, DomainValidationError

from ..errors import domain_errors
from ..forms.intake import IntakeForm, form_field
from .perms import require_perm

KEPT_PREFIX = "intake-tmp/"
KEPT_SALT = "kesu.web.intake.kept"


def _keep(user, files) -> list[dict]:
    """Store files aside until the form is sent again; return signed tokens."""
    kept = []
    for f in files:
        ext = os.path.splitext(f.name)[1].lower()[:8]
        name = default_storage.save(f"{KEPT_PREFIX}{uuid.uuid4().hex}{ext}", f)
        token = signing.dumps({"n": name, "o": f.name, "u": user.pk}, salt=KEPT_SALT)
        kept.append({"token": token, "name": f.name, "size": f.size})
    return kept


def _kept(user, tokens) -> list[dict]:
    kept = []
    for token in tokens:
        try:
            data = signing.loads(token, salt=KEPT_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            continue
        if data.get("u") != user.pk or not str(data.get("n", "")).startswith(
            KEPT_PREFIX
        ):
            continue
        if default_storage.exists(data["n"]):
            kept.append(
                {
                    "token": token,
                    "name": data["o"],
                    "path": data["n"],
                    "size": default_storage.size(data["n"]),
                }
            )
    return kept


def _attach_all(request, complaint, form, kept) -> None:
    for f in form.cleaned_data.get("attachments") or []:
        _attach_one(request, complaint, f, f.name)
    for item in kept:
        with default_storage.open(item["path"], "rb") as fh:
            _attach_one(request, complaint, File(fh, name=item["name"]), item["name"])
        default_storage.delete(item["path"])


def _attach_one(request, complaint, upload, label) -> None:
    try:
        attachment_add(complaint=complaint, actor=request.user, upload=upload)
    except DomainError as exc:
        messages.error(
            request, _("附件 %(f)s 未保存：%(e)s") % {"f": label, "e": exc.message}
        )


@login_required
@require_perm(Perm.COMPLAINT_REGISTER)
@domain_errors
def intake(request):
    if request.method != "POST":
        return render(request, "web/intake.html", {"form": IntakeForm(), "kept": []})
    form = IntakeForm(request.POST, request.FILES)
    kept = _kept(request.user, request.POST.getlist("kept"))
    if form.is_valid():
        try:
            registered = complaint_register(
                actor=request.user, **form.register_kwargs()
            )
        except DomainValidationError as exc:
            form.add_error(
                form_field(exc.field) if form_field(exc.field) in form.fields else None,
                str(exc.message),
            )
        else:
            complaint = registered.complaint
            _attach_all(request, complaint, form, kept)
            messages.success(
                request,
                _("投诉已登记，编号 %(n)s，答复时限 %(d)s")
                % {"n": complaint.number, "d": complaint.due_date},
            )
            for warning in registered.warnings:
                messages.warning(request, warning["message"])
            return redirect("web:complaint_detail", number=complaint.number)
    valid_new = (
        [f for f in (form.cleaned_data.get("attachments") or [])]
        if "attachments" not in form.errors
        else []
    )
    kept += _keep(request.user, valid_new)
    return render(request, "web/intake.html", {"form": form, "kept": kept}, status=400)


@login_required
@require_perm(Perm.COMPLAINT_REGISTER)
@require_POST
def intake_warnings(request):
    """htmx: repeat-complaint and vexatious warnings while the clerk types
    (DESIGN §3.1, S6.11). POST, so ID numbers stay out of URLs and logs."""
    id_index = blind_index("id", request.POST.get("id_number", ""))
    phone_index = blind_index("phone", request.POST.get("phone", ""))
    policy = request.POST.get("policy_number", "").strip().upper()
    repeats = (
        list(
            repeat_complaints(
                id_number_index=id_index, phone_index=phone_index, policy_number=policy
            )[:10]
        )
        if policy
        else []
    )
    vexatious = vexatious_records(id_number_index=id_index, phone_index=phone_index)
    return render(
        request,
        "web/_intake_warnings.html",
        {"repeats": repeats, "vexatious": vexatious},
    )
