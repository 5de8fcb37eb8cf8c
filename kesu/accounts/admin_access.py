"""Who may use which part of the Django admin. The admin is for reference
data (STYLE.md rule 8) and follows the same permissions as the rest of kesu
(roles.py), not Django's per-model permissions: B1 keeps the three
administrator roles apart here too."""

from .access import can
from .roles import Perm


class PermAdminMixin:
    """A ModelAdmin usable by holders of `perm` (and by a superuser created
    with `createsuperuser` for first set-up)."""

    perm: str = Perm.ORG_ADMIN
    read_only_perms: tuple[str, ...] = ()

    def _allowed(self, request, perms) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or any(can(user, p) for p in perms)

    def has_module_permission(self, request):
        return self._allowed(request, (self.perm, *self.read_only_perms))

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, (self.perm, *self.read_only_perms))

    def has_add_permission(self, request, *args):
        return self._allowed(request, (self.perm,))

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, (self.perm,))

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, (self.perm,))


def admin_actor(request):
    """The acting user for the services. A `createsuperuser` account without
    kesu roles (first set-up) acts as the command line does (actor=None)."""
    user = request.user
    return None if user.is_superuser and not user.role_set else user
