"""C3/C4: the audit log is append-only, hash-chained and purged safely."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kesu.audit.chain import verify
from kesu.audit.models import AppendOnlyError, AuditRecord
from kesu.audit.services import audit_purge, audit_record

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditRecord]:
    return [
        audit_record(action="test.event", object_id=i, detail={"i": i})
        for i in range(n)
    ]


def test_each_record_chains_to_the_previous_one():
    first, second, third = _write(3)
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert verify(AuditRecord.objects.order_by("seq")) is None


def test_a_record_cannot_be_changed_or_deleted_through_the_orm():
    record = _write(1)[0]
    record.action = "forged"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigger is PostgreSQL-only"
)
def test_postgresql_refuses_a_raw_update_and_delete():
    _write(1)
    for sql in (
        "UPDATE audit_auditrecord SET action='x'",
        "DELETE FROM audit_auditrecord",
    ):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql)


def _tamper(seq: int, **changes) -> None:
    """What an attacker with raw database access would do (SQLite only: the
    PostgreSQL trigger refuses even this)."""
    sets = ", ".join(f"{k} = %s" for k in changes)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditrecord SET {sets} WHERE seq = %s",
            [*changes.values(), seq],
        )


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the trigger refuses tampering"
)
def test_verify_names_the_first_altered_row():
    _write(5)
    _tamper(3, object_id="999")
    with pytest.raises(CommandError, match="seq 3"):
        call_command("verify_audit_chain")


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the trigger refuses tampering"
)
def test_verify_names_a_deleted_row():
    _write(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE seq = 2")
    broken = verify(AuditRecord.objects.order_by("seq"))
    assert broken is not None and broken.seq == 2


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the trigger refuses tampering"
)
def test_deleting_the_oldest_rows_without_the_purge_is_detected():
    _write(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE seq <= 2")
    assert verify(AuditRecord.objects.order_by("seq")).seq == 3


def test_verify_command_reports_an_intact_chain(capsys):
    _write(3)
    call_command("verify_audit_chain")
    assert "intact through seq 3" in capsys.readouterr().out


def test_purge_keeps_rows_younger_than_the_retention_and_leaves_a_checkpoint(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    with time_machine.travel(datetime(2023, 1, 1, tzinfo=UTC), tick=False):
        _write(3)
    with time_machine.travel(datetime(2026, 11, 1, tzinfo=UTC), tick=False):
        young = _write(2)
        assert audit_purge() == 3
    remaining = list(AuditRecord.objects.order_by("seq"))
    assert [r.seq for r in remaining] == [4, 5, 6]
    assert remaining[-1].action == "audit.purged"
    assert remaining[-1].detail["through_seq"] == 3
    assert remaining[0].pk == young[0].pk
    assert verify(remaining) is None


def test_purge_never_deletes_rows_younger_than_six_months(settings):
    settings.AUDIT_RETENTION_DAYS = 200
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False):
        _write(2)
    with time_machine.travel(
        datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=199), tick=False
    ):
        assert audit_purge() == 0
    assert AuditRecord.objects.count() == 2


def test_a_retention_below_183_days_is_refused(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    with pytest.raises(ImproperlyConfigured):
        audit_purge()


def test_detail_never_holds_personal_data():
    record = audit_record(
        action="test.event",
        detail={
            "id_number": "110101199003071234",
            "phone": "13812341234",
            "note": "客户 13812341234 来电",
            "field": "phone",
            "password": "x",
        },
    )
    assert record.detail == {"note": "客户 138****1234 来电", "field": "phone"}


def test_every_record_has_time_in_utc_and_the_source_ip(rf, city_clerk):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = city_clerk
    record = audit_record(action="test.event", request=request, obj=city_clerk.company)
    record.refresh_from_db()
    assert record.at.tzinfo is not None
    assert (record.ip, record.user_id, record.username) == (
        "10.1.2.3",
        city_clerk.pk,
        "gz_clerk",
    )
    assert (record.object_type, record.object_id) == (
        "organisation.company",
        str(city_clerk.company.pk),
    )
