"""The reports API (/api/reports): one test per feature, out-of-scope and
bad-input answers."""

import pytest
from django.conf import settings as django_settings

from kesu.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_head_office_sets_a_weight_and_a_province_may_not(
    march, api, head_office_handler, province_cs_head
):
    body = {"weight": "30", "formula": "rate", "points_per_unit": "0"}
    ok = api(head_office_handler).put(
        "/api/reports/assessment-metrics/on_time_rate",
        body,
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["weight"] == "30.00"
    api(head_office_handler).logout()
    refused = api(province_cs_head).put(
        "/api/reports/assessment-metrics/on_time_rate",
        body,
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["detail"]


def test_a_bad_weight_is_a_400_with_the_field(march, api, head_office_handler):
    response = api(head_office_handler).put(
        "/api/reports/assessment-metrics/breaches",
        {"weight": "10", "formula": "rate"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "formula"


@pytest.fixture
def fetched(django_capture_on_commit_callbacks):
    """GET stored figures over the API: the first answer is 202 with the
    progress (the counting runs here at once, as the background runner
    would), the next one the figures."""

    def get(client, url):
        with django_capture_on_commit_callbacks(execute=True):
            first = client.get(url)
        assert first.status_code == 202 and first["Retry-After"]
        assert first.json()["status"] == "queued"
        return client.get(url)

    return get


def test_scorecards_and_regulator_statistics_over_the_api(
    march, api, province_handler, fetched
):
    client = api(province_handler)
    cards = fetched(client, "/api/reports/scorecards?company=GD&period=2026-03").json()
    assert [c["company"] for c in cards["companies"]] == ["GDSZ", "GDGZ"]
    stats = fetched(client, "/api/reports/regulator?company=GD&period=2026-03").json()
    assert stats["totals"]["total"] == 6 and stats["ratios"]["per_10k_insured"] is None


def test_regulator_figures_bad_input_keeps_nothing(march, api, province_cs_head):
    response = api(province_cs_head).put(
        "/api/reports/regulator-figures",
        {
            "company": "GD",
            "period": "2026-13",
            "premium": "1",
            "policies": 1,
            "insured": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "period"


def test_a_job_is_accepted_and_its_progress_read(
    march, api, province_handler, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = api(province_handler)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/reports/jobs",
            {"kind": "regulator_xlsx", "company": "GD", "period": "2026-Q1"},
            content_type="application/json",
        )
    assert created.status_code == 202
    job = client.get(f"/api/reports/jobs/{created.json()['id']}").json()
    assert job["status"] == "done" and job["download"].endswith("/download/")


def test_an_out_of_scope_company_is_404(march, api, outsider_in_another_province):
    client = api(outsider_in_another_province)
    for url in (
        "/api/reports/scorecards?company=GD",
        "/api/reports/regulator?company=GDGZ",
    ):
        assert client.get(url).status_code == 404


def test_typical_cases_over_the_api(org, api, city_handler, city_cs_head):
    from .conftest import at, make_complaint

    complaint = make_complaint(
        org["gz"],
        at(2026, 3, 3),
        state="closed",
        complainant_name="王小明",
        facts="王小明来电 13900001111",
    )
    client = api(city_handler)
    created = client.post(
        "/api/reports/typical-cases",
        {"complaint_id": complaint.pk, "title": "来电案例", "tags": ["回访"]},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["facts"] == "王**来电 ［已删除］"
    client.logout()
    approved = api(city_cs_head).post(
        f"/api/reports/typical-cases/{created.json()['id']}/approve",
        {"note": "好"},
        content_type="application/json",
    )
    assert approved.json()["status"] == "approved"
    listed = api(city_cs_head).get("/api/reports/typical-cases?tag=回访").json()
    assert [c["id"] for c in listed] == [created.json()["id"]]


def test_the_schedule_names_registered_report_tasks():
    app.loader.import_default_modules()
    for name in (
        "kesu.reports.periodic_reports_send",
        "kesu.reports.report_jobs_recover",
    ):
        assert name in app.tasks
        assert name in {
            e["task"] for e in django_settings.CELERY_BEAT_SCHEDULE.values()
        }
