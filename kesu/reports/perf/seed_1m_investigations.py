# ruff: noqa: E501, E401, E702, E731, I001, E402, B023, E701, F541
"""Reports performance check at 1M complaints (issue 6.6), PostgreSQL only.
createdb h_reports_perf; DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_reports_perf
uv run python manage.py migrate
PYTHONPATH=. uv run python kesu/reports/perf/seed_1m.py
PYTHONPATH=. uv run python kesu/reports/perf/seed_1m_investigations.py
psql h_reports_perf -c "vacuum analyze"
PYTHONPATH=. uv run python kesu/reports/perf/measure.py 2026-03
"""

import os, time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
import django

django.setup()
from django.db import connection
from kesu.accounts.tests.factories import make_user
from kesu.accounts.roles import Role
from kesu.organisation.models import Company

t = time.time()
u = make_user("ho_perf", Company.objects.get(code="HO"), [Role.HANDLER, Role.CS_HEAD])
with connection.cursor() as cur:
    cur.execute(f"""
    insert into complaints_investigation (complaint_id, department_id, status, instructions, dispatched_by_id,
      dispatched_at, due_date, due_provisional, finding, proposed_resolution, return_count, guidance)
    select cc.id, d.id, 'accepted', '', {u.id}, cc.received_at, (cc.received_at + interval '7 days')::date, false, '', '',
      (cc.id % 5 = 0)::int, ''
    from complaints_complaint cc join organisation_department d
      on d.company_id = cc.owning_company_id and d.kind = (array['claims','individual_sales','policy_service'])[1 + (cc.id % 3)::int]
    where cc.id % 2 = 0
    """)
    print("investigations", cur.rowcount, time.time() - t)
    cur.execute(f"""
    insert into complaints_breach (complaint_id, company_id, kind, due_date, recorded_at)
    select id, owning_company_id, 'decision', (breached_at - interval '1 day')::date, breached_at
    from complaints_complaint where breached_at is not null
    """)
    print("breaches", cur.rowcount, time.time() - t)
    cur.execute("analyze")
