"""The production web server under test (gunicorn) and the load tool that
drives it from a second process (wrk)."""

import json
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import BENCH_ENV, ROOT, ScenarioFailed

PORT = 8390
BASE = f"http://127.0.0.1:{PORT}"


def redis_flushed(url: str) -> str:
    """The bench's own Redis database, emptied: no cached figures or
    sessions from an earlier run. '' (no Redis) when it does not answer."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.RedisError as exc:
        print(f"no Redis at {url} ({exc}): caches per process", file=sys.stderr)
        return ""
    return url


def start_server(url: str, workers: int, redis_url: str = "") -> subprocess.Popen:
    env = dict(
        os.environ,
        **BENCH_ENV,
        KESU_ENV="production",
        DATABASE_URL=url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        KESU_BENCH="1",
        WEB_CONCURRENCY=str(workers),
        KESU_BIND=f"127.0.0.1:{PORT}",
        WEB_ACCESS_LOG="",
        LOG_LEVEL="WARNING",
        # production runs on Redis (cache, sessions, Celery's broker)
        REDIS_URL=redis_url,
        WEB_MAX_REQUESTS="0",  # no worker recycling in the middle of a scenario
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "kesu.wsgi",
            "-c",
            "deploy/gunicorn.conf.py",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(200):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        try:
            urllib.request.urlopen(f"{BASE}/readyz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit("gunicorn did not start")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _headers(s: dict, creds: dict) -> dict:
    headers = {"Accept-Language": "zh-hans"}
    if s.get("auth") == "cookie":
        headers["Cookie"] = creds["cookie"]
    if s.get("auth") == "token":
        headers["Authorization"] = f"Bearer {creds['token']}"
    if s.get("body"):
        headers["Content-Type"] = "application/json"
    return headers


def preflight(s: dict, creds: dict) -> None:
    """One request through the real server: anything but 2xx (a redirect to
    the login page included) fails the run before wrk hides it in a count."""
    body = s.get("body", "").replace("__N__", "pre").encode() or None
    request = urllib.request.Request(
        BASE + s["path"],
        data=body,
        method=s.get("method", "GET"),
        headers=_headers(s, creds),
    )
    try:
        response = urllib.request.build_opener(_NoRedirect).open(request, timeout=60)
        status, content = response.status, response.read(500)
    except urllib.error.HTTPError as exc:
        status, content = exc.code, exc.read(500)
    if not 200 <= status < 300:
        raise ScenarioFailed(
            f"{s['name']}: {s['path']} answered {status} through gunicorn: {content!r}"
        )


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: str) -> float:
    """user + system CPU of a process (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def cpu_split(server_pgid: int) -> dict:
    """CPU seconds used so far by each process of the web server (its process
    group) and of PostgreSQL (on this machine): {pid: (side, seconds)}, to
    tell where a scenario's time goes."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            pgid = os.getpgid(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
        if pgid == server_pgid:
            found[entry.name] = ("server", _cpu_seconds(entry.name))
        elif comm == "postgres":
            found[entry.name] = ("database", _cpu_seconds(entry.name))
    return found


def _machine_ticks() -> tuple[int, int]:
    """(busy, idle) clock ticks of all cores since boot (/proc/stat)."""
    first = Path("/proc/stat").read_text().split("\n", 1)[0]
    fields = [int(x) for x in first.split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields[:8]) - idle, idle


def _cpu_used(before: dict, after: dict) -> dict:
    """Seconds per side between two cpu_split()s: a process that ended in
    between is left out, one that started is counted from its start."""
    used = {"server": 0.0, "database": 0.0}
    for pid, (side, seconds) in after.items():
        was = before.get(pid)
        used[side] += seconds - (was[1] if was and was[0] == side else 0.0)
    return used


def run_wrk(
    s: dict, creds: dict, duration: int, connections: int, server_pgid: int = 0
) -> dict:
    preflight(s, creds)
    before = cpu_split(server_pgid) if server_pgid else None
    load_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ticks_before = _machine_ticks()
    env = dict(
        os.environ,
        BENCH_METHOD=s.get("method", "GET"),
        BENCH_BODY=s.get("body", ""),
        BENCH_COOKIE=creds["cookie"] if s.get("auth") == "cookie" else "",
        BENCH_TOKEN=creds["token"] if s.get("auth") == "token" else "",
    )
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            BASE + s["path"],
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    if before is not None and figures["requests"]:
        # CPU ms per request: gunicorn, PostgreSQL, wrk itself (the machine's
        # 2 cores are shared by the three)
        after = cpu_split(server_pgid)
        load_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = _cpu_used(before, after)
        used["load tool"] = (load_after.ru_utime + load_after.ru_stime) - (
            load_before.ru_utime + load_before.ru_stime
        )
        ticks = zip(_machine_ticks(), ticks_before, strict=True)
        busy, idle = (a - b for a, b in ticks)
        used["machine"] = busy / _TICK  # every process and the kernel
        figures["cpu_ms_per_request"] = {
            k: round(v * 1000 / figures["requests"], 2) for k, v in used.items()
        }
        figures["machine_busy"] = round(busy / max(busy + idle, 1), 3)
    return figures
