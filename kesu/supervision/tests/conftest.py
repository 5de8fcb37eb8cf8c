"""Supervision fixtures: cases written straight to the tables at chosen
times, with investigations and breaches (factories from complaints)."""

import datetime as dt

import pytest
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department

from .factories import at, closed_case, investigation  # noqa: F401


@pytest.fixture
def gd_sales(org):
    return department(org["gd"], K.INDIVIDUAL_SALES)


@pytest.fixture
def gz_sales(org):
    return department(org["gz"], K.INDIVIDUAL_SALES)


@pytest.fixture
def gz_sales_head(org, gz_sales):
    return make_user(
        "gz_sales_head",
        org["gz"],
        [Role.DEPT_HEAD],
        department=gz_sales,
        full_name="郑部长",
    )


@pytest.fixture
def ho_cs_head(org):
    return make_user(
        "ho_cs_head",
        org["ho"],
        [Role.CS_HEAD],
        department=department(org["ho"]),
        full_name="周总客服",
    )


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def last_month(today):
    first = today.replace(day=1)
    end = first - dt.timedelta(days=1)
    return end.replace(day=1), end
