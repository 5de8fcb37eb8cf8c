"""Thin endpoints for the organisation: companies in scope, the tree, Excel
import/export (system administrators) and S7.9 staff-change reports."""

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from kesu.accounts.access import scope_companies
from kesu.accounts.selectors import (
    staff_change_report_list_for,
    staff_change_reports_overdue,
)
from kesu.accounts.services import report_submit
from kesu.errors import DomainValidationError

from .importexport import (
    XLSX_CONTENT_TYPE,
    XLSX_NAME,
    organisation_export,
    organisation_import,
)
from .models import Company

router = Router()
MAX_UPLOAD = 10 * 1024 * 1024


class CompanyOut(Schema):
    id: int
    code: str
    name: str
    level: int
    level_label: str
    parent_code: str | None
    path: str
    centralised: list[str]


class TreeNode(Schema):
    code: str
    name: str
    level: int
    centralised: list[str]
    children: list["TreeNode"]


def _company(c: Company, codes: dict[int, str]) -> dict:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "level": c.level,
        "level_label": str(c.get_level_display()),
        "parent_code": codes.get(c.parent_id),
        "path": c.path,
        "centralised": c.centralised or [],
    }


@router.get("/companies", response=list[CompanyOut])
def company_list(request):
    """The companies whose cases you may see: your own and everything below."""
    companies = list(scope_companies(request.user).order_by("path"))
    codes = {
        c.pk: c.code
        for c in Company.objects.filter(
            pk__in={c.parent_id for c in companies if c.parent_id}
        )
    }
    return [_company(c, codes) for c in companies]


@router.get("/tree", response=list[TreeNode])
def company_tree(request):
    """Your part of the tree, nested (one query, built by path)."""
    nodes: dict[str, dict] = {}
    roots = []
    for c in scope_companies(request.user).order_by("path"):
        node = {
            "code": c.code,
            "name": c.name,
            "level": c.level,
            "centralised": c.centralised or [],
            "children": [],
        }
        parent = nodes.get(c.path[: -len(c.code) - 1])
        (parent["children"] if parent else roots).append(node)
        nodes[c.path] = node
    return roots


@router.get("/export")
def organisation_export_file(request):
    data = organisation_export(actor=request.user)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{XLSX_NAME}"'
    return response


@router.post("/import")
def organisation_import_file(request, file: File[UploadedFile]):
    """All or nothing; a bad row answers 400 with every problem in `errors`."""
    if file.size > MAX_UPLOAD:
        raise DomainValidationError(_("文件过大"))
    result = organisation_import(actor=request.user, file=file)
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


# --- S7.9 staff-change reports -------------------------------------------------------


class StaffChangeReportOut(Schema):
    id: int
    company_code: str
    company_name: str
    addressed_to_code: str
    changed_at: dt.datetime
    summary: str
    changes: list[dict]
    due_date: dt.date
    due_provisional: bool
    overdue: bool
    submitted_at: dt.datetime | None
    submission_note: str


class ReportFilters(Schema):
    direction: Literal["all", "outgoing", "incoming"] = "all"
    overdue: bool | None = None


def _report(r, overdue_ids: set[int]) -> dict:
    return {
        "id": r.pk,
        "company_code": r.company.code,
        "company_name": r.company.name,
        "addressed_to_code": r.addressed_to.code,
        "changed_at": r.changed_at,
        "summary": r.summary,
        "changes": r.changes,
        "due_date": r.due_date,
        "due_provisional": r.due_provisional,
        "overdue": r.pk in overdue_ids,
        "submitted_at": r.submitted_at,
        "submission_note": r.submission_note,
    }


@router.get("/staff-change-reports", response=list[StaffChangeReportOut])
def staff_change_report_list(request, filters: Query[ReportFilters]):
    """Reports of your company (outgoing) and those addressed to it (incoming)."""
    reports = staff_change_report_list_for(
        request.user, direction=filters.direction, overdue=filters.overdue
    )[:500]
    reports = list(reports)
    overdue = set(
        staff_change_reports_overdue()
        .filter(pk__in=[r.pk for r in reports])
        .values_list("pk", flat=True)
    )
    return [_report(r, overdue) for r in reports]


class SubmitIn(Schema):
    note: str = ""


@router.post("/staff-change-reports/{report_id}/submit", response=StaffChangeReportOut)
def staff_change_report_submit(request, report_id: int, payload: SubmitIn):
    report = report_submit(
        actor=request.user, report_id=report_id, note=payload.note[:2000]
    )
    return _report(report, set())


TreeNode.model_rebuild()
