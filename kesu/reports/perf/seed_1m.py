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
from kesu.organisation.tests.factories import make_company
from kesu.organisation.models import Company
from kesu.complaints.models import Complainant

t = time.time()
ho = make_company("HO", "总公司")
for p in range(31):
    prov = make_company(f"P{p:02d}", f"省{p}", ho)
    for c in range(10):
        make_company(f"P{p:02d}C{c}", f"市{p}-{c}", prov)
print("companies", Company.objects.count(), time.time() - t)
cp = Complainant.objects.create(name="张三")
with connection.cursor() as cur:
    cur.execute("select id from organisation_company where level=3 order by id")
    cities = [r[0] for r in cur.fetchall()]
    cur.execute(
        "create temp table cities as select row_number() over (order by id) - 1 as i, id from organisation_company where level = 3"
    )
    n = len(cities)
    cur.execute(f"""
    insert into complaints_complaint (number, state, version, owning_company_id, registered_company_id,
      received_at, channel, source, sender_reference, relation, agent_name, agent_phone, agent_authority,
      policy_number, product_type, sales_channel, business_category, facts, demand, grade, group_size,
      representatives, escalated, complained_staff_names, preliminary_opinion, decline_ground, decline_reason,
      closure_authorised, due_provisional, extension_tier, paused_days, liability, responsible_link, cause,
      ruled_by_committee, satisfaction, legal_hold, created_at, updated_at, complainant_id, replied_at, breached_at)
    select 'P-' || g, (array['closed','archived','investigating','replied','declined','withdrawn'])[1 + g % 6], 1,
      c.id, c.id,
      timestamptz '2023-06-01 00:00+08' + (g * interval '1 second' * 95),
      (array['phone','95519','visit','letter','web','app'])[1 + g % 6],
      (array['direct','direct','direct','regulator','handed_down','media'])[1 + (g / 7) % 6], '', 'applicant', '', '', '',
      '', (array['ordinary_life','health','annuity','medical','accident'])[1 + g % 5], '',
      (array['sales','claims','surrender','policy_service'])[1 + g % 4], 'f', 'd',
      (array['ordinary','ordinary','ordinary','major'])[1 + g % 4], 1, 1, (g % 13 = 0), '', '', '', '', false, false, 0, 0,
      (array['liable','not_liable',''])[1 + g % 3], (array['sales','claims','counter'])[1 + g % 3],
      (array['mis_selling','surrender','claims','service','other'])[1 + (g / 3) % 5],
      false, (array['satisfied','fairly_satisfied','dissatisfied','unreachable',''])[1 + g % 5], false, now(), now(), {cp.id},
      case when g % 6 < 2 then timestamptz '2023-06-01 00:00+08' + (g * interval '1 second' * 95) + interval '10 days' end,
      case when g % 11 = 0 then timestamptz '2023-06-01 00:00+08' + (g * interval '1 second' * 95) + interval '16 days' end
    from generate_series(1, 1000000) g join cities c on c.i = g % {n}
    """)
    print("complaints", time.time() - t)
    cur.execute("""
    insert into complaints_investigation (complaint_id, department_id, status, instructions, dispatched_by_id,
      dispatched_at, due_date, due_provisional, finding, proposed_resolution, return_count, guidance)
    select cc.id, d.id, 'accepted', '', null, cc.received_at, (cc.received_at + interval '7 days')::date, false, '', '',
      (cc.id % 5 = 0)::int, ''
    from complaints_complaint cc join organisation_department d
      on d.company_id = cc.owning_company_id and d.kind = (array['claims','individual_sales','policy_service'])[1 + cc.id % 3]
    where cc.id % 2 = 0
    """) if False else None
    print("done", time.time() - t)
    cur.execute("analyze")
