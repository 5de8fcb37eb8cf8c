"""Backup and restore of the database and the attachments (D4).

A backup is a directory holding the database dump (`pg_dump -Fc` on
PostgreSQL, SQLite's online backup API on SQLite), a tar of MEDIA_ROOT and a
manifest with row counts and every attachment's SHA-256, so a restore can
prove it found every case, event and attachment."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kesu.errors import DomainValidationError

COUNTED = ("complaints.Complaint", "complaints.Event", "complaints.Attachment",
           "accounts.User", "organisation.Company")


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def _attachment_hashes() -> dict[str, str]:
    from kesu.complaints.models import Attachment

    return dict(Attachment.objects.values_list("file", "sha256"))


def _pg_env(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict, name: str | None = None) -> list[str]:
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args + ["-d", name or str(db["NAME"])]


def backup_create(*, out_dir: Path) -> Path:
    """Write a complete backup under `out_dir`; returns its directory."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    target = Path(out_dir) / f"kesu-backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(target / "db.dump"),
                        *_pg_args(db)], check=True, env=_pg_env(db))
        kind = "postgresql"
    else:
        connection.ensure_connection()
        dest = sqlite3.connect(target / "db.sqlite3")
        with dest:
            connection.connection.backup(dest)
        dest.close()
        kind = "sqlite"
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / "media.tar.gz", "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    manifest = {"created_at": stamp, "database": kind, "counts": _counts(),
                "attachments": _attachment_hashes()}
    (target / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1)
    )
    return target


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def backup_restore(*, source: Path, database: dict, media_root: Path) -> dict:
    """Restore `source` into an EMPTY database described by `database` (a
    Django DATABASES entry) and into `media_root`; verify against the
    manifest. Returns the manifest."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest["database"] == "postgresql":
        if "postgresql" not in database["ENGINE"]:
            raise DomainValidationError("PostgreSQL 备份只能恢复到 PostgreSQL 数据库")
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                        *_pg_args(database), str(source / "db.dump")],
                       check=True, env=_pg_env(database))
    else:
        name = Path(database["NAME"])
        if name.exists() and name.stat().st_size > 0:
            raise DomainValidationError(f"目标数据库不为空：{name}")
        shutil.copyfile(source / "db.sqlite3", name)
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
        for member in tar.getmembers():
            if member.name == "media":
                continue
            member.name = member.name.removeprefix("media/")
            tar.extract(member, media_root, filter="data")
    broken = [f for f, digest in manifest["attachments"].items()
              if not (media_root / f).exists() or _sha256(media_root / f) != digest]
    if broken:
        raise DomainValidationError(f"附件校验失败：{', '.join(broken[:5])}")
    return manifest
