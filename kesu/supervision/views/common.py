"""What every supervision and committee page does with a POST: call one
service; a validation error or a conflict goes back to the form (or into a
message) without losing the input; NotFound/Forbidden become 404/403 through
`kesu.web.errors.domain_errors`."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from kesu.errors import Conflict, DomainValidationError
from kesu.web.errors import add_to_form


def perform(
    request, call: Callable, *, success: str, to: str | Callable, form=None
) -> HttpResponseRedirect | None:
    """Run `call()`; on success add a message and redirect (to `to`, or to
    `to(result)`); on a domain error return None so the page re-renders."""
    try:
        result = call()
    except (DomainValidationError, Conflict) as exc:
        if form is not None:
            add_to_form(form, exc)
        else:
            messages.error(request, str(exc.message))
        return None
    messages.success(request, success)
    return redirect(to(result) if callable(to) else to)


def form_errors_to_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)
