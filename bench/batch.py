"""The batch figures of a run: the deadline sweep and a monthly report."""

import time

from bench.common import ScenarioFailed


def timed(fn) -> tuple[float, object]:
    started = time.monotonic()
    value = fn()
    return round(time.monotonic() - started, 2), value


def sweep(user) -> dict:
    """The deadline sweep twice: the first run records the backlog of
    breaches of a fresh load, the second is the steady state (every 5 min)."""
    from dataclasses import asdict

    from kesu.complaints.lifecycle import OPEN_STATES
    from kesu.complaints.models import Complaint
    from kesu.complaints.services.sweep import deadline_sweep

    figures = {
        "open_complaints": Complaint.objects.filter(state__in=OPEN_STATES).count()
    }
    for run in ("first", "second"):
        seconds, result = timed(deadline_sweep)
        figures[f"sweep_{run}_seconds"] = seconds
        figures[f"sweep_{run}_result"] = asdict(result) if result else None
    return figures


def monthly_report() -> dict:
    """The head-office complaint report of last month: the counting itself
    (what the background job runs; issue 8: < 2 s), then the page as its
    manager opens it — issue 6.5: the page never counts in the request, it
    answers with progress while the figures are counted, then from them."""
    from django.test import Client

    from kesu.accounts.models import User
    from kesu.accounts.roles import Role
    from kesu.organisation.models import Level
    from kesu.reports.access import report_company_for, report_scoped
    from kesu.reports.periods import period_parse
    from kesu.reports.selectors.complaint_report import complaint_report
    from kesu.reports.views.report import default_period_key

    viewer = (
        User.objects.filter(
            company__level=Level.HEAD_OFFICE,
            is_active=True,
            roles__role__in=[Role.MANAGEMENT, Role.CS_HEAD],
        )
        .order_by("id")
        .first()
    )
    company = report_company_for(viewer, None)
    period = period_parse(default_period_key())
    scoped = report_scoped(viewer, company)
    # three counts from scratch (the selector keeps nothing; the first one
    # in a fresh process also warms its caches): all three and the median
    def count():
        return complaint_report(scoped=scoped, company=company, period=period)

    runs = [timed(count)[0] for _ in range(3)]
    seconds = sorted(runs)[1]
    client = Client()
    client.force_login(viewer)
    path = f"/reports/complaints/?period={period.key}"
    page, response = timed(lambda: client.get(path))
    if response.status_code != 200:
        raise ScenarioFailed(f"monthly report {path} answered {response.status_code}")
    return {
        "report_path": path,
        "report_user": viewer.username,
        "monthly_report_seconds": seconds,  # median of three
        "monthly_report_runs_seconds": runs,
        "monthly_report_page_seconds": page,
    }
