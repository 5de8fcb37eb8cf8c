"""Background work on notifications: each task is a one-line service call."""

from celery import shared_task

from kesu.notifications.services import outbox_drain


@shared_task(name="kesu.notifications.outbox_deliver")
def outbox_deliver_task() -> int:
    return outbox_drain()
