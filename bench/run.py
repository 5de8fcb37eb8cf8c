#!/usr/bin/env python
"""kesu benchmark (issue 8) — prints figures; it is not a test.

    uv run python bench/run.py                      # 1,000,000 complaints on PostgreSQL
    uv run python bench/run.py --complaints 10000   # a quick run

It loads N complaints (the synthetic generator) into DATABASE_URL (default: a
PostgreSQL database `kesu_bench` on 127.0.0.1), starts the production web
server (gunicorn, 2 workers), and drives each scenario with wrk from a second
process for a fixed time at 16 connections. It prints requests/s, p50/p95/p99
latency and the SQL queries per request for each scenario, next to a bare
Django JSON view and a one-query view under the same server (the framework's
ceiling here), plus the deadline sweep and a head-office monthly report.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8390
BASE = f"http://127.0.0.1:{PORT}"
SECRET = "bench-" + "k" * 60


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--complaints", type=int, default=1_000_000)
    p.add_argument("--database-url",
                   default=os.environ.get("BENCH_DATABASE_URL",
                                          "postgres://postgres@127.0.0.1:5432/kesu_bench"))
    p.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", default=str(ROOT / "bench" / "out" / "results.json"))
    return p.parse_args()


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="kesu.settings")
    import django

    django.setup()


def load(n: int) -> dict:
    from django.core.management import call_command

    from kesu.complaints.models import Complaint, Event

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo", verbosity=0)
    have = Complaint.objects.count()
    started = time.monotonic()
    if have < n:
        call_command("generate_complaints", n - have)
    return {"complaints": Complaint.objects.count(), "events": Event.objects.count(),
            "generated": max(0, n - have), "load_seconds": round(time.monotonic() - started, 1)}


def credentials() -> dict:
    """A head-office handler's session cookie and an API client token."""
    from django.test import Client

    from kesu.accounts.models import ApiClient, User
    from kesu.accounts.roles import Role
    from kesu.apiauth import token_issue
    from kesu.organisation.models import Level

    user = (User.objects.filter(company__level=Level.HEAD_OFFICE, roles__role=Role.HANDLER,
                                is_active=True).order_by("id").first())
    password = os.environ.get("BENCH_PASSWORD", "Kesu-Demo-2026!")
    client = Client()
    assert client.login(username=user.username, password=password), "demo login failed"
    api_client, _ = ApiClient.objects.get_or_create(
        name="bench", defaults={"company": user.company, "acting_user": user,
                                "token_prefix": "", "token_hash": f"pending-{user.pk}"})
    token = token_issue(client=api_client)
    return {"user": user, "cookie": f"sessionid={client.cookies['sessionid'].value}",
            "token": token, "client": client}


def targets(user) -> dict:
    from kesu.complaints.api_list import _encode
    from kesu.complaints.models import Complaint

    newest = Complaint.objects.order_by("-received_at", "-id")
    deep = newest[50_000:50_001].first() or newest.last()
    sample = Complaint.objects.filter(events__isnull=False).order_by("-id").first()
    word = (sample.facts or "退保")[:2]
    return {"detail_id": sample.pk, "number": sample.number,
            "deep_cursor": _encode([deep.received_at, deep.pk]), "word": word}


def scenarios(t: dict) -> list[dict]:
    from urllib.parse import quote

    create = json.dumps({
        "received_at": "2026-11-20T10:00:00+08:00", "channel": "phone",
        "complainant": {"name": "压测__N__", "phone": "13800000000"},
        "facts": "压测：业务员销售时夸大收益。", "demand": "退还保费。",
        "policy_number": "PB__N__", "product_type": "participating",
        "sales_channel": "individual", "business_category": "sales"}, ensure_ascii=False)
    return [
        {"name": "bare Django JSON view", "path": "/bench/bare", "auth": None},
        {"name": "one-query view", "path": "/bench/one-query", "auth": None},
        {"name": "API complaint detail + events", "auth": "token",
         "path": f"/api/complaints/{t['detail_id']}"},
        {"name": "API events of a complaint", "auth": "token",
         "path": f"/api/complaints/{t['detail_id']}/events"},
        {"name": "API list, filtered, first page", "auth": "token",
         "path": "/api/complaints/?state=investigating&limit=25"},
        {"name": "API list, deep page", "auth": "token",
         "path": f"/api/complaints/?limit=25&cursor={quote(t['deep_cursor'])}"},
        {"name": "API text search", "auth": "token",
         "path": f"/api/complaints/?q={quote(t['word'])}&limit=25"},
        {"name": "API create complaint", "auth": "token", "method": "POST",
         "path": "/api/complaints/", "body": create},
        {"name": "workbench (HTML)", "auth": "cookie", "path": "/"},
        {"name": "complaint page (HTML)", "auth": "cookie",
         "path": f"/complaints/{t['number']}/"},
        {"name": "dashboard (HTML)", "auth": "cookie", "path": "/dashboard/"},
    ]


def query_counts(client, items: list[dict]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for s in items:
        if s.get("method", "GET") != "GET" or s["path"].startswith("/bench"):
            continue
        headers = {"HTTP_AUTHORIZATION": ""} if s["auth"] == "cookie" else {}
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(s["path"], **headers)
        s["queries"] = len(ctx.captured_queries)
        s["status"] = response.status_code


def start_server(url: str, workers: int) -> subprocess.Popen:
    env = dict(os.environ, KESU_ENV="production", SECRET_KEY=SECRET, DATABASE_URL=url,
               ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0",
               KESU_BENCH="1", WEB_CONCURRENCY=str(workers), KESU_BIND=f"127.0.0.1:{PORT}",
               WEB_ACCESS_LOG="", LOG_LEVEL="WARNING", KESU_RATE_LIMITS="off")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "kesu.wsgi",
                             "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env,
                            start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def run_wrk(s: dict, creds: dict, duration: int, connections: int) -> dict:
    env = dict(os.environ, BENCH_METHOD=s.get("method", "GET"), BENCH_BODY=s.get("body", ""),
               BENCH_COOKIE=creds["cookie"] if s["auth"] == "cookie" else "",
               BENCH_TOKEN=creds["token"] if s["auth"] == "token" else "")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
                          "-s", str(ROOT / "bench" / "wrk.lua"), BASE + s["path"]],
                         env=env, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


def timed(fn) -> float:
    started = time.monotonic()
    fn()
    return round(time.monotonic() - started, 2)


def sweep_and_report(user) -> dict:
    from django.utils import timezone

    from kesu.complaints.lifecycle import OPEN_STATES
    from kesu.complaints.models import Complaint
    from kesu.complaints.services.sweep import deadline_sweep

    open_cases = Complaint.objects.filter(state__in=OPEN_STATES).count()
    figures = {"open_complaints": open_cases, "sweep_seconds": timed(deadline_sweep)}
    from django.test import Client

    client = Client()
    client.force_login(user)
    month = timezone.localdate().replace(day=1)
    path = f"/reports/complaints/?period=month&start={month:%Y-%m-%d}"
    figures["monthly_report_seconds"] = timed(lambda: client.get(path))
    return figures


def print_table(results: dict) -> None:
    print(f"\nkesu benchmark — {results['data']}")
    print(f"{'scenario':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7} {'queries':>7}")
    for s in results["scenarios"]:
        f = s["figures"]
        print(f"{s['name']:34} {f['rps']:>8} {f['p50_ms']:>8} {f['p95_ms']:>8} "
              f"{f['p99_ms']:>8} {f['errors']:>7} {s.get('queries', '-'):>7}")
    print(json.dumps(results["batch"], ensure_ascii=False))


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    ensure_database(args.database_url)
    setup_django(args.database_url)
    results = {"data": load(args.complaints)}
    creds = credentials()
    items = scenarios(targets(creds["user"]))
    query_counts(creds["client"], items)
    server = start_server(args.database_url, args.workers)
    try:
        for s in items:
            s["figures"] = run_wrk(s, creds, args.duration, args.connections)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    results["scenarios"] = [{k: v for k, v in s.items() if k != "body"} for s in items]
    results["batch"] = sweep_and_report(creds["user"])
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    print_table(results)


if __name__ == "__main__":
    main()
