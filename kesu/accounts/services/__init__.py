"""Writes on people, their roles and the staff-change reports they cause."""

from .staff_changes import (
    report_submit,
    staff_change_recompute_provisional,
)
from .users import (
    check_roles,
    user_create,
    user_deactivate,
    user_set_roles,
    user_update,
)

__all__ = [
    "check_roles",
    "user_create",
    "user_update",
    "user_deactivate",
    "user_set_roles",
    "report_submit",
    "staff_change_recompute_provisional",
]
