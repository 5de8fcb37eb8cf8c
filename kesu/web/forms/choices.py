"""Choices for selects, read through the owning apps' selectors."""

from django.utils.translation import get_language

from kesu.accounts.access import scope_companies
from kesu.classification.selectors import code_entries
from kesu.organisation.models import Department


def _english() -> bool:
    return (get_language() or "").startswith("en")


def code_choices(table: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    english = _english()
    choices = [
        (e.code, (e.name_en if english and e.name_en else e.name_zh))
        for e in code_entries(table)
    ]
    return ([("", blank)] if blank is not None else []) + choices


def company_choices(user, *, blank: str | None = None) -> list[tuple[str, str]]:
    rows = scope_companies(user).order_by("path").values_list("pk", "name", "level")
    choices = [
        (str(pk), "\u3000" * max(level - user.company.level, 0) + name)
        for pk, name, level in rows
    ]
    return ([("", blank)] if blank is not None else []) + choices


def department_choices(user, *, blank: str | None = None) -> list[tuple[str, str]]:
    """Departments of the companies in the user's scope, grouped by company."""
    rows = (
        Department.objects.filter(company__in=scope_companies(user), is_active=True)
        .select_related("company")
        .order_by("company__path", "kind")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for dept in rows:
        groups.setdefault(dept.company.name, []).append((str(dept.pk), dept.name))
    choices: list = [(company, items) for company, items in groups.items()]
    return ([("", blank)] if blank is not None else []) + choices
