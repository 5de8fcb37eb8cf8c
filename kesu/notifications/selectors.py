"""Reads of a user's own notifications (the workbench list)."""

from django.db.models import QuerySet

from .models import Notification


def notification_list_for(user, *, unread_only: bool = False,
                          limit: int = 20) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")[:limit]


def notifications_unread(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def notification_unread_count(user) -> int:
    return notifications_unread(user).count()
