"""Attachment upload and download (issue 3 item 6, F4, D3). Files are served
as attachments with `nosniff`, only after their SHA-256 is verified; a case
outside the user's scope answers 404 for its attachments too."""

from urllib.parse import quote

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from kesu.errors import Conflict

from . import api_present as present
from . import uploads
from .schemas import AttachmentOut, Error
from .services.attachments import attachment_add, attachment_get_for

router = Router()

ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@router.post("/{int:complaint_id}/attachments",
             response={201: AttachmentOut, **ERRORS},
             url_name="complaint_attachment_upload")
def attachment_upload(request: HttpRequest, complaint_id: int,
                      file: File[UploadedFile],
                      investigation_id: Form[int | None] = None):
    """Multipart upload of one file (field `file`), optionally for one
    investigation. Allowed types are checked by extension and content; the
    size limit is ATTACHMENT_MAX_BYTES."""
    attachment = attachment_add(complaint=complaint_id, actor=request.user,
                                upload=file, investigation_id=investigation_id)
    return Status(201, present.attachment_payload(attachment))


@router.get("/{int:complaint_id}/attachments/{int:attachment_id}",
            response={200: None, **ERRORS},
            url_name="complaint_attachment_download")
def attachment_download(request: HttpRequest, complaint_id: int, attachment_id: int):
    """The file, after checking it still has the SHA-256 recorded at upload."""
    attachment = attachment_get_for(request.user, complaint_id=complaint_id,
                                    attachment_id=attachment_id)
    try:
        chunks = uploads.verified_chunks(attachment.file.name, attachment.sha256)
    except (uploads.IntegrityFailure, FileNotFoundError, OSError):
        _audit(request, attachment, ok=False)
        raise Conflict(_("附件校验失败（文件缺失或已被改动），已记录")) from None
    _audit(request, attachment, ok=True)
    response = StreamingHttpResponse(chunks, content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{_ascii_name(attachment)}\"; "
        f"filename*=UTF-8''{quote(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _ascii_name(attachment) -> str:
    ext = attachment.file.name.rsplit(".", 1)[-1]
    return f"attachment-{attachment.pk}.{ext}"


def _audit(request, attachment, *, ok: bool) -> None:
    from kesu.audit.models import Result
    from kesu.audit.services import audit_record

    audit_record(action="attachment.download", user=request.user, request=request,
                 obj=attachment, result=Result.SUCCESS if ok else Result.FAILURE,
                 detail={"case": attachment.complaint_id,
                         "filename_ext": _ascii_name(attachment).rsplit(".", 1)[-1]})
