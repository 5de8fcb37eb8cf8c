import pytest

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department


@pytest.fixture
def gd_sales(org):
    return department(org["gd"], K.INDIVIDUAL_SALES)


@pytest.fixture
def gd_claims(org):
    return department(org["gd"], K.CLAIMS)


@pytest.fixture
def sales_coordinator(org, gd_sales):
    return make_user(
        "gd_sales_coord",
        org["gd"],
        [Role.COORDINATOR],
        department=gd_sales,
        full_name="个险协调员",
    )


@pytest.fixture
def ho_committee_member(org):
    return make_user(
        "ho_committee",
        org["ho"],
        [Role.COMMITTEE_MEMBER],
        department=department(org["ho"]),
        full_name="总公司委员",
    )
