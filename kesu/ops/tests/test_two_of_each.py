"""Issue 8 §1: two web processes and two Celery workers sharing one
PostgreSQL database and one Redis behave as one system.

The processes are the production ones (gunicorn with deploy/gunicorn.conf.py,
`celery -A kesu worker`, KESU_ENV=production) started against the test
database, which is why every test here commits its data
(`transaction=True`). They talk to Redis DB 7 on a queue of their own, so
other test runs on the same Redis are not disturbed. Skipped unless the
test database is PostgreSQL and Redis answers on 127.0.0.1:6379."""

import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.apiauth import api_client_create
from kesu.complaints.models import Breach, Complaint, Event
from kesu.complaints.services.sweep import BREACHED
from kesu.notifications.models import Outbox
from kesu.organisation.tests.factories import department

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/7"
API_RATE = 60  # requests per minute per client, counted in the shared Redis
STARTUP_SECONDS = 90  # a loaded 2-core machine starts four Django processes slowly


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL"),
    pytest.mark.skipif(
        not ON_POSTGRES or not _redis_answers(), reason="needs Redis on 127.0.0.1:6379"
    ),
    # committed data the processes can see; the code tables loaded by
    # migrations come back before each test (root conftest: _reference_data)
    pytest.mark.django_db(transaction=True),
]


def _b64_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    ports: list[int]
    queue: str
    logs: list[Path] = field(default_factory=list)
    procs: list[subprocess.Popen] = field(default_factory=list)

    def worker_logs(self) -> list[str]:
        return [p.read_text(errors="replace") for p in self.logs if "worker" in p.name]


def _environment(tmp: Path, keys: dict) -> dict:
    db = connection.settings_dict
    url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return dict(
        os.environ,
        **keys,
        KESU_ENV="production",
        DATABASE_URL=url,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        KESU_API_RATE=f"{API_RATE}/60",
        KESU_RATE_LIMITS="on",
        WEB_CONCURRENCY="1",
        WEB_ACCESS_LOG="",
        LOG_LEVEL="INFO",
        LOG_FORMAT="json",
        KESU_VAR_DIR=str(tmp),
        KESU_MEDIA_ROOT=str(tmp / "media"),
    )


def _start(cluster: Cluster, name: str, cmd: list[str], env: dict, tmp: Path) -> None:
    log = tmp / f"{name}.log"
    cluster.logs.append(log)
    with log.open("wb") as out:
        cluster.procs.append(
            subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )


def _wait_until_ready(cluster: Cluster) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    pending = set(cluster.ports)
    while time.monotonic() < deadline:
        for proc, log in zip(cluster.procs, cluster.logs, strict=True):
            if proc.poll() is not None:
                raise AssertionError(f"{log.name} exited:\n{log.read_text()[-3000:]}")
        for port in list(pending):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
                pending.discard(port)
            except OSError:
                pass
        workers_ready = all(" ready." in text for text in cluster.worker_logs())
        if not pending and workers_ready:
            return
        time.sleep(0.3)
    logs = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in cluster.logs)
    raise AssertionError(f"processes not ready in {STARTUP_SECONDS}s\n{logs}")


def _stop(cluster: Cluster) -> None:
    for proc in cluster.procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in cluster.procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def field_keys():
    """Production needs real keys; the test process uses the same ones."""
    return {
        "KESU_FIELD_KEYS": f"t1:{_b64_key()}",
        "KESU_FIELD_KEY_CURRENT": "t1",
        "KESU_BLIND_INDEX_KEY": _b64_key(),
    }


@pytest.fixture(autouse=True)
def _same_keys_here(settings, field_keys):
    for name, value in field_keys.items():
        setattr(settings, name, value)


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory, field_keys):
    """Two gunicorn masters (one worker each) and two Celery workers."""
    tmp = tmp_path_factory.mktemp("cluster")
    with django_db_blocker.unblock():
        env = _environment(tmp, field_keys)
    cluster = Cluster(
        ports=[_free_port(), _free_port()], queue=f"kesu-test-{uuid.uuid4().hex[:8]}"
    )
    try:
        for i, port in enumerate(cluster.ports, 1):
            _start(
                cluster,
                f"web{i}",
                [str(BIN / "gunicorn"), "kesu.wsgi", "-c", "deploy/gunicorn.conf.py"],
                dict(env, KESU_BIND=f"127.0.0.1:{port}"),
                tmp,
            )
            _start(
                cluster,
                f"worker{i}",
                [
                    str(BIN / "celery"),
                    "-A",
                    "kesu",
                    "worker",
                    "-l",
                    "INFO",
                    "--pool",
                    "solo",
                    "--prefetch-multiplier",
                    "1",
                    "-Q",
                    cluster.queue,
                    "-n",
                    f"w{i}-{cluster.queue}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                env,
                tmp,
            )
        _wait_until_ready(cluster)
        yield cluster
    finally:
        _stop(cluster)


# --- talking to the cluster ---------------------------------------------------------


def call(
    port: int, method: str, path: str, token: str, body: dict | None = None, **headers
) -> tuple[int, dict]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def at_once(*calls) -> list:
    """Run the calls in threads released together; results in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        barrier.wait()
        results[i] = fn()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def complaint_body(n: int, days_ago: int = 30) -> dict:
    received = timezone.localtime() - timedelta(days=days_ago)
    return {
        "received_at": received.isoformat(),
        "channel": "phone",
        "complainant": {"name": f"测试{n}", "phone": "13800000000"},
        "facts": f"第{n}件：业务员销售时夸大收益。",
        "demand": "退还保费。",
        "policy_number": f"P{n:08d}",
    }


def succeeded(cluster: Cluster) -> list[int]:
    """Tasks each worker has finished (Celery logs every success)."""
    return [text.count("succeeded in") for text in cluster.worker_logs()]


def send_and_wait(cluster: Cluster, task: str, times: int) -> None:
    """Send `task` through Redis `times` times; wait until the workers have
    finished them all."""
    before = sum(succeeded(cluster))
    sender = Celery("kesu-test-sender", broker=REDIS_URL)
    try:
        for _ in range(times):
            sender.send_task(task, queue=cluster.queue)
    finally:
        sender.close()
    deadline = time.monotonic() + 30
    while sum(succeeded(cluster)) < before + times:
        if time.monotonic() > deadline:
            raise AssertionError(
                "the workers did not finish the tasks:\n"
                + "\n".join(cluster.worker_logs())[-3000:]
            )
        time.sleep(0.2)


@pytest.fixture
def desk(org):
    """A city desk that registers and handles complaints, through an API
    client acting as that user."""
    user = make_user(
        "gz_desk",
        org["gz"],
        [Role.CLERK, Role.HANDLER],
        department=department(org["gz"]),
        full_name="柜面",
    )
    _, token = api_client_create(name="call centre", acting_user=user)
    return token


# --- the system ----------------------------------------------------------------------


def test_one_idempotency_key_sent_to_both_web_processes_at_once_registers_one_case(
    cluster, desk
):
    a, b = cluster.ports
    body = complaint_body(1)
    key = {"Idempotency-Key": "call-centre-ticket-1"}

    results = at_once(
        lambda: call(a, "POST", "/api/complaints/", desk, body, **key),
        lambda: call(b, "POST", "/api/complaints/", desk, body, **key),
    )

    assert sorted(status for status, _ in results) == [200, 201], results
    assert results[0][1]["id"] == results[1][1]["id"]
    assert Complaint.objects.count() == 1


def test_cases_registered_through_both_web_processes_at_once_all_get_unique_numbers(
    cluster, desk
):
    a, b = cluster.ports
    sends = [
        (
            lambda n=n: call(
                a if n % 2 else b,
                "POST",
                "/api/complaints/",
                desk,
                complaint_body(n),
                **{"Idempotency-Key": f"k{n}"},
            )
        )
        for n in range(10)
    ]

    results = at_once(*sends)

    assert [status for status, _ in results] == [201] * 10, results
    numbers = set(Complaint.objects.values_list("number", flat=True))
    assert len(numbers) == Complaint.objects.count() == 10
    assert numbers == {body["number"] for _, body in results}


def test_acting_on_one_case_through_both_web_processes_at_once_one_wins_one_is_409(
    cluster, desk
):
    a, b = cluster.ports
    status, case = call(a, "POST", "/api/complaints/", desk, complaint_body(1))
    assert status == 201, case
    accept = f"/api/complaints/{case['id']}/accept"
    seen = {"version": case["version"], "note": "受理"}

    results = at_once(
        lambda: call(a, "POST", accept, desk, seen),
        lambda: call(b, "POST", accept, desk, seen),
    )

    assert sorted(status for status, _ in results) == [200, 409], results
    assert Event.objects.filter(complaint_id=case["id"], action="accept").count() == 1
    assert Complaint.objects.get(pk=case["id"]).state == "accepted"


def test_sweeps_sent_through_redis_record_each_breach_once_and_each_notice_goes_once(
    cluster, desk
):
    """Six deadline sweeps and six outbox deliveries at once, shared by the
    two workers: every overdue case gets one breach and one breach event,
    every outbox row is sent exactly once."""
    a, b = cluster.ports
    for n in range(6):  # received 30 days ago: the 15-day decision clock ran out
        assert (
            call(
                a if n % 2 else b, "POST", "/api/complaints/", desk, complaint_body(n)
            )[0]
            == 201
        )

    send_and_wait(cluster, "kesu.complaints.deadline_sweep", 6)
    send_and_wait(cluster, "kesu.notifications.outbox_deliver", 6)

    per_case = Breach.objects.values("complaint").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_case) == [1] * 6
    assert Event.objects.filter(action=BREACHED).count() == 6
    rows = list(Outbox.objects.values_list("pk", "status", "attempts"))
    assert rows, "a breach notifies the case's handler"
    assert {(status, attempts) for _, status, attempts in rows} == {("sent", 1)}
    logged = "\n".join(cluster.worker_logs())
    for pk, _, _ in rows:  # the log sender wrote each row once, in one worker
        assert logged.count(f"notification {pk} kind=") == 1
    assert all(succeeded(cluster)), ("both workers took tasks", succeeded(cluster))


def _in_one_window(window: int = 60, room: int = 20) -> None:
    """The limiter counts in fixed windows (security/ratelimit.py): a burst
    that crossed into the next window would start counting again. Start it
    where it fits in one."""
    left = window - time.time() % window
    if left < room:
        time.sleep(left + 0.2)


def test_the_api_rate_limit_is_counted_once_for_both_web_processes(cluster, org):
    """F5: the per-client limit lives in the shared Redis, so spreading
    requests over two processes does not double it."""
    user = make_user(
        "gz_feed", org["gz"], [Role.CLERK], department=department(org["gz"])
    )
    _, token = api_client_create(name="regulator feed", acting_user=user)
    _in_one_window()

    statuses = [
        call(cluster.ports[n % 2], "GET", "/api/complaints/?limit=1", token)[0]
        for n in range(API_RATE + 5)
    ]

    assert statuses[:API_RATE] == [200] * API_RATE
    assert set(statuses[API_RATE:]) == {429}
