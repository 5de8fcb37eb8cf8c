"""Pluggable senders (settings `KESU_NOTIFICATION_SENDERS`, dotted paths).
A sender has `send(row: Outbox, users: list[User]) -> None` and raises to
make the relay retry the row. Senders must be idempotent or tolerate a
retry: the in-app sender is (one notification per row and user)."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail

from .models import Notification, Outbox

log = logging.getLogger("kesu.notifications")


class InAppSender:
    """One `Notification` per recipient, shown in the workbench."""

    def send(self, row: Outbox, users: list) -> None:
        Notification.objects.bulk_create(
            [Notification(user=u, outbox=row, kind=row.kind, subject=row.subject,
                          body=row.body, payload=row.payload, created_at=row.created_at)
             for u in users],
            ignore_conflicts=True,
        )


class LogSender:
    """Logs that a notification went out. Never logs personal data: only the
    row id, its kind and the recipients' user ids (not names, not text)."""

    def send(self, row: Outbox, users: list) -> None:
        log.info("notification %s kind=%s to users=%s", row.pk, row.kind,
                 [u.pk for u in users])


class EmailSender:
    """E-mail through Django's mail backend, to recipients who have an address."""

    def send(self, row: Outbox, users: list) -> None:
        sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
        messages = [(row.subject, row.body, sender, [u.email])
                    for u in users if u.email]
        if messages:
            send_mass_mail(messages, fail_silently=False)
