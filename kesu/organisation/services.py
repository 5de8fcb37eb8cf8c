"""Writes to the organisation tree. The path is derived here, in one place."""

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.errors import DomainValidationError

from .models import Company, Department, DepartmentKind, Level

CS_NAMES = {  # DESIGN §1: the customer-service department's name per level
    Level.HEAD_OFFICE: "客户服务部",
    Level.PROVINCE: "客户服务管理中心",
    Level.CITY: "客户服务中心",
    Level.COUNTY: "客户服务中心",
}


def _path_for(code: str, parent: Company | None) -> str:
    return f"{parent.path if parent else ''}{code}/"


@transaction.atomic
def company_create(
    *,
    code: str,
    name: str,
    level: int,
    parent: Company | None = None,
    centralised: list[str] | None = None,
) -> Company:
    if (parent is None) != (level == Level.HEAD_OFFICE):
        raise DomainValidationError(_("只有总公司没有上级机构"))
    if parent is not None and parent.level != level - 1:
        raise DomainValidationError(_("上级机构的层级必须比本机构高一级"))
    if "/" in code or not code:
        raise DomainValidationError(_("机构代码不能为空，也不能含有“/”"))
    if Company.objects.filter(code=code).exists():
        raise DomainValidationError(
            _("机构代码已存在：%(c)s") % {"c": code}, field="code"
        )
    company = Company.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=_path_for(code, parent),
        centralised=centralised or [],
    )
    return company


@transaction.atomic
def company_update(
    *,
    company: Company,
    name: str | None = None,
    code: str | None = None,
    centralised: list[str] | None = None,
    parent: Company | None = None,
) -> Company:
    """Rename, re-code or move a company (to a parent one level up); the
    paths of everything below it follow."""
    fields = []
    if name is not None:
        company.name = name
        fields.append("name")
    if centralised is not None:
        company.centralised = centralised
        fields.append("centralised")
    old_path = company.path
    if parent is not None and parent.pk != company.parent_id:
        if parent.level != company.level - 1:
            raise DomainValidationError(_("上级机构的层级必须比本机构高一级"))
        company.parent = parent
        fields.append("parent")
    if code is not None and code != company.code:
        if "/" in code or not code:
            raise DomainValidationError(_("机构代码不能为空，也不能含有“/”"))
        company.code = code
        fields.append("code")
    company.path = _path_for(company.code, company.parent)
    if company.path != old_path:
        fields.append("path")
        # Re-root every descendant's path (one prefix query).
        for child in Company.objects.filter(path__startswith=old_path).exclude(
            pk=company.pk
        ):
            child.path = company.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    company.save(update_fields=fields)
    return company


def department_ensure(
    *, company: Company, kind: str, name: str | None = None
) -> Department:
    """Idempotent: the company's department of `kind`."""
    if kind not in DepartmentKind.values:
        raise DomainValidationError(_("未知的部门类型：%(k)s") % {"k": kind})
    if name is None:
        name = (
            CS_NAMES[company.level]
            if kind == DepartmentKind.CUSTOMER_SERVICE
            else str(DepartmentKind(kind).label)
        )
    dept, _created = Department.objects.get_or_create(
        company=company, kind=kind, defaults={"name": name}
    )
    return dept
