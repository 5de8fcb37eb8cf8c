#!/usr/bin/env python
"""kesu benchmark (issue 8) — prints figures; it is not a test.

    uv run python bench/run.py                      # 1,000,000 complaints on PostgreSQL
    uv run python bench/run.py --complaints 10000   # a quick run

It loads N complaints (the synthetic generator) into --database-url (default:
a PostgreSQL database `kesu_bench` on 127.0.0.1), makes sure enough of them
are open for the sweep (--open-complaints), starts the production web server
(gunicorn, 2 workers, KESU_ENV=production) and drives each scenario with wrk
from a second process for a fixed time at 16 connections. It prints
requests/s, p50/p95/p99 latency and the SQL queries per request for each
scenario, next to a bare Django JSON view and a one-query view under the
same server (the framework's ceiling here), then times the deadline sweep
and a head-office monthly report. Any non-2xx answer stops the run with the
scenario's name and the response (exit status 1).
"""

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.batch import monthly_report, sweep  # noqa: E402
from bench.common import BENCH_ENV, ScenarioFailed  # noqa: E402
from bench.server import redis_flushed, run_wrk, start_server, stop_server  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--complaints", type=int, default=1_000_000)
    p.add_argument(
        "--open-complaints",
        type=int,
        default=None,
        help="at least this many open cases for the sweep (default: "
        "100,000, or a tenth of --complaints if that is less)",
    )
    p.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kesu_bench"
        ),
    )
    p.add_argument(
        "--load-workers", type=int, default=2, help="generator processes (PostgreSQL)"
    )
    p.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        help="the server's Redis (flushed first); '' for none",
    )
    p.add_argument("--only", default="", help="comma-separated scenario keys")
    p.add_argument("--load-only", action="store_true", help="load the data and stop")
    p.add_argument("--out", default=str(ROOT / "bench" / "out" / "results.json"))
    return p.parse_args()


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname=%s", (name,)
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ.update(
        BENCH_ENV, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="kesu.settings"
    )
    import django

    django.setup()


def _generate(count: int, workers: int, **options) -> float:
    from django.core.management import call_command
    from django.db import connection

    workers = workers if connection.vendor == "postgresql" and count > 20_000 else 1
    started = time.monotonic()
    call_command("generate_complaints", count, workers=workers, **options)
    return round(time.monotonic() - started, 1)


def vacuum() -> None:
    """What autovacuum does a while after a bulk load in production: the
    visibility map that index-only scans need (the dashboard's counts)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in (
            "complaints_complainant",
            "complaints_complaint",
            "complaints_investigation",
            "complaints_event",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def load(n: int, open_wanted: int, workers: int) -> dict:
    """N complaints in all, at least `open_wanted` of them open (recent
    cases are mostly open: a few thousand more over the last 15 days)."""
    from django.core.management import call_command

    from kesu.complaints.lifecycle import OPEN_STATES
    from kesu.complaints.models import Complaint, Event

    call_command("migrate", "--noinput", verbosity=0)
    if not Complaint.objects.exists():
        call_command("load_demo", verbosity=0)
    have = Complaint.objects.count()
    figures = {"generated": max(0, n - have), "load_seconds": 0.0}
    if have < n:
        figures["load_seconds"] = _generate(n - have, workers)
    open_now = Complaint.objects.filter(state__in=OPEN_STATES).count()
    if open_now < open_wanted:
        extra = int((open_wanted - open_now) / 0.85) + 1000
        figures["open_topup"] = extra
        figures["open_topup_seconds"] = _generate(extra, workers, days=15)
    vacuum()
    figures.update(
        complaints=Complaint.objects.count(),
        events=Event.objects.count(),
        open_complaints=Complaint.objects.filter(state__in=OPEN_STATES).count(),
    )
    return figures


def credentials() -> dict:
    """A head-office handler (sees every case: the widest scope), signed in
    (a session row the server reads) and with an API client token."""
    from django.test import Client

    from kesu.accounts.models import ApiClient, User
    from kesu.accounts.roles import Role
    from kesu.apiauth import token_issue
    from kesu.organisation.models import Level

    user = (
        User.objects.filter(
            company__level=Level.HEAD_OFFICE, roles__role=Role.HANDLER, is_active=True
        )
        .order_by("id")
        .first()
    )
    if user is None:
        raise SystemExit("no head-office handler: load_demo first")
    client = Client()
    client.force_login(user)
    api_client, _ = ApiClient.objects.get_or_create(
        name="bench",
        defaults={
            "company": user.company,
            "acting_user": user,
            "token_prefix": "",
            "token_hash": f"pending-{user.pk}",
        },
    )
    token = token_issue(client=api_client)
    return {
        "user": user,
        "cookie": f"sessionid={client.cookies['sessionid'].value}",
        "token": token,
        "client": client,
    }


def targets() -> dict:
    """The case, the deep-page cursor and the search word the scenarios use."""
    from kesu.complaints.api_list import _encode
    from kesu.complaints.models import Complaint

    listed = Complaint.objects.filter(state="investigating").order_by(
        "-received_at", "-id"
    )
    depth = min(50_000, listed.count() // 2)
    deep = listed[depth : depth + 1].first() or listed.first()
    sample = (
        Complaint.objects.filter(state="closed", events__isnull=False)
        .order_by("-id")
        .first()
    )
    word = "退保" if "退保" in (sample.facts + sample.demand) else sample.facts[2:4]
    return {
        "detail_id": sample.pk,
        "number": sample.number,
        "depth": depth,
        "deep_cursor": _encode([deep.received_at, deep.pk]),
        "word": word,
    }


def scenarios(t: dict) -> list[dict]:
    from urllib.parse import quote

    create = json.dumps(
        {
            "received_at": "2026-11-20T10:00:00+08:00",
            "channel": "phone",
            "complainant": {"name": "压测__N__", "phone": "13800000000"},
            "facts": "压测：业务员销售时夸大收益。",
            "demand": "退还保费。",
            "policy_number": "PB__N__",
            "product_type": "participating",
            "sales_channel": "individual",
            "business_category": "sales",
        },
        ensure_ascii=False,
    )
    listed = "/api/complaints/?state=investigating&limit=25"
    return [
        {"key": "bare", "name": "bare Django JSON view", "path": "/bench/bare"},
        {"key": "one", "name": "one-query view", "path": "/bench/one-query"},
        {
            "key": "detail",
            "name": "API complaint detail",
            "auth": "token",
            "path": f"/api/complaints/{t['detail_id']}",
        },
        {
            "key": "events",
            "name": "API events of the complaint",
            "auth": "token",
            "path": f"/api/complaints/{t['detail_id']}/events",
        },
        {
            "key": "list",
            "name": "API list, filtered, page 1",
            "auth": "token",
            "path": listed,
        },
        {
            "key": "deep",
            "name": f"API list, filtered, row {t['depth']:,}",
            "auth": "token",
            "path": f"{listed}&cursor={quote(t['deep_cursor'])}",
        },
        {
            "key": "search",
            "name": f"API text search '{t['word']}'",
            "auth": "token",
            "path": f"/api/complaints/?q={quote(t['word'])}&limit=25",
        },
        {
            "key": "create",
            "name": "API create complaint",
            "auth": "token",
            "method": "POST",
            "path": "/api/complaints/",
            "body": create,
        },
        {"key": "workbench", "name": "workbench (HTML)", "auth": "cookie", "path": "/"},
        {
            "key": "page",
            "name": "complaint page (HTML)",
            "auth": "cookie",
            "path": f"/complaints/{t['number']}/",
        },
        {
            "key": "dashboard",
            "name": "dashboard (HTML)",
            "auth": "cookie",
            "path": "/dashboard/",
        },
    ]


def query_counts(creds: dict, items: list[dict]) -> None:
    """SQL statements per request, counted in this process through Django's
    test client with the same user, token and paths."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for s in items:
        if s["path"].startswith("/bench"):
            s["queries"] = 0 if s["key"] == "bare" else 1
            continue
        # as wrk sends them: the token without a cookie, or the session cookie
        token = s.get("auth") == "token"
        client = Client() if token else creds["client"]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {creds['token']}"} if token else {}
        for attempt in ("warm-up", "counted"):  # the first also writes the session
            body = s.get("body", "").replace("__N__", attempt)
            with CaptureQueriesContext(connection) as ctx:
                if s.get("method") == "POST":
                    response = client.post(
                        s["path"], body, content_type="application/json", **headers
                    )
                else:
                    response = client.get(s["path"], **headers)
        if not 200 <= response.status_code < 300:
            raise ScenarioFailed(
                f"{s['name']}: {s['path']} answered "
                f"{response.status_code}: {response.content[:500]!r}"
            )
        s["queries"] = len(ctx.captured_queries)


def print_table(results: dict) -> None:
    print(f"\nkesu benchmark — {json.dumps(results['data'], ensure_ascii=False)}")
    print(
        f"{'scenario':38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'queries':>7}"
    )
    for s in results["scenarios"]:
        f = s["figures"]
        print(
            f"{s['name']:38} {f['rps']:>8} {f['p50_ms']:>8} {f['p95_ms']:>8} "
            f"{f['p99_ms']:>8} {f['errors']:>7} {s.get('queries', '-'):>7}"
        )
    print(
        f"\n{'CPU ms per request':38} {'gunicorn':>8} {'postgres':>8} {'wrk':>8} "
        f"{'machine':>8} {'busy':>6}"
    )
    for s in results["scenarios"]:
        cpu = s["figures"].get("cpu_ms_per_request")
        if cpu:
            print(
                f"{s['name']:38} {cpu['server']:>8} {cpu['database']:>8} "
                f"{cpu['load tool']:>8} {cpu['machine']:>8} "
                f"{s['figures']['machine_busy']:>6.0%}"
            )
    print(json.dumps(results["batch"], ensure_ascii=False, default=str))


def measure(args, creds: dict, items: list[dict]) -> None:
    redis_url = redis_flushed(args.redis_url) if args.redis_url else ""
    server = start_server(args.database_url, args.workers, redis_url)
    try:
        for s in items:
            print(f"  {s['name']} …", file=sys.stderr, flush=True)
            s["figures"] = run_wrk(
                s, creds, args.duration, args.connections, server.pid
            )
    finally:
        stop_server(server)


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    ensure_database(args.database_url)
    setup_django(args.database_url)
    wanted = args.open_complaints
    if wanted is None:
        wanted = min(100_000, args.complaints // 10)
    results = {"data": load(args.complaints, wanted, args.load_workers)}
    print(json.dumps(results["data"]), file=sys.stderr, flush=True)
    if args.load_only:
        return
    creds = credentials()
    items = scenarios(targets())
    if args.only:
        items = [s for s in items if s["key"] in args.only.split(",")]
    query_counts(creds, items)
    measure(args, creds, items)
    results["scenarios"] = [{k: v for k, v in s.items() if k != "body"} for s in items]
    results["batch"] = {**monthly_report(), **sweep(creds["user"])}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str)
    )
    print_table(results)
    failed = [s["name"] for s in items if s["figures"]["errors"]]
    if failed:
        raise ScenarioFailed(
            f"non-2xx answers or socket errors in: {', '.join(failed)}"
        )


if __name__ == "__main__":
    main()
