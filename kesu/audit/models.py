"""The security audit log (C1–C4): append-only and hash-chained.

Every row carries `prev_hash` and `hash = SHA-256(prev_hash ‖ canonical JSON of
the row)`, so editing or deleting a row breaks the chain at that row
(`manage.py verify_audit_chain` names it). The application cannot update or
delete rows (C3): `save()` refuses updates, `delete()` and the queryset's
`update()`/`delete()` raise, and on PostgreSQL a trigger refuses UPDATE and any
DELETE that is not the retention purge of rows older than the legal floor."""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit record (C3)."""


class Result(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # C3
        raise AppendOnlyError("audit records are append-only")

    def delete(self):  # C3
        raise AppendOnlyError("audit records are append-only")

    def bulk_update(self, *args, **kwargs):  # C3
        raise AppendOnlyError("audit records are append-only")


class AuditRecord(models.Model):
    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    # A snapshot, not a foreign key: the log outlives accounts and is never
    # touched by a cascade.
    user_id = models.BigIntegerField(_("用户ID"), null=True, blank=True, db_index=True)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("事件类型"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True, db_index=True)
    result = models.CharField(
        _("结果"), max_length=16, choices=Result.choices, default=Result.SUCCESS
    )
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:  # C3
            raise AppendOnlyError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # C3
        raise AppendOnlyError("audit records are append-only")
