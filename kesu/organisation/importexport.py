"""The organisation tree to and from Excel (openpyxl). Sheet 机构: code, name,
level, parent code, centralised businesses; sheet 部门: company code, kind,
name. Import checks every row first and then writes everything in one
transaction, or nothing: a bad row is named by sheet and row number.
Existing codes are updated (idempotent); companies absent from the file are
left as they are."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kesu.accounts.access import require, scope_companies
from kesu.accounts.roles import Perm
from kesu.audit.services import audit_record
from kesu.errors import DomainValidationError

from .importrows import CompanyRow, DepartmentRow, RowChecker
from .models import CENTRALISABLE, Company, Department, DepartmentKind, Level
from .services import company_create, company_update

COMPANY_SHEET, DEPARTMENT_SHEET = "机构", "部门"
COMPANY_HEADERS = ["机构代码", "机构名称", "层级", "上级机构代码", "省级集中业务"]
DEPARTMENT_HEADERS = ["机构代码", "部门类型", "部门名称"]
MAX_ROWS = 20000
XLSX_NAME = "organisation.xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ImportResult:
    created: dict[str, int] = field(
        default_factory=lambda: {"companies": 0, "departments": 0}
    )
    updated: dict[str, int] = field(
        default_factory=lambda: {"companies": 0, "departments": 0}
    )
    unchanged: dict[str, int] = field(
        default_factory=lambda: {"companies": 0, "departments": 0}
    )


# --- export ---------------------------------------------------------------------


def organisation_export(*, actor=None) -> bytes:
    """The tree (the actor's scope, or all of it from the command line) as .xlsx."""
    if actor is not None:
        require(actor, Perm.ORG_ADMIN)
    companies = scope_companies(actor) if actor is not None else Company.objects.all()
    companies = companies.select_related("parent").order_by("path")
    book = Workbook()
    sheet = book.active
    sheet.title = COMPANY_SHEET
    sheet.append(COMPANY_HEADERS)
    for c in companies:
        sheet.append(
            [
                c.code,
                c.name,
                str(Level(c.level).label),
                c.parent.code if c.parent else "",
                "、".join(str(DepartmentKind(k).label) for k in c.centralised or []),
            ]
        )
    depts = book.create_sheet(DEPARTMENT_SHEET)
    depts.append(DEPARTMENT_HEADERS)
    for d in (
        Department.objects.filter(company__in=companies)
        .select_related("company")
        .order_by("company__path", "kind")
    ):
        depts.append([d.company.code, str(DepartmentKind(d.kind).label), d.name])
    _legend(book.create_sheet(_("说明")))
    for ws, widths in ((sheet, (14, 24, 14, 14, 24)), (depts, (14, 14, 24))):
        for col, width in zip("ABCDE", widths, strict=False):
            ws.column_dimensions[col].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _legend(ws) -> None:
    ws.append([_("层级"), ", ".join(str(label) for label in Level.labels)])
    ws.append([_("部门类型"), ", ".join(str(label) for label in DepartmentKind.labels)])
    ws.append([_("可集中的业务"), ", ".join(str(k.label) for k in CENTRALISABLE)])
    ws.append([_("说明"), _("按机构代码更新已有机构；文件中没有的机构保持不变。")])


# --- import ---------------------------------------------------------------------


def _read_sheet(
    book, names: tuple[str, ...], headers: list[str], aliases: dict, required: bool
) -> tuple[str, list[tuple[int, dict]]] | None:
    ws = next((book[n] for n in book.sheetnames if n.strip().lower() in names), None)
    if ws is None:
        if required:
            raise DomainValidationError(_("缺少工作表“%(s)s”") % {"s": names[0]})
        return None
    rows = ws.iter_rows(values_only=True)
    head = [str(v).strip().lower() if v is not None else "" for v in next(rows, ())]
    index = {}
    for wanted in headers:
        keys = {wanted.lower(), *aliases.get(wanted, ())}
        found = next((i for i, h in enumerate(head) if h in keys), None)
        if found is None:
            raise DomainValidationError(
                _("工作表“%(s)s”第 1 行缺少列“%(c)s”") % {"s": ws.title, "c": wanted}
            )
        index[wanted] = found
    data = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise DomainValidationError(
                _("工作表“%(s)s”超过 %(n)s 行") % {"s": ws.title, "n": MAX_ROWS}
            )
        values = {k: (row[i] if i < len(row) else None) for k, i in index.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        data.append(
            (
                number,
                {k: ("" if v is None else str(v).strip()) for k, v in values.items()},
            )
        )
    return ws.title, data


ALIASES = {
    "机构代码": ("code", "company_code", "公司代码"),
    "机构名称": ("name", "公司名称"),
    "层级": ("level",),
    "上级机构代码": ("parent", "parent_code", "上级代码"),
    "省级集中业务": ("centralised", "centralized", "集中业务"),
    "部门类型": ("kind", "类型"),
    "部门名称": ("name", "department"),
}


def _open(file: BinaryIO):
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DomainValidationError(_("文件不是有效的 Excel（.xlsx）文件")) from None


def organisation_import(*, actor=None, file: BinaryIO) -> ImportResult:
    """All or nothing: every row is checked before anything is written."""
    if actor is not None:
        require(actor, Perm.ORG_ADMIN)
    book = _open(file)
    companies = _read_sheet(book, ("机构", "companies"), COMPANY_HEADERS, ALIASES, True)
    departments = _read_sheet(
        book, ("部门", "departments"), DEPARTMENT_HEADERS, ALIASES, False
    )
    checker = RowChecker(actor=actor, scope=scope_companies(actor) if actor else None)
    company_rows = checker.companies(*companies)
    department_rows = checker.departments(*departments) if departments else []
    if checker.errors:
        raise DomainValidationError(
            _("导入失败，未做任何修改。") + "；".join(checker.errors[:20]),
            errors=checker.errors,
        )
    with transaction.atomic():
        result = ImportResult()
        _apply_companies(company_rows, result)
        _apply_departments(department_rows, result)
        audit_record(
            action="organisation.imported",
            user=actor,
            detail={"count": len(company_rows) + len(department_rows)},
        )
    return result


def _apply_companies(rows: list[CompanyRow], result: ImportResult) -> None:
    for row in sorted(rows, key=lambda r: r.level):  # parents first
        parent = Company.objects.get(code=row.parent_code) if row.parent_code else None
        existing = Company.objects.filter(code=row.code).first()
        if existing is None:
            company_create(
                code=row.code,
                name=row.name,
                level=row.level,
                parent=parent,
                centralised=row.centralised,
            )
            result.created["companies"] += 1
        elif (
            existing.name,
            existing.parent_id,
            sorted(existing.centralised or []),
        ) == (row.name, parent.pk if parent else None, row.centralised):
            result.unchanged["companies"] += 1
        else:
            company_update(
                company=existing,
                name=row.name,
                centralised=row.centralised,
                parent=parent,
            )
            result.updated["companies"] += 1


def _apply_departments(rows: list[DepartmentRow], result: ImportResult) -> None:
    for row in rows:
        company = Company.objects.get(code=row.company_code)
        dept, created = Department.objects.get_or_create(
            company=company, kind=row.kind, defaults={"name": row.name}
        )
        if created:
            result.created["departments"] += 1
        elif dept.name != row.name:
            dept.name = row.name
            dept.save(update_fields=["name"])
            result.updated["departments"] += 1
        else:
            result.unchanged["departments"] += 1
