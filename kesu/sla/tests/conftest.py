import pytest

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.organisation.tests.factories import department


@pytest.fixture
def system_admin(org):
    return make_user(
        "ho_sysadmin",
        org["ho"],
        [Role.SYSTEM_ADMIN],
        department=department(org["ho"]),
        full_name="林系统",
    )


RECOMPUTE_CALLS: list[str] = []


def recorder() -> int:
    """A recomputer for tests: records that it was called."""
    RECOMPUTE_CALLS.append("called")
    return 3


def broken() -> int:
    raise RuntimeError("boom")


@pytest.fixture
def recompute_calls(settings):
    RECOMPUTE_CALLS.clear()
    settings.KESU_PROVISIONAL_RECOMPUTERS = [
        "kesu.sla.tests.conftest.recorder",
    ]
    return RECOMPUTE_CALLS
