"""The notification outbox (STYLE.md §3) and the in-app notification list.

A reminder or notice that must not be lost is written as an `Outbox` row in the
caller's transaction; a relay (services/relay.py) claims rows with a
compare-and-set update and sends them through the configured senders. The
in-app sender turns a row into one `Notification` per recipient user."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Outbox(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        DEAD = "dead", _("发送失败")

    kind = models.CharField(_("类型"), max_length=40)
    # Recipients: a user, and/or the holders of `recipient_roles` in a
    # department or a company (resolved when the row is delivered).
    # (no indexes on the recipients: nothing looks rows up by them, and every
    # index slows the sweep's bulk inserts)
    recipient_user = models.ForeignKey(USER, on_delete=models.CASCADE, null=True,
                                       blank=True, related_name="+", db_index=False)
    recipient_company = models.ForeignKey("organisation.Company",
                                          on_delete=models.CASCADE, null=True,
                                          blank=True, related_name="+", db_index=False)
    recipient_department = models.ForeignKey("organisation.Department",
                                             on_delete=models.CASCADE, null=True,
                                             blank=True, related_name="+",
                                             db_index=False)
    recipient_roles = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # NULL, not "": rows without a key must not collide in the unique constraint
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    status = models.CharField(max_length=8, choices=Status.choices,
                              default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("通知发件箱")
        verbose_name_plural = _("通知发件箱")
        constraints = [
            # a constraint, not unique=True: no second (LIKE) index on PostgreSQL
            models.UniqueConstraint(fields=["dedupe_key"],
                                    name="unique_outbox_dedupe_key"),
        ]
        indexes = [
            # the relay's only query: pending rows that are due, oldest first
            models.Index(fields=["available_at", "id"],
                         condition=models.Q(status="pending"),
                         name="outbox_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk}"


class Notification(models.Model):
    """What a user sees in the workbench's notification list."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE,
                             related_name="notifications")
    outbox = models.ForeignKey(Outbox, on_delete=models.CASCADE,
                               related_name="notifications")
    kind = models.CharField(_("类型"), max_length=40)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            # the in-app sender is idempotent: a retried row never doubles
            models.UniqueConstraint(fields=["outbox", "user"],
                                    name="one_notification_per_outbox_user"),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
