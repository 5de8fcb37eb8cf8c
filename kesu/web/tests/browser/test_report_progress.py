"""A report not yet counted (issue 6.5): the page answers at once with a
progress bar, htmx polls it, and the report appears when the background
count is done. The test plays the background runner itself, so it can look
at the page halfway through."""

import pytest

from kesu.accounts.tests.factories import PASSWORD
from kesu.reports import figures
from kesu.reports.services import figures as service
from kesu.reports.tests.conftest import codes, march  # noqa: F401 (fixtures)

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_not_yet_counted_shows_progress_then_appears(
    page,
    shot,
    march,  # noqa: F811
    province_handler,
    monkeypatch,
):
    queued: list[int] = []
    monkeypatch.setattr(service, "_dispatch", queued.append)  # the runner waits
    login(page, "gd_handler", PASSWORD)
    page.goto("/reports/complaints/?company=GD&period=2026-03")
    progress = page.locator("[data-testid=figures-progress]")
    progress.wait_for()
    assert progress.get_attribute("data-status") == "queued" and len(queued) == 1
    assert page.locator("[data-testid=headline]").count() == 0

    count = figures.figures_compute

    def halfway_then_count(kind, **kwargs):
        kwargs["progress"](40, "统计本期投诉")
        page.locator("[data-testid=figures-progress]", has_text="40%").wait_for()
        shot("30-report-progress")
        return count(kind, **kwargs)

    monkeypatch.setattr(figures, "figures_compute", halfway_then_count)
    service.stored_figures_compute(queued[0])  # the background runner

    headline = page.locator("[data-testid=headline]")
    headline.wait_for()  # the poll saw the figures and the page reloaded itself
    assert headline.locator(".counter .n").first.inner_text() == "6"
    assert march.c5.number in page.content()
    assert page.locator("[data-testid=figures-progress]").count() == 0
    shot("31-report-ready")
    assert not page.js_errors, page.js_errors
