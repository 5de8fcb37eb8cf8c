"""S4: supervision of departments, per department and period."""

import datetime as dt

import pytest

from kesu.complaints.tests.factories import ComplaintFactory
from kesu.errors import Forbidden, NotFound
from kesu.supervision.access import company_get_for
from kesu.supervision.periods import Period
from kesu.supervision.selectors.feed import supervision_feed_for
from kesu.supervision.selectors.figures import department_figures

from .factories import breach, investigation

pytestmark = pytest.mark.django_db

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _figures_for(company, department, period=NOV):
    rows = department_figures(companies=[company], period=period)
    return next(f for f in rows if f.department_id == department.pk)


def test_department_figures_count_cases_on_time_answers_returns_and_breaches(
    org, gz_sales, city_handler
):
    gz = org["gz"]
    a, b = ComplaintFactory(owning_company=gz), ComplaintFactory(owning_company=gz)
    investigation(
        a,
        gz_sales,
        dispatched=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 9),
        answered=dt.date(2026, 11, 9),
        by=city_handler,
    )  # on the last day
    late = investigation(
        b,
        gz_sales,
        dispatched=dt.date(2026, 11, 3),
        due=dt.date(2026, 11, 10),
        answered=dt.date(2026, 11, 12),
        return_count=2,
        by=city_handler,
    )
    investigation(
        b,
        gz_sales,
        dispatched=dt.date(2026, 11, 20),
        due=dt.date(2026, 11, 27),
        by=city_handler,
    )  # still open
    investigation(
        a,
        gz_sales,
        dispatched=dt.date(2026, 10, 20),
        due=dt.date(2026, 10, 27),
        answered=dt.date(2026, 10, 21),
        by=city_handler,
    )  # other period
    breach(late, recorded=dt.date(2026, 11, 11))

    f = _figures_for(gz, gz_sales)

    assert (f.cases, f.investigations, f.answered, f.answered_on_time) == (2, 3, 2, 1)
    assert (f.returned, f.returns, f.breaches) == (1, 2, 1)
    assert f.on_time_rate == round(1 / 3, 4)


def test_a_department_without_work_shows_zeros(org):
    rows = department_figures(companies=[org["sz"]], period=NOV)
    assert rows and all(f.cases == 0 and f.breaches == 0 for f in rows)


def test_department_figures_take_three_queries_whatever_the_number_of_departments(
    org, gz_sales, city_handler, django_assert_num_queries
):
    for _ in range(3):
        c = ComplaintFactory(owning_company=org["gz"])
        investigation(
            c,
            gz_sales,
            dispatched=dt.date(2026, 11, 2),
            due=dt.date(2026, 11, 9),
            by=city_handler,
        )
    with django_assert_num_queries(3):
        department_figures(companies=[org["gz"], org["sz"]], period=NOV)


def test_management_office_sees_the_feed_of_its_own_company(org, management, gz_sales):
    feed = supervision_feed_for(management, company=org["gd"], period=NOV)
    assert feed["company"] == org["gd"]
    assert {f.company_id for f in feed["figures"]} == {org["gd"].pk}


def test_a_company_outside_scope_is_not_found(org, management):
    with pytest.raises(NotFound):
        company_get_for(management, pk=org["js"].pk)


def test_a_coordinator_may_not_read_figures(org, claims_coordinator):
    with pytest.raises(Forbidden):
        supervision_feed_for(claims_coordinator, company=org["gd"], period=NOV)


def test_feed_api_for_management(client, org, management, city_handler, gd_sales):
    c = ComplaintFactory(owning_company=org["gd"])
    investigation(
        c,
        gd_sales,
        dispatched=dt.date(2026, 11, 2),
        due=dt.date(2026, 11, 9),
        answered=dt.date(2026, 11, 5),
        by=city_handler,
    )
    client.force_login(management)
    r = client.get(
        "/api/supervision/feed", {"start": "2026-11-01", "end": "2026-11-30"}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["totals"]["answered_on_time"] == 1
    row = next(f for f in body["figures"] if f["department_id"] == gd_sales.pk)
    assert row["cases"] == 1 and row["on_time_rate"] == 1.0
    r = client.get("/api/supervision/figures", {"company": org["js"].pk})
    assert r.status_code == 404


def test_period_with_end_before_start_is_a_400(client, management):
    client.force_login(management)
    r = client.get(
        "/api/supervision/figures", {"start": "2026-11-30", "end": "2026-11-01"}
    )
    assert r.status_code == 400 and r.json()["detail"]
