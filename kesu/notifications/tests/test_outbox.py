"""The notification outbox: written in the caller's transaction, delivered
once, retried with backoff, dead-lettered, readable in the workbench."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.errors import NotFound
from kesu.notifications.models import Notification, Outbox
from kesu.notifications.selectors import (
    notification_list_for,
    notification_unread_count,
)
from kesu.notifications.services import (
    notification_enqueue,
    notification_mark_all_read,
    notification_mark_read,
    outbox_deliver,
)
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department

from .conftest import postgres_only

SECRET_TEXT = "投诉人张三 13800138000"


class FailingSender:
    def send(self, row, users):
        raise ConnectionError("smtp down")


class RecordingSender:
    sent: list[int] = []
    lock = threading.Lock()

    def send(self, row, users):
        with self.lock:
            RecordingSender.sent.append(row.pk)


def test_a_rolled_back_action_leaves_no_outbox_row(city_handler):
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_enqueue(kind="reminder", subject="提醒", user=city_handler)
        raise RuntimeError("the action failed")
    assert not Outbox.objects.exists()


def test_the_same_dedupe_key_is_queued_once_and_keeps_the_callers_work(city_handler):
    with transaction.atomic():
        first = notification_enqueue(kind="reminder", subject="提醒", user=city_handler,
                                     dedupe_key="k1")
        again = notification_enqueue(kind="reminder", subject="提醒", user=city_handler,
                                     dedupe_key="k1")
        later = notification_enqueue(kind="reminder", subject="其他", user=city_handler)
    assert first is not None and again is None and later is not None
    assert Outbox.objects.count() == 2


def test_a_department_notice_reaches_its_coordinators_in_app(
        org, claims_coordinator, province_handler):
    notification_enqueue(kind="investigation_reminder", subject="调查即将到期",
                         department=department(org["gd"], K.CLAIMS),
                         roles=(Role.COORDINATOR,))
    assert outbox_deliver() == 1
    row = Outbox.objects.get()
    assert row.status == Outbox.Status.SENT and row.sent_at and row.attempts == 1
    assert list(notification_list_for(claims_coordinator).values_list(
        "subject", flat=True)) == ["调查即将到期"]
    assert not notification_list_for(province_handler).exists()
    assert outbox_deliver() == 0  # nothing is sent twice


def test_the_log_sender_never_logs_personal_data(city_handler, caplog):
    notification_enqueue(kind="reminder", subject=SECRET_TEXT, body=SECRET_TEXT,
                         user=city_handler)
    with caplog.at_level(logging.INFO, logger="kesu.notifications"):
        outbox_deliver()
    assert "reminder" in caplog.text
    assert "张三" not in caplog.text and "13800138000" not in caplog.text


def test_the_email_sender_mails_recipients_with_an_address(city_handler, settings):
    settings.KESU_NOTIFICATION_SENDERS = ["kesu.notifications.senders.EmailSender"]
    city_handler.email = "wang@example.com"
    city_handler.save(update_fields=["email"])
    notification_enqueue(kind="reminder", subject="答复即将到期", body="请尽快处理",
                         user=city_handler)
    outbox_deliver()
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]
    assert mail.outbox[0].subject == "答复即将到期"


def test_a_failing_sender_is_retried_with_backoff_then_dead_lettered(
        city_handler, settings):
    settings.KESU_NOTIFICATION_SENDERS = [f"{__name__}.FailingSender"]
    settings.KESU_NOTIFICATION_MAX_ATTEMPTS = 3
    notification_enqueue(kind="reminder", subject="提醒", user=city_handler)
    assert outbox_deliver() == 0
    row = Outbox.objects.get()
    assert row.status == Outbox.Status.PENDING and row.attempts == 1
    assert row.available_at > timezone.now() + timedelta(seconds=30)
    assert "ConnectionError" in row.last_error and not row.claimed_by
    assert outbox_deliver() == 0 and Outbox.objects.get().attempts == 1  # backing off
    for _ in range(2):
        Outbox.objects.update(available_at=timezone.now())
        outbox_deliver()
    row.refresh_from_db()
    assert row.status == Outbox.Status.DEAD and row.attempts == 3
    Outbox.objects.update(available_at=timezone.now())
    assert outbox_deliver() == 0 and Outbox.objects.get().attempts == 3


def test_a_relay_does_not_take_a_row_claimed_by_another_until_the_claim_expires(
        city_handler):
    notification_enqueue(kind="reminder", subject="提醒", user=city_handler)
    Outbox.objects.update(claimed_at=timezone.now(), claimed_by="other-relay")
    assert outbox_deliver() == 0
    Outbox.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert outbox_deliver() == 1


def test_a_user_reads_only_their_own_notifications(city_handler, province_handler):
    notification_enqueue(kind="reminder", subject="一", user=city_handler)
    notification_enqueue(kind="reminder", subject="二", user=city_handler)
    outbox_deliver()
    assert notification_unread_count(city_handler) == 2
    first = notification_list_for(city_handler)[0]
    with pytest.raises(NotFound):
        notification_mark_read(user=province_handler, pk=first.pk)
    notification_mark_read(user=city_handler, pk=first.pk)
    assert notification_unread_count(city_handler) == 1
    assert len(notification_list_for(city_handler, unread_only=True)) == 1
    assert notification_mark_all_read(user=city_handler) == 1
    assert notification_unread_count(city_handler) == 0


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_two_relays_never_send_the_same_row_twice(org, settings):
    user = make_user("relay_target", org["gz"], [Role.HANDLER])
    settings.KESU_NOTIFICATION_SENDERS = [f"{__name__}.RecordingSender"]
    RecordingSender.sent = []
    for i in range(300):
        notification_enqueue(kind="reminder", subject=f"提醒{i}", user=user)
    barrier = threading.Barrier(4)

    def relay():
        barrier.wait()
        try:
            while outbox_deliver(batch=7):
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_rows = Outbox.objects.values_list("pk", flat=True)
    assert sorted(RecordingSender.sent) == sorted(all_rows)
    assert len(set(RecordingSender.sent)) == 300
    assert Outbox.objects.filter(status=Outbox.Status.SENT).count() == 300
    assert Notification.objects.count() == 0
