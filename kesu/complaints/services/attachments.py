"""Evidence and recordings on a case (issue 3 item 1, F4, D3). Adding one
writes an event; an archived case is read-only (DESIGN §3.11)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.roles import Perm
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound

from .. import uploads
from ..access import complaint_get_for, complaint_in_scope
from ..models import Attachment, Complaint, Investigation, State
from .events import event_record
from .transition import lock

ATTACH = "attach"  # event action
# Who may add files: intake and handling staff, and a coordinator to an
# investigation of their own department.
UPLOAD_PERMS = frozenset({Perm.COMPLAINT_REGISTER, Perm.COMPLAINT_HANDLE})


def _check_uploader(actor, investigation: Investigation | None) -> None:
    if actor.perm_set & UPLOAD_PERMS:
        return
    if (Perm.INVESTIGATION_ANSWER in actor.perm_set and investigation is not None
            and investigation.department_id == actor.department_id):
        return
    raise Forbidden(_("您没有上传附件的权限"))


def _check_count(case: Complaint) -> None:
    """F4: at most KESU_ATTACHMENTS_PER_CASE files per case (the case row is
    locked, so two uploads at once cannot both take the last place)."""
    limit = int(getattr(settings, "KESU_ATTACHMENTS_PER_CASE", 20))
    if case.attachments.count() >= limit:
        raise DomainValidationError(
            _("每个案件最多 %(n)s 个附件，已达上限") % {"n": limit}, field="file"
        )


@transaction.atomic
def attachment_add(*, complaint: Complaint | int, actor, upload,
                   investigation_id: int | None = None) -> Attachment:
    case = lock(complaint)
    if not complaint_in_scope(actor, case.pk):
        raise NotFound(_("未找到该投诉案件"))
    if case.state == State.ARCHIVED:
        raise Conflict(_("案件已归档，附件不能再修改"))
    investigation = None
    if investigation_id is not None:
        investigation = case.investigations.filter(pk=investigation_id).first()
        if investigation is None:
            raise NotFound(_("未找到该调查"))
    _check_uploader(actor, investigation)
    _check_count(case)
    stored = uploads.store(upload)
    try:
        attachment = Attachment.objects.create(
            complaint=case, investigation=investigation, file=stored.name,
            original_name=stored.original_name, content_type=stored.content_type,
            size=stored.size, sha256=stored.sha256, uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        event_record(complaint=case, actor=actor, action=ATTACH, from_state=case.state,
                     to_state=case.state, note=stored.original_name,
                     data={"attachment": attachment.pk, "sha256": stored.sha256,
                           "size": stored.size, "investigation": investigation_id})
    except Exception:
        uploads.discard(stored.name)
        raise
    return attachment


def attachment_get_for(user, *, complaint_id: int, attachment_id: int) -> Attachment:
    """The attachment if its case is in `user`'s scope, else NotFound."""
    case = complaint_get_for(user, pk=complaint_id)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("未找到该附件"))
    return attachment
