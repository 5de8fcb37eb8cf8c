"""What the benchmark's scripts share: the repository root and the fixed
secrets the loader and the server both use."""

import base64
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _key(label: str) -> str:
    return base64.urlsafe_b64encode(label.encode().ljust(32, b"-")[:32]).decode()


# One fixed set of secrets for the loader (this process) and the server, so
# the encrypted personal data and blind indexes written by the generator are
# read back by gunicorn, run after run. Benchmark data only.
BENCH_ENV = {
    "SECRET_KEY": "bench-" + "k" * 60,
    "KESU_FIELD_KEYS": "bench:" + _key("kesu-bench-field-key"),
    "KESU_BLIND_INDEX_KEY": _key("kesu-bench-blind-index"),
    "KESU_RATE_LIMITS": "off",  # F5: one token at 16 connections is not an attack
    "DEBUG": "0",
}


class ScenarioFailed(SystemExit):
    pass
