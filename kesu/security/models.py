"""Login-security state kept beside the user (A2, A4): when the password was
last changed, the previous password hashes, and the user's open sessions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordRecord(models.Model):
    """One set password (its hash, never the password). The newest row says
    when the password was last changed (A2 expiry); the last five are
    refused for reuse (A2)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    encoded = models.CharField(max_length=255)
    set_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "-set_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.set_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A session opened by a login, so that logout, deactivation and a
    password reset can end every session of the user at once (A4, B4)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} session"
