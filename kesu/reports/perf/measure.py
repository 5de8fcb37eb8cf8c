# ruff: noqa: E501, E401, E702, E731, I001, E402, B023, E701, F541
"""Reports performance check at 1M complaints (issue 6.6), PostgreSQL only.
createdb h_reports_perf; DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_reports_perf
uv run python manage.py migrate
PYTHONPATH=. uv run python kesu/reports/perf/seed_1m.py
PYTHONPATH=. uv run python kesu/reports/perf/seed_1m_investigations.py
psql h_reports_perf -c "vacuum analyze"
PYTHONPATH=. uv run python kesu/reports/perf/measure.py 2026-03
"""

import os, sys, time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
import django

django.setup()
from django.db import connection, reset_queries
from django.conf import settings

settings.DEBUG = True
from kesu.accounts.models import User
from kesu.organisation.models import Company
from kesu.reports.access import report_scoped
from kesu.reports.periods import period_parse
from kesu.reports.selectors.complaint_report import complaint_report
from kesu.reports.selectors.scorecard import company_scorecards, department_scorecards
from kesu.reports.selectors.regulator import regulator_statistics
from kesu.reports.exports.complaint_report_xlsx import complaint_report_xlsx
from kesu.reports.exports.complaint_report_pdf import complaint_report_pdf

user = User.objects.get(username="ho_perf")
key = sys.argv[1] if len(sys.argv) > 1 else "2026-03"
for code in ["HO", "P05", "P05C3"]:
    company = Company.objects.get(code=code)
    scoped = report_scoped(user, company)
    p = period_parse(key)
    for name, fn in [
        ("report", lambda: complaint_report(scoped=scoped, company=company, period=p)),
        (
            "scorecards",
            lambda: company_scorecards(scoped=scoped, company=company, period=p),
        ),
        (
            "dept scorecards",
            lambda: department_scorecards(scoped=scoped, company=company, period=p),
        ),
        (
            "regulator",
            lambda: regulator_statistics(scoped=scoped, company=company, period=p),
        ),
    ]:
        reset_queries()
        t = time.perf_counter()
        r = fn()
        dt = time.perf_counter() - t
        slow = sorted(connection.queries, key=lambda q: -float(q["time"]))[:2]
        if code == "HO" and os.environ.get("SHOWSQL"):
            print("\n".join(q["sql"][:300] + " :: " + q["time"] for q in slow))
        print(
            f"{code} {key} {name}: {dt * 1000:.0f} ms, {len(connection.queries)} queries; slowest "
            + ", ".join(f"{float(q['time']) * 1000:.0f}ms" for q in slow)
        )
        if name == "report":
            rep = r
            print("   total", r.headline["total"])
    if code == "HO":
        t = time.perf_counter()
        complaint_report_xlsx(rep)
        print("   xlsx", round((time.perf_counter() - t) * 1000), "ms")
        t = time.perf_counter()
        complaint_report_pdf(rep)
        print("   pdf", round((time.perf_counter() - t) * 1000), "ms")
