import pytest

from kesu.accounts.access import can, in_scope, scope_companies
from kesu.accounts.roles import Perm, Role
from kesu.accounts.services import user_set_roles
from kesu.errors import DomainValidationError


def test_a_city_handler_sees_only_their_own_city(city_handler, org):
    codes = set(scope_companies(city_handler).values_list("code", flat=True))
    assert codes == {"GDGZ"}


def test_a_province_sees_itself_and_its_cities(province_handler, org):
    codes = set(scope_companies(province_handler).values_list("code", flat=True))
    assert codes == {"GD", "GDGZ", "GDSZ"}
    assert not in_scope(province_handler, org["nj"])


def test_a_coordinator_cannot_handle_complaints(claims_coordinator, org):
    assert can(claims_coordinator, Perm.INVESTIGATION_ANSWER, org["gd"])
    assert not can(claims_coordinator, Perm.COMPLAINT_HANDLE, org["gd"])


def test_nobody_holds_two_administrator_roles(city_handler):
    with pytest.raises(DomainValidationError):
        user_set_roles(user=city_handler, roles={Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN})
    user_set_roles(user=city_handler, roles={Role.SYSTEM_ADMIN, Role.HANDLER})
    assert city_handler.has_role(Role.SYSTEM_ADMIN)
