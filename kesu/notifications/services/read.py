"""A user marks their own notifications read."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.errors import NotFound

from ..models import Notification


@transaction.atomic
def notification_mark_read(*, user, pk: int) -> Notification:
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:  # someone else's notification is not found either
        raise NotFound(_("通知不存在"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now())
