"""People (DESIGN §5): staff belong to a company and, for department roles,
a department; they hold one or more roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_PERMS, Role


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    company = models.ForeignKey(
        "organisation.Company", verbose_name=_("机构"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    department = models.ForeignKey(
        "organisation.Department", verbose_name=_("部门"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("role", flat=True))

    @cached_property
    def perm_set(self) -> frozenset[str]:
        perms: set[str] = set()
        for role in self.role_set:
            perms |= ROLE_PERMS.get(role, frozenset())
        return frozenset(perms)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")
        ]
        indexes = [models.Index(fields=["role", "user"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiClient(models.Model):
    """A system that files complaints automatically (call centre, the
    regulator's transfer feed). The token is stored as a SHA-256 hash: it is
    random and long, so a fast hash is safe and cheap to check per request."""

    name = models.CharField(_("名称"), max_length=100)
    company = models.ForeignKey("organisation.Company", on_delete=models.PROTECT,
                                related_name="api_clients", verbose_name=_("机构"))
    acting_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_clients",
                                    verbose_name=_("代表用户"))
    token_prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 客户端")
        verbose_name_plural = _("API 客户端")

    def __str__(self) -> str:
        return self.name
