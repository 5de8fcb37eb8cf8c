"""B1/B2, G6: every role × every API endpoint × a case in and out of scope.

Endpoints are read from the OpenAPI document, so a new endpoint is covered
without touching this test. Properties checked for every call:
- no 5xx, whatever the role, the case or the (empty) body;
- a case outside the caller's scope answers exactly like a case that does not
  exist (no existence leak: out of scope is 404, never 403 or 2xx);
- the audit log answers only the audit administrator, who gets nothing else;
- the system and security administrators see no complaint."""

import pytest
from django.test import Client

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.api import api
from kesu.complaints.access import complaint_scope
from kesu.complaints.models import State
from kesu.complaints.tests.factories import ComplaintFactory, advance
from kesu.organisation.models import DepartmentKind

PERSONAS = [
    "city_clerk",
    "city_handler",
    "city_cs_head",
    "province_handler",
    "province_cs_head",
    "head_office_handler",
    "claims_coordinator",
    "city_sales_coordinator",
    "committee_member",
    "management",
    "outsider_in_another_province",
    "system_admin",
    "security_admin",
    "audit_admin",
]
MISSING = 10**9
# Reference data every signed-in member of staff may read (not case data).
AUDIT_ADMIN_MAY_READ: set[str] = set()


def endpoints() -> list[tuple[str, str, list[str]]]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
            found.append((method.upper(), path, params))
    return found


def _url(
    path: str, params: list[str], complaint_id: int, related: dict[str, int]
) -> str:
    for name in params:
        value = complaint_id if name == "complaint_id" else related.get(name, MISSING)
        if name == "year":
            value = 2026
        path = path.replace("{" + name + "}", str(value))
    return path


def _call(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data="{}", content_type="application/json")


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KESU_RATE_LIMITS = False


@pytest.fixture
def people(request, fast_passwords, org):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def cases(org, city_handler, city_sales_coordinator):
    inside = advance(
        ComplaintFactory(owning_company=org["gz"]),
        State.INVESTIGATING,
        handler=city_handler,
        coordinator=city_sales_coordinator,
        department_kind=DepartmentKind.INDIVIDUAL_SALES,
    )
    outside = ComplaintFactory(owning_company=org["nj"])
    return inside, outside


def test_scopes_are_what_design_section_5_says(people, cases):
    inside, outside = cases
    sees = {
        name: set(complaint_scope(user).values_list("pk", flat=True))
        for name, user in people.items()
    }
    assert inside.pk in sees["city_clerk"] and outside.pk not in sees["city_clerk"]
    assert (
        inside.pk in sees["province_handler"]
        and outside.pk not in sees["province_handler"]
    )
    assert {inside.pk, outside.pk} <= sees["head_office_handler"]
    assert sees["outsider_in_another_province"] == {outside.pk}
    assert inside.pk in sees["city_sales_coordinator"]
    assert outside.pk not in sees["claims_coordinator"]
    for admin in ("system_admin", "security_admin", "audit_admin"):
        assert sees[admin] == set()


@pytest.mark.django_db
def test_every_role_on_every_endpoint(people, cases):
    inside, outside = cases
    client = Client(raise_request_exception=False)  # a 500 is a finding, not a crash
    related = {"investigation_id": inside.investigations.first().pk}
    failures: list[str] = []
    for name, user in people.items():
        client.force_login(user)
        scope = set(complaint_scope(user).values_list("pk", flat=True))
        for method, path, params in endpoints():
            failures += _check(
                client, name, method, path, params, scope, cases, related
            )
    assert not failures, "\n".join(failures[:40])


def _check(client, name, method, path, params, scope, cases, related) -> list[str]:
    failures = []
    label = f"{name} {method} {path}"
    if "complaint_id" not in params:
        response = _call(client, method, _url(path, params, MISSING, {}))
        failures += _no_server_error(label, response)
        failures += _admin_rules(label, name, path, method, response)
        return failures
    missing = _call(client, method, _url(path, params, MISSING, {}))
    for case in cases:
        ids = related if case.pk == cases[0].pk else {}
        response = _call(client, method, _url(path, params, case.pk, ids))
        failures += _no_server_error(f"{label} case {case.pk}", response)
        if case.pk not in scope and response.status_code != missing.status_code:
            failures.append(
                f"{label}: out-of-scope case answers {response.status_code}, "
                f"a missing case {missing.status_code}"
            )
        failures += _admin_rules(label, name, path, method, response)
    return failures


def _no_server_error(label, response) -> list[str]:
    if response.status_code >= 500:
        return [f"{label}: {response.status_code}"]
    return []


def _shows_nothing(response) -> bool:
    """An empty list or page: the caller was shown no data."""
    try:
        body = response.json()
    except ValueError:
        return False
    if isinstance(body, dict):
        body = body.get("items", body.get("results", body))
    return body in ([], {})


def _admin_rules(label, name, path, method, response) -> list[str]:
    ok = 200 <= response.status_code < 300 and not _shows_nothing(response)
    if path.startswith("/api/audit/"):
        if ok != (name == "audit_admin"):
            return [f"{label}: audit log answered {response.status_code}"]
        return []
    if name == "audit_admin" and ok and path not in AUDIT_ADMIN_MAY_READ:
        return [f"{label}: the audit administrator got {response.status_code}"]
    if name in ("system_admin", "security_admin") and ok and "/complaints" in path:
        return [
            f"{label}: an administrator reached complaints ({response.status_code})"
        ]
    return []


def test_the_three_administrator_roles_hold_disjoint_permissions():
    from kesu.accounts.roles import ROLE_PERMS

    system, security, audit = (
        ROLE_PERMS[r]
        for r in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
    )
    assert not (system & security) and not (system & audit) and not (security & audit)
    assert audit == {"audit.read"}
    others = set().union(*(p for r, p in ROLE_PERMS.items() if r != Role.AUDIT_ADMIN))
    assert "audit.read" not in others


@pytest.mark.django_db
def test_no_user_can_hold_two_administrator_roles(org):
    from kesu.errors import DomainValidationError

    with pytest.raises(DomainValidationError):
        make_user("two_hats", org["ho"], [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
