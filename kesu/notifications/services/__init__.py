from .enqueue import Message, notification_enqueue, notification_enqueue_many
from .read import notification_mark_all_read, notification_mark_read
from .relay import outbox_claim, outbox_deliver, outbox_drain, recipients_of

__all__ = [
    "Message", "notification_enqueue", "notification_enqueue_many",
    "notification_mark_all_read", "notification_mark_read",
    "outbox_claim", "outbox_deliver", "outbox_drain", "recipients_of",
]
