#!/usr/bin/env python
"""Text search latency at scale (issue 8) — prints figures; it is not a test.

    uv run python bench/search.py [--database-url URL] [--user NAME]
                                  [--without-index] [WORD ...]

For each word: `/api/complaints/?q=WORD&limit=25` as a head-office handler
(or --user) through Django's test client in this process (warm; median and
max of --repeat requests, no concurrency), the SQL statements it ran, and
EXPLAIN (ANALYZE, BUFFERS) of its queries on the complaint table (the count
or the index's id list, then the page): execution time and scan nodes.
--without-index searches every word as a common one: the LIKE scan of
before the index (issue 8), plus the query that asks how common it is.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import setup_django  # noqa: E402  (sets BENCH_ENV and django.setup)

WORDS = [
    "人称",  # common: "投诉人称…" in half the cases
    "销售误导",  # 4 characters, one case in ten
    "费用287000元",  # rare: a few hundred cases
    "火灾",  # matches nothing
    "鑫",  # one character, one case in eighteen
    "龙",  # one character, matches nothing
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("words", nargs="*", default=WORDS)
    p.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/kesu_bench"
    )
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--user", help="username (default: the first head-office handler)")
    p.add_argument("--without-index", action="store_true", help=(
        "take every word as common: the LIKE scan of before the index "
        "(plus the frequency query)"))
    return p.parse_args()


def viewer(username: str | None):
    from kesu.accounts.models import User
    from kesu.accounts.roles import Role
    from kesu.organisation.models import Level

    if username:
        return User.objects.get(username=username)
    return (
        User.objects.filter(
            company__level=Level.HEAD_OFFICE, roles__role=Role.HANDLER, is_active=True
        )
        .order_by("id")
        .first()
    )


def explain(sql: str) -> tuple[float, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    ms = next(float(x.split()[2]) for x in lines if x.startswith("Execution Time"))
    scans = [
        x.strip().lstrip("-> ").split("  (")[0]
        for x in lines
        if "Scan" in x and "(" in x
    ]
    return ms, "; ".join(scans)


def measure(client, word: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/api/complaints/?q={quote(word)}&limit=25"
    client.get(path)  # warm-up
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    body = response.json()
    searches = [q["sql"] for q in ctx.captured_queries
                if 'FROM "complaints_complaint"' in q["sql"]]
    plans = [explain(sql) for sql in searches]
    return {
        "word": word,
        "median": statistics.median(times),
        "max": max(times),
        "queries": len(ctx.captured_queries),
        "count": f"{body['count']}{'+' if body['count_is_capped'] else ''}",
        "plans": plans,
    }


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from django.test import Client

    if args.without_index:
        from kesu.complaints import search

        search.COMMON = 0.0
    client = Client()
    client.force_login(viewer(args.user))
    print("| query | matches | request median ms | max ms | queries "
          "| 1st SQL ms | 2nd SQL ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    details = []
    for word in args.words:
        r = measure(client, word, args.repeat)
        first, second = (r["plans"] + [(0.0, "-")] * 2)[:2]
        print(f"| {r['word']} | {r['count']} | {r['median']:.0f} | {r['max']:.0f} "
              f"| {r['queries']} | {first[0]:.1f} | {second[0]:.1f} |")
        details.append((r["word"], first[1], second[1]))
    print()
    for word, first, second in details:
        print(f"{word}: 1st [{first}] 2nd [{second}]")


if __name__ == "__main__":
    main()
