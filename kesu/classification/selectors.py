"""Reads of the code tables."""

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kesu.errors import DomainValidationError

from .models import CodeEntry, CodeTable


def code_entries(table: str, *, active_only: bool = True) -> QuerySet[CodeEntry]:
    qs = CodeEntry.objects.filter(table=table)
    return qs.filter(active=True) if active_only else qs


def code_entry(table: str, code: str) -> CodeEntry | None:
    return CodeEntry.objects.filter(table=table, code=code).first()


def code_is_valid(table: str, code: str) -> bool:
    return code_entries(table).filter(code=code).exists()


def code_require(
    table: str, code: str, *, field: str | None = None, required: bool = True
) -> str:
    """Validate `code` against its table; raise a 400 with the field name."""
    if not code:
        if required:
            raise DomainValidationError(
                _("请填写%(table)s") % {"table": CodeTable(table).label},
                field=field or table,
            )
        return code
    if not code_is_valid(table, code):
        raise DomainValidationError(
            _("%(table)s“%(code)s”不在代码表中")
            % {"table": CodeTable(table).label, "code": code},
            field=field or table,
        )
    return code


def code_name(table: str, code: str) -> str:
    entry = code_entry(table, code)
    if entry is None:
        return code
    if (get_language() or "").startswith("en") and entry.name_en:
        return entry.name_en
    return entry.name_zh


def cause_group(code: str) -> str:
    """The regulator's headline group of a cause (R1.18, R2.8)."""
    entry = code_entry(CodeTable.CAUSE, code)
    return entry.group if entry else ""
