import pytest

from kesu.complaints.access import complaint_get_for, complaint_scope
from kesu.complaints.lifecycle import allowed_actions
from kesu.errors import NotFound

from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def test_a_city_case_is_seen_by_the_city_its_province_and_head_office(
    org,
    city_handler,
    province_handler,
    head_office_handler,
    outsider_in_another_province,
):
    case = ComplaintFactory(owning_company=org["gz"])
    for user in (city_handler, province_handler, head_office_handler):
        assert complaint_get_for(user, pk=case.pk) == case
    with pytest.raises(NotFound):
        complaint_get_for(outsider_in_another_province, pk=case.pk)
    with pytest.raises(NotFound):
        complaint_get_for(outsider_in_another_province, number=case.number)


def test_the_registering_company_keeps_seeing_a_case_it_referred_up(org, city_handler):
    case = ComplaintFactory(owning_company=org["gd"], registered_company=org["gz"])
    assert complaint_scope(city_handler).filter(pk=case.pk).exists()


def test_a_sister_city_does_not_see_another_citys_case(org, city_handler):
    case = ComplaintFactory(owning_company=org["sz"])
    assert not complaint_scope(city_handler).filter(pk=case.pk).exists()


def test_a_coordinator_sees_only_cases_with_an_investigation_for_the_department(
    org, claims_coordinator
):
    from kesu.complaints.tests.factories import advance
    from kesu.organisation.models import DepartmentKind

    mine = advance(
        ComplaintFactory(owning_company=org["gd"]),
        "investigating",
        department_kind=DepartmentKind.CLAIMS,
        coordinator=claims_coordinator,
    )
    other = ComplaintFactory(owning_company=org["gd"])
    scope = complaint_scope(claims_coordinator)
    assert scope.filter(pk=mine.pk).exists()
    assert not scope.filter(pk=other.pk).exists()
    assert allowed_actions(claims_coordinator, mine) == ["answer"]


def test_an_unauthenticated_or_admin_user_sees_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    from kesu.accounts.roles import Role
    from kesu.accounts.tests.factories import make_user

    ComplaintFactory(owning_company=org["gz"])
    admin = make_user("sysadm", org["ho"], [Role.SYSTEM_ADMIN])
    assert not complaint_scope(AnonymousUser()).exists()
    assert not complaint_scope(admin).exists()


def test_allowed_actions_costs_a_handful_of_queries(
    org, city_clerk, city_handler, django_assert_max_num_queries
):
    from kesu.complaints.tests.factories import advance, register

    case = advance(register(city_clerk).complaint, "reviewing", handler=city_handler)
    case = complaint_get_for(city_handler, pk=case.pk)
    with django_assert_max_num_queries(5):
        actions = allowed_actions(city_handler, case)
    assert {"reply", "accept_finding", "return_for_reinvestigation"} <= set(actions)
    assert "close" not in actions and "accept" not in actions
