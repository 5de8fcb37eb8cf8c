"""Map kesu.errors to what a page shows, once for every view: NotFound is a
404 page (out of scope looks the same as missing), Forbidden a 403 page,
validation and conflict errors go next to the field or into a message."""

import functools

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404

from kesu.errors import DomainError, Forbidden, NotFound


def domain_errors(view):
    """Turn NotFound into 404 and Forbidden into 403 for a whole view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


def add_to_form(form: Form, exc: DomainError) -> None:
    """Put a service's error next to its field when the form has that field."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
