"""Reads of the organisation tree."""

from django.db.models import QuerySet

from .models import Company, Department, DepartmentKind, Level


def company_subtree(company: Company) -> QuerySet[Company]:
    """The company and every company below it: one indexed prefix query."""
    return Company.objects.filter(path__startswith=company.path)


def company_ancestors(company: Company) -> QuerySet[Company]:
    """Every company above `company` (not itself), head office first."""
    codes = company.ancestor_codes()[:-1]
    return Company.objects.filter(code__in=codes).order_by("level")


def province_of(company: Company) -> Company | None:
    if company.level < Level.PROVINCE:
        return None
    code = company.ancestor_codes()[1]
    return company if company.code == code else Company.objects.get(code=code)


def head_office() -> Company:
    return Company.objects.get(level=Level.HEAD_OFFICE)


def customer_service_of(company: Company) -> Department | None:
    return Department.objects.filter(
        company=company, kind=DepartmentKind.CUSTOMER_SERVICE
    ).first()


def is_centralised(company: Company, business: str) -> bool:
    """S7.5: is `business` centralised at the province of `company`?"""
    province = province_of(company)
    return bool(province and business in (province.centralised or []))
