import factory

from kesu.organisation.models import Company, Department, DepartmentKind, Level
from kesu.organisation.services import company_create, department_ensure


def make_company(
    code: str,
    name: str,
    parent: Company | None = None,
    centralised: list[str] | None = None,
) -> Company:
    level = Level.HEAD_OFFICE if parent is None else parent.level + 1
    existing = Company.objects.filter(code=code).first()
    if existing:
        return existing
    company = company_create(
        code=code, name=name, level=level, parent=parent, centralised=centralised
    )
    for kind in DepartmentKind.values:
        department_ensure(company=company, kind=kind)
    return company


def department(
    company: Company, kind: str = DepartmentKind.CUSTOMER_SERVICE
) -> Department:
    return department_ensure(company=company, kind=kind)


class CompanyFactory(factory.django.DjangoModelFactory):
    """Prefer make_company(); this one is for bulk/odd cases."""

    class Meta:
        model = Company

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"机构{n}")
    level = Level.HEAD_OFFICE
    path = factory.LazyAttribute(lambda o: f"{o.code}/")
