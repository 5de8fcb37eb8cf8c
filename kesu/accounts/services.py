"""Writes on users and their roles."""

from django.db import transaction

from kesu.errors import DomainValidationError

from .models import User, UserRole
from .roles import ADMIN_ROLES, Role


def check_roles(roles: set[str]) -> None:
    """B1 三权分立: never two of the three administrator roles."""
    unknown = roles - set(Role.values)
    if unknown:
        raise DomainValidationError(f"未知的角色：{', '.join(sorted(unknown))}")
    if len(roles & ADMIN_ROLES) > 1:
        raise DomainValidationError("系统管理员、安全管理员、审计管理员不能由同一人兼任")


@transaction.atomic
def user_set_roles(*, user: User, roles: set[str]) -> User:
    check_roles(roles)
    current = set(user.roles.values_list("role", flat=True))
    user.roles.filter(role__in=current - roles).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles - current])
    user.__dict__.pop("role_set", None)
    user.__dict__.pop("perm_set", None)
    return user
