"""D4: a backup restored into an empty database finds every case, event and
attachment (and the attachments' bytes are checked against their SHA-256)."""

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from kesu.complaints.models import Attachment, Complaint, Event
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.ops.backup import backup_create

ROOT = Path(settings.BASE_DIR)


def _attach(complaint, content: bytes, name: str) -> Attachment:
    att = Attachment(complaint=complaint, original_name=name, content_type="text/plain",
                     size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                     uploaded_at=timezone.now())
    att.file.save(f"{uuid.uuid4().hex}.txt", ContentFile(content), save=False)
    att.save()
    return att


def _restore(
    backup_dir: Path, database_url: str, media: Path
) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url, KESU_MEDIA_ROOT=str(media))
    return subprocess.run([sys.executable, "manage.py", "restore", str(backup_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def empty_database(tmp_path):
    """A database URL of the same vendor as the test database, empty."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"kesu_restore_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    admin = dict(host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432,
                 user=params["USER"] or "postgres", dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    user = admin["user"]
    yield f"postgres://{user}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_every_case_event_and_attachment(
        org, media_root, empty_database, tmp_path):
    cases = [ComplaintFactory(owning_company=org["gz"], registered_company=org["gz"])
             for _ in range(3)]
    _attach(cases[0], "录音转写：客户要求退保。".encode(), "transcript.txt")
    _attach(cases[1], b"evidence bytes", "evidence.txt")
    expected = (
        Complaint.objects.count(), Event.objects.count(), Attachment.objects.count()
    )

    backup_dir = backup_create(out_dir=tmp_path / "backups")
    restored_media = tmp_path / "restored-media"
    result = _restore(backup_dir, empty_database, restored_media)

    assert result.returncode == 0, result.stderr[-2000:]
    assert "restore verified" in result.stdout
    assert f"complaints.Complaint: {expected[0]}" in result.stdout
    assert f"complaints.Event: {expected[1]}" in result.stdout
    assert f"complaints.Attachment: {expected[2]}" in result.stdout
    for att in Attachment.objects.all():
        restored = restored_media / att.file.name
        assert hashlib.sha256(restored.read_bytes()).hexdigest() == att.sha256


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_a_tampered_attachment_fails_to_restore(
        org, media_root, empty_database, tmp_path):
    case = ComplaintFactory(owning_company=org["gz"], registered_company=org["gz"])
    att = _attach(case, b"original", "a.txt")
    backup_dir = backup_create(out_dir=tmp_path / "backups")
    # Tamper with the manifest's record of the file: the restore must notice.
    manifest = (backup_dir / "manifest.json")
    manifest.write_text(manifest.read_text().replace(att.sha256, "0" * 64))

    result = _restore(backup_dir, empty_database, tmp_path / "m2")

    assert result.returncode != 0
    assert "附件校验失败" in result.stderr
