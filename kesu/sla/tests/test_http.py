"""The calendar's status endpoint and admin warning (one HTTP test each)."""

import datetime as dt

import time_machine
from django.urls import reverse

from kesu.sla.models import CalendarOverride

NOW = dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_the_status_endpoint_warns_system_administrators_about_2027(
    client, system_admin, city_handler
):
    client.force_login(city_handler)
    assert client.get("/api/calendar/status").status_code == 403
    client.force_login(system_admin)
    body = client.get("/api/calendar/status").json()
    assert body["ok"] is False
    assert [m["year"] for m in body["missing_years"]] == [2027]


@time_machine.travel(NOW, tick=False)
def test_the_admin_shows_the_warning_and_enters_a_year(client, system_admin):
    client.force_login(system_admin)
    page = client.get(reverse("admin:sla_calendaroverride_changelist"))
    assert page.status_code == 200
    assert "2027" in page.content.decode()
    response = client.post(
        reverse("admin:sla_calendaroverride_enter_year"),
        {
            "year": 2027,
            "source_notice": "国办发明电",
            "schedule": "2027-01-01 休 元旦\n2027-02-20 班 春节调休上班",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarOverride.objects.count() == 2
    bad = client.post(
        reverse("admin:sla_calendaroverride_enter_year"),
        {"year": 2027, "source_notice": "x", "schedule": "2027-01-01 maybe"},
    )
    assert bad.status_code == 200 and "第 1 行" in bad.content.decode()
    assert CalendarOverride.objects.count() == 2


def test_a_case_worker_cannot_open_the_calendar_admin(client, city_handler):
    city_handler.is_staff = True
    city_handler.save(update_fields=["is_staff"])
    client.force_login(city_handler)
    page = client.get(reverse("admin:sla_calendaroverride_changelist"))
    assert page.status_code == 403


@time_machine.travel(NOW, tick=False)
def test_entering_2027_through_the_api_clears_the_warning(client, system_admin):
    client.force_login(system_admin)
    response = client.put(
        "/api/calendar/years/2027",
        {
            "source_notice": "国务院办公厅通知",
            "entries": [
                {"date": "2027-01-01", "is_working_day": False, "name": "元旦"}
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert client.get("/api/calendar/status").json()["ok"] is True
    bad = client.put(
        "/api/calendar/years/2027",
        {
            "source_notice": "x",
            "entries": [{"date": "2028-01-01", "is_working_day": 0}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
