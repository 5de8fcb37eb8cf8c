"""The audit log for the audit administrator (C1, B1): list, export, verify."""

import csv
import io
from datetime import date, datetime

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kesu.audit.chain import verify
from kesu.audit.services import audit_record

from .selectors import audit_record_list_for, audit_scope

router = Router()


class AuditFilter(Schema):
    action: str | None = None
    username: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    result: str | None = None
    ip: str | None = None
    since: date | None = None
    until: date | None = None


class AuditRecordOut(Schema):
    seq: int
    at: datetime
    user_id: int | None
    username: str
    ip: str | None
    action: str
    object_type: str
    object_id: str
    result: str
    detail: dict
    prev_hash: str
    hash: str


class ChainStatus(Schema):
    intact: bool
    broken_seq: int | None = None
    reason: str = ""
    head_seq: int | None = None
    head_hash: str = ""


@router.get("/records", response=list[AuditRecordOut])
@paginate(LimitOffsetPagination)
def list_records(request, filters: Query[AuditFilter]):
    return audit_record_list_for(request.user, **filters.dict())


@router.get("/records/export", response={200: None})
def export_records(request, filters: Query[AuditFilter]):
    """CSV of the filtered records; the export itself is audited (C1)."""
    rows = audit_record_list_for(request.user, **filters.dict())
    response = HttpResponse(records_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    audit_record(
        action="audit.exported",
        request=request,
        detail={"filters": {k: str(v) for k, v in filters.dict().items() if v}},
    )
    return response


@router.get("/chain", response=ChainStatus)
def chain_status(request):
    records = audit_scope(request.user)
    broken = verify(records.order_by("seq").iterator(chunk_size=2000))
    head = records.order_by("-seq").values("seq", "hash").first() or {}
    return ChainStatus(
        intact=broken is None,
        broken_seq=broken.seq if broken else None,
        reason=broken.reason if broken else "",
        head_seq=head.get("seq"),
        head_hash=head.get("hash", ""),
    )


def records_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "seq",
            "at",
            "user_id",
            "username",
            "ip",
            "action",
            "object_type",
            "object_id",
            "result",
            "detail",
            "hash",
        ]
    )
    for r in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                r.seq,
                r.at.isoformat(),
                r.user_id or "",
                _cell(r.username),
                r.ip or "",
                r.action,
                r.object_type,
                _cell(r.object_id),
                r.result,
                _cell(str(r.detail)),
                r.hash,
            ]
        )
    return "\ufeff" + out.getvalue()  # BOM so Excel reads UTF-8


def _cell(value: str) -> str:
    """No formula injection when the CSV is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
