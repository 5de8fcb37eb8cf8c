"""Signing staff in (issue 8): every page reads the user's company (the
scope of the cases shown) and department (the top bar), so the session's
user is loaded with both in one query."""

import pytest

from kesu.accounts.backends import StaffBackend

pytestmark = pytest.mark.django_db


def test_the_signed_in_user_comes_with_company_and_department(
    city_handler, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = StaffBackend().get_user(city_handler.pk)
        assert (user.company.code, user.department.name) == (
            city_handler.company.code,
            city_handler.department.name,
        )


def test_a_deactivated_or_unknown_user_is_not_signed_in(city_handler):
    city_handler.is_active = False
    city_handler.save(update_fields=["is_active"])
    assert StaffBackend().get_user(city_handler.pk) is None
    assert StaffBackend().get_user(987654321) is None


def test_a_page_signs_in_with_the_staff_backend(client, city_handler):
    client.force_login(city_handler)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == city_handler.pk
    assert client.session["_auth_user_backend"] == "kesu.accounts.backends.StaffBackend"
