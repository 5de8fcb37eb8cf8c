#!/usr/bin/env python
"""Single-request cost of the read path (issue 8) — prints figures; not a test.

    uv run python bench/single.py                 # kesu_bench, 30 rounds
    uv run python bench/single.py --profile detail  # cProfile of one page

One process, Django's test client, production settings (DEBUG off, the
bench's secrets), the same user, pages and cases as bench/run.py: a
head-office handler, a token for the API and a session for HTML. For each
page: median and 90th-percentile wall time, the median and least CPU time
of this process (Python: middleware, ORM, serialization, templates; the
least is the steadier figure on a shared machine) and the SQL statements
per request. Everything it writes (the API client, the session)
is rolled back at the end: the database is left as it was.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BENCH_ENV  # noqa: E402

PAGES = (
    "bare", "one", "detail", "events", "list", "deep", "search", "create",
    "workbench", "page", "dashboard",
)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kesu_bench"
        ),
    )
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--only", default=",".join(PAGES))
    p.add_argument("--profile", default="", help="one page key: cProfile 50 requests")
    p.add_argument("--sort", default="cumulative", help="pstats order")
    return p.parse_args()


def setup(url: str) -> None:
    os.environ.update(
        BENCH_ENV,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="kesu.settings",
        KESU_ENV="production",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        REDIS_URL="",
        KESU_BENCH="1",  # the bare and one-query views: the framework's floor
    )
    import django
    from django.core.management import call_command

    django.setup()
    # production serves hashed static names from the manifest
    call_command("collectstatic", interactive=False, verbosity=0)


def clients():
    """A token client (no cookie, as wrk sends it) and a session client."""
    from django.test import Client

    from bench.run import credentials

    creds = credentials()
    token = Client(HTTP_AUTHORIZATION=f"Bearer {creds['token']}")
    return {"token": token, "cookie": creds["client"]}, creds["user"]


def pages(t: dict) -> dict:
    from urllib.parse import quote

    listed = "/api/complaints/?state=investigating&limit=25"
    return {
        "bare": ("token", "/bench/bare"),
        "one": ("token", "/bench/one-query"),
        "detail": ("token", f"/api/complaints/{t['detail_id']}"),
        "events": ("token", f"/api/complaints/{t['detail_id']}/events"),
        "list": ("token", listed),
        "deep": ("token", f"{listed}&cursor={quote(t['deep_cursor'])}"),
        "search": ("token", f"/api/complaints/?q={quote(t['word'])}&limit=25"),
        "create": ("token", "/api/complaints/"),  # POSTed: see measure()
        "workbench": ("cookie", "/"),
        "page": ("cookie", f"/complaints/{t['number']}/"),
        "dashboard": ("cookie", "/dashboard/"),
    }


def _caller(client, path: str):
    """A GET of `path`, or, for creation, a POST of the bench's new case (a
    fresh policy number each time, so no repeat-complaint warning)."""
    if path != "/api/complaints/":
        return lambda: client.get(path)
    from bench.run import scenarios

    body = next(s["body"] for s in scenarios(_targets) if s["key"] == "create")
    n = iter(range(10**9))
    return lambda: client.post(
        path, body.replace("__N__", f"single{next(n)}"), content_type="application/json"
    )


_targets: dict = {}


def measure(client, path: str, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = _caller(client, path)
    for _ in range(3):  # warm-up (the first also writes the session, the token)
        response = call()
        assert response.status_code in (200, 201), (path, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        call()
    sql = [q["sql"] for q in ctx.captured_queries]  # before the next request clears it
    walls, cpus = [], []
    for _ in range(rounds):
        w, c = time.perf_counter(), time.process_time()
        call()
        cpus.append((time.process_time() - c) * 1000)
        walls.append((time.perf_counter() - w) * 1000)
    walls.sort()
    return {
        "ms": round(statistics.median(walls), 1),
        "p90": round(walls[int(len(walls) * 0.9) - 1], 1),
        "cpu": round(statistics.median(cpus), 1),
        "cpu_min": round(min(cpus), 1),
        "queries": len(sql),
        "sql": sql,
        "bytes": len(response.content),
    }


def profile(client, path: str, sort: str) -> None:
    import cProfile
    import pstats

    call = _caller(client, path)
    for _ in range(3):
        call()
    profiler = cProfile.Profile(time.process_time)  # CPU: steady when shared
    profiler.enable()
    for _ in range(50):
        call()
    profiler.disable()
    pstats.Stats(profiler).sort_stats(sort).print_stats(60)


def main() -> None:
    args = parse_args()
    setup(args.database_url)
    from django.db import transaction

    from bench.run import targets

    with transaction.atomic():
        by_auth, user = clients()
        t = targets()
        _targets.update(t)
        wanted = pages(t)
        print(
            f"user {user.username}; case {t['number']} (id {t['detail_id']}); "
            f"deep page at row {t['depth']:,}"
        )
        if args.profile:
            auth, path = wanted[args.profile]
            profile(by_auth[auth], path, args.sort)
        else:
            print(
                f"{'page':8} {'ms':>7} {'p90 ms':>7} {'cpu ms':>7} {'cpu min':>7} "
                f"{'queries':>7} {'bytes':>7}"
            )
            for key in args.only.split(","):
                auth, path = wanted[key]
                r = measure(by_auth[auth], path, args.rounds)
                print(
                    f"{key:8} {r['ms']:>7} {r['p90']:>7} {r['cpu']:>7} "
                    f"{r['cpu_min']:>7} {r['queries']:>7} {r['bytes']:>7}"
                )
                if os.environ.get("SHOW_SQL"):
                    for sql in r["sql"]:
                        print("    ", sql[:300])
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
