# ruff: noqa: E402
"""The complaint report at a million complaints (issue 8), PostgreSQL only.

Counting (what the background runner does), for head office's first
management / customer-service head user, as bench/run.py picks the viewer:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench \
    PYTHONPATH=. uv run python kesu/reports/perf/report_at_1m.py count 2026-10 HO 3

The page (answers at once; figures ready after; stored page), with the
thread runner; deletes the stored figures before and after (the bench's own
environment: KESU_FIELD_KEYS / KESU_BLIND_INDEX_KEY as in bench/run.py):
    ... report_at_1m.py page "/reports/complaints/?period=2026-10" ..."""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
import django

django.setup()
from django.conf import settings
from django.db import connection, reset_queries

from kesu.accounts.models import User
from kesu.accounts.roles import Role
from kesu.organisation.models import Level
from kesu.reports.access import report_company_for, report_scoped
from kesu.reports.models import StoredFigures
from kesu.reports.periods import period_parse
from kesu.reports.selectors.complaint_report import complaint_report

viewer = (
    User.objects.filter(
        company__level=Level.HEAD_OFFICE,
        is_active=True,
        roles__role__in=[Role.MANAGEMENT, Role.CS_HEAD],
    )
    .order_by("id")
    .first()
)


def count(key: str, code: str, repeat: str) -> None:
    settings.DEBUG = True  # to list the queries
    company = report_company_for(viewer, code)
    times = []
    for _ in range(int(repeat)):
        reset_queries()
        started = time.perf_counter()
        report = complaint_report(
            scoped=report_scoped(viewer, company),
            company=company,
            period=period_parse(key),
        )
        times.append(time.perf_counter() - started)
    print(
        f"{code} {key}: " + " ".join(f"{t:.2f}" for t in times) + " s;",
        f"total {report.headline['total']}; load {os.getloadavg()[0]:.1f}",
    )
    for q in sorted(connection.queries, key=lambda q: -float(q["time"]))[:4]:
        print(f"  {float(q['time']) * 1000:6.0f} ms  {q['sql'][:100]}")


def page(*paths: str) -> None:
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.KESU_REPORT_JOB_RUNNER = "thread"
    client = Client()
    client.force_login(viewer)
    for path in paths:
        StoredFigures.objects.all().delete()
        started = time.perf_counter()
        assert b"figures-progress" in client.get(path).content
        answer = time.perf_counter() - started
        while not client.get(path, HTTP_HX_REQUEST="true").get("HX-Refresh"):
            time.sleep(0.05)
        ready = time.perf_counter() - started
        started = time.perf_counter()
        assert b"figures-progress" not in client.get(path).content
        stored = time.perf_counter() - started
        print(
            f"{path}: answer {answer:.2f} s, figures ready after {ready:.2f} s,",
            f"stored page {stored:.2f} s; load {os.getloadavg()[0]:.1f}",
        )
    StoredFigures.objects.all().delete()


if __name__ == "__main__":
    {"count": count, "page": page}[sys.argv[1]](*sys.argv[2:])
