"""Checks of an organisation import, row by row, before anything is written.
Every problem is collected with its sheet and row number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import CENTRALISABLE, Company, DepartmentKind, Level
from .services import CS_NAMES

SPLIT = re.compile(r"[,，、;；\s]+")
LEVELS = {str(label): value for value, label in Level.choices}
LEVELS |= {str(v): v for v in Level.values} | {
    "head office": 1,
    "province": 2,
    "city": 3,
    "county": 4,
}
KINDS = {str(label): value for value, label in DepartmentKind.choices}
KINDS |= {v: v for v in DepartmentKind.values} | {
    "核赔": DepartmentKind.CLAIMS,
    "理赔": DepartmentKind.CLAIMS,
    "总裁室": DepartmentKind.MANAGEMENT_OFFICE,
    **{name: DepartmentKind.CUSTOMER_SERVICE for name in CS_NAMES.values()},
}


@dataclass(frozen=True)
class CompanyRow:
    code: str
    name: str
    level: int
    parent_code: str
    centralised: list[str]


@dataclass(frozen=True)
class DepartmentRow:
    company_code: str
    kind: str
    name: str


class RowChecker:
    def __init__(self, *, actor, scope):
        self.errors: list[str] = []
        self.scope_codes = (
            None if scope is None else set(scope.values_list("code", flat=True))
        )
        self.db = {c.code: c for c in Company.objects.only("code", "level", "pk")}
        self.file_levels: dict[str, int] = {}

    def error(self, sheet: str, number: int, message: str) -> None:
        self.errors.append(
            _("工作表“%(s)s”第 %(n)s 行：%(m)s")
            % {"s": sheet, "n": number, "m": message}
        )

    def companies(self, sheet: str, rows: list[tuple[int, dict]]) -> list[CompanyRow]:
        parsed: list[tuple[int, CompanyRow]] = []
        for number, v in rows:
            row = self._company(sheet, number, v)
            if row is None:
                continue
            if row.code in self.file_levels:
                self.error(sheet, number, _("机构代码重复：%(c)s") % {"c": row.code})
                continue
            self.file_levels[row.code] = row.level
            parsed.append((number, row))
        for number, row in parsed:  # parents may come later in the file
            self._check_parent(sheet, number, row)
        heads = {c for c, lv in self.file_levels.items() if lv == Level.HEAD_OFFICE}
        heads |= {c for c, co in self.db.items() if co.level == Level.HEAD_OFFICE}
        if len(heads) > 1:
            self.errors.append(
                _("只能有一个总公司：%(c)s") % {"c": "、".join(sorted(heads))}
            )
        return [row for _n, row in parsed]

    def _company(self, sheet, number, v) -> CompanyRow | None:
        code, name = v["机构代码"], v["机构名称"]
        problems = []
        if not code or "/" in code or len(code) > 20:
            problems.append(_("机构代码必须填写，不超过20个字符，且不能含有“/”"))
        if not name or len(name) > 100:
            problems.append(_("机构名称必须填写，不超过100个字符"))
        level = LEVELS.get(v["层级"].removesuffix(".0").lower())
        if level is None:
            problems.append(_("层级无法识别：%(v)s") % {"v": v["层级"]})
        existing = self.db.get(code)
        if existing and level and existing.level != level:
            problems.append(_("不能修改已有机构的层级"))
        if existing and self.scope_codes is not None and code not in self.scope_codes:
            problems.append(_("机构 %(c)s 不在您的管理范围内") % {"c": code})
        centralised = self._centralised(v["省级集中业务"], level, problems)
        for problem in problems:
            self.error(sheet, number, problem)
        if problems:
            return None
        return CompanyRow(code, name, level, v["上级机构代码"], centralised)

    def _centralised(self, text: str, level, problems: list) -> list[str]:
        tokens = [t for t in SPLIT.split(text) if t]
        kinds = [KINDS.get(t) for t in tokens]
        for token, kind in zip(tokens, kinds, strict=True):
            if kind not in CENTRALISABLE:
                problems.append(_("不能集中的业务：%(v)s") % {"v": token})
        if tokens and level != Level.PROVINCE:
            problems.append(_("只有省级分公司可以设置省级集中业务"))
        return sorted({k for k in kinds if k in CENTRALISABLE})

    def _check_parent(self, sheet, number, row: CompanyRow) -> None:
        if row.level == Level.HEAD_OFFICE:
            if row.parent_code:
                self.error(sheet, number, _("总公司没有上级机构"))
            return
        if not row.parent_code:
            self.error(sheet, number, _("必须填写上级机构代码"))
            return
        parent_level = self.file_levels.get(row.parent_code) or getattr(
            self.db.get(row.parent_code), "level", None
        )
        if parent_level is None:
            self.error(
                sheet, number, _("上级机构不存在：%(c)s") % {"c": row.parent_code}
            )
        elif parent_level != row.level - 1:
            self.error(sheet, number, _("上级机构的层级必须比本机构高一级"))
        elif (
            self.scope_codes is not None
            and row.parent_code in self.db
            and row.parent_code not in self.scope_codes
        ):
            self.error(
                sheet,
                number,
                _("机构 %(c)s 不在您的管理范围内") % {"c": row.parent_code},
            )

    def departments(
        self, sheet: str, rows: list[tuple[int, dict]]
    ) -> list[DepartmentRow]:
        seen: set[tuple[str, str]] = set()
        parsed = []
        for number, v in rows:
            code, kind = v["机构代码"], KINDS.get(v["部门类型"])
            level = self.file_levels.get(code) or getattr(
                self.db.get(code), "level", None
            )
            if level is None:
                self.error(sheet, number, _("机构不存在：%(c)s") % {"c": code})
            elif (
                self.scope_codes is not None
                and code in self.db
                and code not in self.scope_codes
            ):
                self.error(
                    sheet, number, _("机构 %(c)s 不在您的管理范围内") % {"c": code}
                )
            elif kind is None:
                self.error(
                    sheet, number, _("部门类型无法识别：%(v)s") % {"v": v["部门类型"]}
                )
            elif (code, kind) in seen:
                self.error(sheet, number, _("同一机构的部门类型重复"))
            elif len(v["部门名称"]) > 100:
                self.error(sheet, number, _("部门名称不超过100个字符"))
            else:
                seen.add((code, kind))
                name = v["部门名称"] or (
                    CS_NAMES[level]
                    if kind == DepartmentKind.CUSTOMER_SERVICE
                    else str(DepartmentKind(kind).label)
                )
                parsed.append(DepartmentRow(code, kind, name))
        return parsed
