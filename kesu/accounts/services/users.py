"""Writes on users and their roles (DESIGN §5). Every change that can move a
handler or a coordinator goes through here, so that S7.9's staff-change
report cannot be forgotten. `actor=None` is the command line (load_demo,
manage.py); every user interface passes the signed-in user."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.audit.services import audit_record
from kesu.errors import DomainValidationError
from kesu.organisation.models import Company, Department

from ..access import require
from ..models import User, UserRole
from ..roles import ADMIN_ROLES, DEPARTMENT_ROLES, Perm, Role
from .staff_changes import staff_change_record, staff_posts

USER_FIELDS = ("full_name", "email", "phone", "company", "department")


def check_roles(roles: set[str]) -> None:
    """B1 三权分立: never two of the three administrator roles."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise DomainValidationError(
            _("未知的角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))}
        )
    if len(set(roles) & ADMIN_ROLES) > 1:
        raise DomainValidationError(
            _("系统管理员、安全管理员、审计管理员不能由同一人兼任")
        )


def _check_placement(company: Company | None, department: Department | None) -> None:
    if department is not None and department.company_id != getattr(company, "pk", None):
        raise DomainValidationError(
            _("部门必须属于该用户所在的机构"), field="department"
        )


def _check_department_roles(roles: set[str], department_id: int | None) -> None:
    """DESIGN §5: coordinators and department heads belong to a department."""
    if department_id is None and roles & DEPARTMENT_ROLES:
        raise DomainValidationError(
            _("协调员和部门负责人必须指定所在部门"), field="department"
        )


def _forget_roles(user: User) -> None:
    user.__dict__.pop("role_set", None)
    user.__dict__.pop("perm_set", None)


@transaction.atomic
def user_set_roles(*, user: User, roles: set[str], actor: User | None = None) -> User:
    """Grant exactly `roles` (B1). Role grants belong to the security
    administrator; an administrator role also opens the Django admin."""
    if actor is not None:
        require(actor, Perm.SECURITY_ADMIN)
    roles = set(roles)
    check_roles(roles)
    _check_department_roles(roles, user.department_id)
    before = staff_posts(user)
    current = set(user.roles.values_list("role", flat=True))
    user.roles.filter(role__in=current - roles).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles - current])
    _forget_roles(user)
    is_staff = user.is_superuser or bool(roles & ADMIN_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    if roles != current:
        staff_change_record(actor=actor, user=user, before=before)
        audit_record(
            action="accounts.roles_set",
            user=actor,
            obj=user,
            detail={"roles": sorted(roles), "username": user.username},
        )
    return user


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    company: Company,
    department: Department | None = None,
    roles: set[str] = frozenset(),
    password: str | None = None,
    password_hash: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """A new person. `password_hash` is an already hashed password (the
    admin's creation form, the demo's shared password)."""
    if actor is not None:
        require(actor, Perm.ORG_ADMIN)
    if User.objects.filter(username__iexact=username).exists():  # A1
        raise DomainValidationError(
            _("用户名已存在：%(u)s") % {"u": username}, field="username"
        )
    _check_placement(company, department)
    user = User(
        username=username,
        full_name=full_name,
        company=company,
        department=department,
        email=email,
        phone=phone,
    )
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        action="accounts.user_created",
        user=actor,
        obj=user,
        detail={"username": username},
    )
    if roles:
        # In the UI roles are granted by the security administrator (B1).
        user_set_roles(user=user, roles=set(roles), actor=actor)
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, **changes) -> User:
    """Change a user's name, contact or placement (company, department)."""
    if actor is not None:
        require(actor, Perm.ORG_ADMIN)
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise DomainValidationError(
            _("不能修改这些字段：%(f)s") % {"f": ", ".join(unknown)}
        )
    before = staff_posts(user)
    for field, value in changes.items():
        setattr(user, field, value)
    _check_placement(user.company, user.department)
    _check_department_roles(set(user.role_set), user.department_id)
    user.save(update_fields=list(changes))
    staff_change_record(actor=actor, user=user, before=before)
    audit_record(
        action="accounts.user_updated",
        user=actor,
        obj=user,
        detail={"fields": sorted(changes)},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User | None, user: User) -> User:
    """A leaver: the account is kept (it signs events) but can no longer log in."""
    if actor is not None:
        require(actor, Perm.ORG_ADMIN)
    if actor is not None and actor.pk == user.pk:
        raise DomainValidationError(_("不能停用自己的账号"))
    before = staff_posts(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    staff_change_record(actor=actor, user=user, before=before)
    audit_record(action="accounts.user_deactivated", user=actor, obj=user)
    return user


@transaction.atomic
def user_reactivate(*, actor: User | None, user: User) -> User:
    if actor is not None:
        require(actor, Perm.ORG_ADMIN)
    before = staff_posts(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    staff_change_record(actor=actor, user=user, before=before)
    audit_record(action="accounts.user_reactivated", user=actor, obj=user)
    return user
