"""Page-level permission gate: a page whose permission the user lacks is a
403 page (menus already hide it). Object scope is the selectors' (404)."""

import functools

from django.core.exceptions import PermissionDenied


def require_perm(*perms: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not set(perms) & request.user.perm_set:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
