"""Attachment files (issue 3 item 1, issue 7 item 6, F-rows of security.md):
an allow-list of types checked by extension AND by the file's first bytes,
a size limit from settings, SHA-256 computed while storing and verified on
every read, and a generated storage name (the client's name is kept only
as a label)."""

import hashlib
import os
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.errors import DomainValidationError

CHUNK = 64 * 1024


def _zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _ole(head: bytes) -> bool:
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sniffed head is fine.
            if exc.start >= len(head) - 3:
                return True
    return False


def _mp3(head: bytes) -> bool:
    frame_sync = (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
    return head.startswith(b"ID3") or head[:2] in frame_sync


# extension → (content type, magic check). Evidence and recordings (DESIGN §3.1).
ALLOWED: dict[str, tuple[str, object]] = {
    "pdf": ("application/pdf", lambda h: h.startswith(b"%PDF-")),
    "png": ("image/png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    "gif": ("image/gif", lambda h: h[:6] in (b"GIF87a", b"GIF89a")),
    "tif": ("image/tiff", lambda h: h[:4] in (b"II*\x00", b"MM\x00*")),
    "tiff": ("image/tiff", lambda h: h[:4] in (b"II*\x00", b"MM\x00*")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             _zip),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _zip),
    "doc": ("application/msword", _ole),
    "xls": ("application/vnd.ms-excel", _ole),
    "txt": ("text/plain", _text),
    "mp3": ("audio/mpeg", _mp3),
    "wav": ("audio/wav", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WAVE"),
    "amr": ("audio/amr", lambda h: h.startswith(b"#!AMR")),
    "m4a": ("audio/mp4", lambda h: h[4:8] == b"ftyp"),
    "mp4": ("video/mp4", lambda h: h[4:8] == b"ftyp"),
}


@dataclass(frozen=True)
class StoredFile:
    name: str  # storage name, generated
    original_name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(settings.ATTACHMENT_MAX_BYTES)


def clean_original_name(name: str) -> str:
    """The client's file name as a label only: no path, no control chars."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    return name.strip()[:200] or "attachment"


def check_type(original_name: str, head: bytes) -> tuple[str, str]:
    """(extension, content type) if both the extension and the content agree."""
    ext = os.path.splitext(original_name)[1].lower().lstrip(".")
    if ext not in ALLOWED:
        raise DomainValidationError(
            _("不允许的附件类型：%(ext)s。允许：%(allowed)s")
            % {"ext": ext or "-", "allowed": ", ".join(sorted(ALLOWED))},
            field="file",
        )
    content_type, looks_right = ALLOWED[ext]
    if not looks_right(head):  # type: ignore[operator]
        raise _mismatch(ext)
    return ext, content_type


def _mismatch(ext: str) -> DomainValidationError:
    return DomainValidationError(
        _("附件内容与扩展名 %(ext)s 不符") % {"ext": ext}, field="file"
    )


# F4: archives are not on the allow-list; the only zip containers taken are
# Office documents, and those must look like one (a zip renamed .docx is
# refused) and must not unpack to more than this (zip bombs).
OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
OOXML_MAX_ENTRIES = 2000
OOXML_MAX_UNPACKED = 200 * 1024 * 1024


def check_office_archive(ext: str, upload) -> None:
    if ext not in OOXML_PART:
        return
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _mismatch(ext) from None
    finally:
        upload.seek(0)
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or OOXML_PART[ext] not in names:
        raise _mismatch(ext)
    if (len(infos) > OOXML_MAX_ENTRIES
            or sum(i.file_size for i in infos) > OOXML_MAX_UNPACKED):
        raise DomainValidationError(_("压缩内容过大，附件被拒绝"), field="file")


def store(upload) -> StoredFile:
    """Check and store an uploaded file under a generated name. Raises
    DomainValidationError before anything is kept if it is refused."""
    original = clean_original_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise _too_big()
    if not size:
        raise DomainValidationError(_("附件为空"), field="file")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    ext, content_type = check_type(original, head)
    check_office_archive(ext, upload)
    digest = hashlib.sha256()
    total = 0
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
        total += len(chunk)
        if total > max_bytes():
            raise _too_big()
    upload.seek(0)
    now = timezone.now()
    wanted = f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}.{ext}"
    name = default_storage.save(wanted, File(upload, name=wanted))
    return StoredFile(name=name, original_name=original, content_type=content_type,
                      size=total, sha256=digest.hexdigest())


def _too_big() -> DomainValidationError:
    return DomainValidationError(
        _("附件超过大小上限（%(mb)s MB）") % {"mb": round(max_bytes() / 1048576, 1)},
        field="file",
    )


def discard(name: str) -> None:
    """Remove a stored file whose database row was not written."""
    if name:
        default_storage.delete(name)


class IntegrityFailure(Exception):
    """The stored bytes no longer match the recorded SHA-256."""


def verified_chunks(name: str, sha256: str) -> Iterator[bytes]:
    """Read the whole file, check its SHA-256, then yield it. A file that
    fails the check is never served (F-rows: integrity of evidence)."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise IntegrityFailure(name)
    return _chunks(name)


def _chunks(name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as fh:
        yield from iter(lambda: fh.read(CHUNK), b"")
