"""A1: one identity per username whatever its case."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from kesu.accounts.models import User
from kesu.accounts.roles import Role
from kesu.accounts.services import user_create
from kesu.accounts.tests.factories import PASSWORD, make_user
from kesu.errors import DomainValidationError

pytestmark = pytest.mark.django_db


def test_a_username_differing_only_in_case_is_refused_by_the_service(org):
    user_create(actor=None, username="Wang", full_name="王一", company=org["gz"])
    with pytest.raises(DomainValidationError) as refused:
        user_create(actor=None, username="wang", full_name="王二", company=org["gz"])
    assert "用户名已存在" in str(refused.value.message)
    assert User.objects.filter(username__iexact="wang").count() == 1


def test_the_database_refuses_a_second_username_differing_only_in_case(org):
    User.objects.create(username="Wang")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="WANG")


def test_the_admin_add_form_shows_the_duplicate_username(client, org):
    admin = make_user("ho_sys", org["ho"], [Role.SYSTEM_ADMIN], full_name="林系统")
    make_user("gz_wang", org["gz"], [Role.CLERK])
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "GZ_Wang",
            "full_name": "王重名",
            "company": org["gz"].pk,
            "usable_password": "true",
            "password1": "Xy7-long-enough-pw",
            "password2": "Xy7-long-enough-pw",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert User.objects.filter(username__iexact="gz_wang").count() == 1


def test_signing_in_ignores_the_case_of_the_username(client, city_clerk):
    response = client.post("/login/", {"username": "GZ_Clerk", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(city_clerk.pk)
