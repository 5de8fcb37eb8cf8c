"""People (DESIGN §5): staff belong to a company and, for department roles,
a department; they hold one or more roles."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kesu.choicelabels import ChoiceLabels

from .roles import ROLE_PERMS, Role


class CaseInsensitiveUserManager(UserManager):
    """A1: `Wang` and `wang` are the same person, so signing in (the model
    backend looks users up by natural key) ignores the username's case."""

    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    company = models.ForeignKey(
        "organisation.Company",
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    objects = CaseInsensitiveUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # A1: one identity per name whatever its case.
            models.UniqueConstraint(
                Lower("username"),
                name="unique_username_ci",
                violation_error_message=_("用户名已存在（不区分大小写）"),
            )
        ]

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


class UserRole(ChoiceLabels, models.Model):
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
    company = models.ForeignKey(
        "organisation.Company",
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("机构"),
    )
    acting_user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("代表用户"),
    )
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


class StaffChangeReport(models.Model):
    """人员调整报送 (S7.9): a city customer-service centre's handlers or
    coordinators changed; the city reports it to the parent company's
    customer service within 7 working days. Created by the user services,
    submitted by the city's customer service."""

    company = models.ForeignKey(
        "organisation.Company",
        verbose_name=_("报送机构"),
        on_delete=models.PROTECT,
        related_name="staff_change_reports",
    )
    addressed_to = models.ForeignKey(
        "organisation.Company",
        verbose_name=_("接收机构"),
        on_delete=models.PROTECT,
        related_name="received_staff_change_reports",
    )
    changed_at = models.DateTimeField(_("调整时间"))
    # [{"user_id", "username", "full_name", "change": "added"|"removed",
    #   "role", "department"}]: a snapshot, readable after people move on.
    changes = models.JSONField(_("调整内容"), default=list)
    summary = models.TextField(_("调整说明"))
    due_date = models.DateField(_("报送时限"), db_index=True)
    due_provisional = models.BooleanField(_("时限暂定"), default=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("调整人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission_note = models.TextField(_("报送说明"), blank=True)

    class Meta:
        verbose_name = _("人员调整报送")
        verbose_name_plural = _("人员调整报送")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["submitted_at", "due_date"])]

    def __str__(self) -> str:
        return f"{self.company} {self.changed_at:%Y-%m-%d}"
