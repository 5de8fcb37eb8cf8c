"""One end-to-end test per page (STYLE.md), query counts pinned, and the
out-of-scope answers."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_province_report_page_shows_figures_and_inline_svg_charts(
    march, province_handler, client_as
):
    client = client_as(province_handler)
    response = client.get("/reports/complaints/?company=GD&period=2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 8  # trend, Pareto, six breakdowns, companies
    assert "投诉原因帕累托图" in html and march.c5.number in html
    assert "<script" not in html.split("<main>")[1]  # charts need no script


def test_report_page_query_count_is_fixed(march, province_handler, client_as):
    client = client_as(province_handler)
    client.get("/reports/complaints/?company=GD&period=2026-03")  # warm the session
    cache.clear()
    with CaptureQueriesContext(connection) as month:
        client.get("/reports/complaints/?company=GD&period=2026-03")
    cache.clear()
    with CaptureQueriesContext(connection) as year:
        client.get("/reports/complaints/?company=GD&period=2026")
    report_queries = [
        q
        for q in month.captured_queries
        if "complaints_" in q["sql"] or "classification_" in q["sql"]
    ]
    # labels, headline, 6 breakdowns, departments, companies, breaches, trend,
    # notable cases: 13 whatever the number of complaints or companies
    assert len(report_queries) == 13, [q["sql"][:80] for q in report_queries]
    assert len(year.captured_queries) == len(month.captured_queries)


def test_a_second_view_of_the_same_report_is_served_from_the_cache(
    march, province_handler, city_handler, client_as
):
    client = client_as(province_handler)
    client.get("/reports/complaints/?company=GDGZ&period=2026-03")
    with CaptureQueriesContext(connection) as again:
        client.get("/reports/complaints/?company=GDGZ&period=2026-03")
    assert not [q for q in again.captured_queries if "complaints_" in q["sql"]]
    client.logout()
    # the city sees the same cases of GZ, but a different scope query: no sharing
    city = client_as(city_handler)
    with CaptureQueriesContext(connection) as other:
        city.get("/reports/complaints/?company=GDGZ&period=2026-03")
    assert [q for q in other.captured_queries if "complaints_" in q["sql"]]


def test_a_city_asking_for_the_province_report_gets_404(march, city_handler, client_as):
    response = client_as(city_handler).get("/reports/complaints/?company=GD")
    assert response.status_code == 404


def test_a_bad_period_is_a_400_with_a_message(march, province_handler, client_as):
    response = client_as(province_handler).get("/reports/complaints/?period=2026-13")
    assert response.status_code == 400
    assert "月份" in response.content.decode()


def test_scorecards_regulator_cases_and_index_pages_render(
    march, province_handler, client_as
):
    client = client_as(province_handler)
    for url in (
        "/reports/",
        "/reports/scorecards/?period=2026-03",
        "/reports/regulator/?period=2026-03",
        "/reports/cases/",
        "/reports/weights/",
        "/reports/jobs/",
    ):
        assert client.get(url).status_code == 200, url


def test_export_runs_as_a_job_and_the_file_downloads(
    march,
    province_handler,
    client_as,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(province_handler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/jobs/new/",
            {"kind": "complaint_report_xlsx", "company": "GD", "period": "2026-03"},
        )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b'data-status="done"' in page.content
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    fragment = client.get(f"/reports/jobs/{job_id}/", HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"job-progress" in fragment.content
    download = client.get(f"/reports/jobs/{job_id}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_someone_elses_job_is_not_found(
    march, province_handler, province_cs_head, client_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(province_handler)
    response = client.post(
        "/reports/jobs/new/",
        {"kind": "complaint_report_pdf", "company": "GD", "period": "2026-03"},
    )
    job_url = response["Location"]
    client.logout()
    other = client_as(province_cs_head)
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "download/").status_code == 404


def test_api_report_matches_the_page_and_hides_other_provinces(
    march, province_handler, outsider_in_another_province, client_as
):
    client = client_as(province_handler)
    body = client.get("/api/reports/complaints?company=GD&period=2026-03").json()
    assert body["headline"]["total"] == 6
    client.logout()
    outsider = client_as(outsider_in_another_province)
    assert outsider.get("/api/reports/complaints?company=GD").status_code == 404


def test_weights_page_saves_for_head_office_and_refuses_bad_input(
    march, head_office_handler, client_as
):
    client = client_as(head_office_handler)
    ok = client.post(
        "/reports/weights/",
        {
            "metric": "breaches",
            "weight": "12",
            "formula": "deduction",
            "points_per_unit": "4",
        },
    )
    assert ok.status_code == 302
    bad = client.post(
        "/reports/weights/",
        {
            "metric": "breaches",
            "weight": "12",
            "formula": "rate",
            "points_per_unit": "4",
        },
    )
    assert bad.status_code == 400 and "扣分" in bad.content.decode()


def test_figures_form_saves_and_the_ratio_appears(march, province_cs_head, client_as):
    client = client_as(province_cs_head)
    saved = client.post(
        "/reports/regulator/figures/",
        {
            "company": "GD",
            "period": "2026-03",
            "premium": "600000000",
            "policies": "1",
            "insured": "1",
        },
    )
    assert saved.status_code == 302
    page = client.get(saved["Location"]).content.decode()
    assert "1.0000" in page  # 6 complaints per ¥100m on ¥600m


def test_case_decide_page_approves(org, city_handler, city_cs_head, client_as):
    from kesu.reports.services.typical_cases import typical_case_nominate

    from .conftest import at, make_complaint

    complaint = make_complaint(org["gz"], at(2026, 3, 3), state="closed")
    case = typical_case_nominate(
        user=city_handler, complaint_id=complaint.pk, title="案例"
    )
    client = client_as(city_cs_head)
    assert client.get(f"/reports/cases/{case.pk}/").status_code == 200
    done = client.post(f"/reports/cases/{case.pk}/decide/", {"decision": "approve"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "approved"
