"""Reads of the code tables."""

import threading
import time

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kesu.errors import DomainValidationError

from .models import CodeEntry, CodeTable


def code_entries(table: str, *, active_only: bool = True) -> QuerySet[CodeEntry]:
    qs = CodeEntry.objects.filter(table=table)
    return qs.filter(active=True) if active_only else qs


class _Cache:
    """Every code entry, loaded in one query and kept per process for
    KESU_CODE_TABLE_CACHE_SECONDS (as the calendar's overrides): validating
    a registration's four codes costs no query. A code missing from it, or
    inactive in it, is asked of the database, so a code added or reactivated
    counts at once; a code deactivated in another process may still be
    accepted until the entries are reloaded (D)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[tuple[str, str], CodeEntry] | None = None
        self.loaded_at = 0.0

    def get(self) -> dict[tuple[str, str], CodeEntry]:
        ttl = getattr(settings, "KESU_CODE_TABLE_CACHE_SECONDS", 60)
        entries = self.entries
        if entries is None or time.monotonic() - self.loaded_at > ttl:
            with self.lock:
                entries = {(e.table, e.code): e for e in CodeEntry.objects.all()}
                self.entries, self.loaded_at = entries, time.monotonic()
        return entries


_cache = _Cache()


def invalidate() -> None:
    """Forget the cached entries (after loading or editing codes)."""
    _cache.entries = None


def code_entry(table: str, code: str) -> CodeEntry | None:
    entry = _cache.get().get((table, code))
    if entry is None:
        entry = CodeEntry.objects.filter(table=table, code=code).first()
    return entry


def code_is_valid(table: str, code: str) -> bool:
    entry = _cache.get().get((table, code))
    if entry is not None and entry.active:
        return True
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


def code_names(values: dict[str, str]) -> dict[str, str]:
    """{table: code} → {table: name}: from the cached entries (as
    `code_name`), the codes not in them in one query (a case page names six
    codes, issue 8). As `code_name`: an unknown code is named by itself; no
    code is "—"."""
    wanted = {table: code for table, code in values.items() if code}
    english = (get_language() or "").startswith("en")
    cached = _cache.get()
    found, missing = {}, {}
    for table, code in wanted.items():
        entry = cached.get((table, code))
        if entry is None:
            missing[table] = code
        else:
            found[table, code] = (
                entry.name_en if english and entry.name_en else entry.name_zh
            )
    if missing:
        entries = CodeEntry.objects.filter(
            table__in=missing, code__in=missing.values()
        ).values_list("table", "code", "name_zh", "name_en")
        for table, code, name_zh, name_en in entries:
            found[table, code] = name_en if english and name_en else name_zh
    return {
        table: found.get((table, code), code) if code else "—"
        for table, code in values.items()
    }


def cause_group(code: str) -> str:
    """The regulator's headline group of a cause (R1.18, R2.8)."""
    entry = code_entry(CodeTable.CAUSE, code)
    return entry.group if entry else ""
