"""KESU_ENV=production refuses to start without a real SECRET_KEY (issue 2
item 1): the settings module raises before anything serves."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(**env) -> subprocess.CompletedProcess:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "KESU_ENV"}
    }
    base |= {
        "KESU_ENV": "production",
        "ALLOWED_HOSTS": "kesu.example.com",
        "KESU_FIELD_KEYS": f"k1:{key}",
        "KESU_BLIND_INDEX_KEY": key,
        "DJANGO_SETTINGS_MODULE": "kesu.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=base | {k: v for k, v in env.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret_key",
    [
        None,  # not set: the development default
        "dev-insecure-secret-key-never-use-in-production",
        "short-key",
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = start(SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_a_real_secret_key():
    result = start(SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "started" in result.stdout
