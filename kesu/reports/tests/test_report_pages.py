"""One end-to-end test per page (STYLE.md), query counts pinned, and the
out-of-scope answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(django_capture_on_commit_callbacks):
    """Open a report page: the first view starts the counting (run here at
    once, as the background runner would), the second shows the figures."""

    def view(client, url):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url)
        return client.get(url)

    return view


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_province_report_page_shows_figures_and_inline_svg_charts(
    march, province_handler, client_as, opened
):
    response = opened(
        client_as(province_handler), "/reports/complaints/?company=GD&period=2026-03"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 8  # trend, Pareto, six breakdowns, companies
    assert "投诉原因帕累托图" in html and march.c5.number in html
    assert "<script" not in html.split("<main>")[1]  # charts need no script


def test_a_report_not_yet_counted_shows_progress_then_the_report(
    march, province_handler, client_as, django_capture_on_commit_callbacks
):
    client = client_as(province_handler)
    url = "/reports/complaints/?company=GD&period=2026-03"
    with django_capture_on_commit_callbacks() as started:
        first = client.get(url)
    assert first.status_code == 200 and len(started) == 1  # counted after the answer
    assert b'data-testid="figures-progress"' in first.content
    assert b"hx-get" in first.content and b"<svg" not in first.content
    poll = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in poll.content and b'data-status="queued"' in poll.content
    started[0]()  # the background runner counts
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"  # the page reloads itself
    page = client.get(url).content.decode()
    assert "统计于" in page and march.c5.number in page


def test_opening_a_stored_report_counts_nothing(
    march, province_handler, client_as, opened
):
    client = client_as(province_handler)
    url = "/reports/complaints/?company=GD&period=2026-03"
    opened(client, url)
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    counting = [
        q["sql"][:80]
        for q in again.captured_queries
        if "COUNT(" in q["sql"].upper() and "complaints_" in q["sql"]
    ]
    assert not counting, counting


def test_counting_a_report_takes_a_fixed_number_of_queries(march, province_handler):
    from kesu.reports.access import report_company_for, report_scoped
    from kesu.reports.periods import period_parse
    from kesu.reports.selectors.complaint_report import complaint_report

    company = report_company_for(province_handler, "GD")
    scoped = report_scoped(province_handler, company)
    counted = {}
    for key in ("2026-03", "2026"):
        with CaptureQueriesContext(connection) as queries:
            complaint_report(scoped=scoped, company=company, period=period_parse(key))
        counted[key] = len(
            [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
        )
    # labels, the period's counts (on PostgreSQL one GROUPING SETS query and
    # its SET LOCAL jit; one per dimension and one per company elsewhere),
    # company paths, trend, departments, lower companies, breaches, notable
    # cases: fixed whatever the number of complaints or companies
    grouped = 2 if connection.vendor == "postgresql" else 7
    assert counted == {"2026-03": 7 + grouped, "2026": 7 + grouped}


def test_the_recount_button_counts_again(
    march, province_handler, client_as, opened, django_capture_on_commit_callbacks
):
    client = client_as(province_handler)
    opened(client, "/reports/complaints/?company=GD&period=2026-03")
    with django_capture_on_commit_callbacks() as started:
        response = client.post(
            "/reports/figures/recount/",
            {"kind": "complaint_report", "company": "GD", "period": "2026-03"},
        )
    assert response.status_code == 302 and len(started) == 1
    assert response["Location"] == "/reports/complaints/?company=GD&period=2026-03"
    assert b"figures-progress" in client.get(response["Location"]).content
    bad = client.post("/reports/figures/recount/", {"kind": "x", "period": "2026"})
    assert bad.status_code == 400


def test_a_city_asking_for_the_province_report_gets_404(march, city_handler, client_as):
    response = client_as(city_handler).get("/reports/complaints/?company=GD")
    assert response.status_code == 404


def test_a_bad_period_is_a_400_with_a_message(march, province_handler, client_as):
    response = client_as(province_handler).get("/reports/complaints/?period=2026-13")
    assert response.status_code == 400
    assert "月份" in response.content.decode()


def test_scorecards_regulator_cases_and_index_pages_render(
    march, province_handler, client_as, opened
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
        response = opened(client, url)
        assert response.status_code == 200, url
        assert b"figures-progress" not in response.content, url


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
    march,
    province_handler,
    outsider_in_another_province,
    client_as,
    django_capture_on_commit_callbacks,
):
    client = client_as(province_handler)
    url = "/api/reports/complaints?company=GD&period=2026-03"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202  # counted in the background
    body = client.get(url).json()
    assert body["headline"]["total"] == 6 and body["computed_at"]
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


def test_figures_form_saves_and_the_ratio_appears(
    march, province_cs_head, client_as, opened
):
    client = client_as(province_cs_head)
    opened(client, "/reports/regulator/?company=GD&period=2026-03")
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
    # the stored counts are read with the figures entered now: no recount
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


def test_saving_scorecards_never_counts_in_the_request(
    march, province_cs_head, client_as, django_capture_on_commit_callbacks
):
    client = client_as(province_cs_head)
    url = "/reports/scorecards/snapshot/?company=GD&period=2026-03"
    with django_capture_on_commit_callbacks() as started:
        first = client.post(url)
    assert first.status_code == 302 and len(started) == 1
    assert b"figures-progress" in client.get(first["Location"]).content
    started[0]()  # the background count
    saved = client.post(url)
    page = client.get(saved["Location"]).content.decode()
    assert "已保存" in page and "figures-progress" not in page
