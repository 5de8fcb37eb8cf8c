"""django-axes hooks (A3): how a username is counted, and what a locked
account sees: the same page and message as a wrong password."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.shortcuts import render

from .forms import GENERIC_LOGIN_ERROR, LoginForm


def axes_username(request, credentials) -> str:
    """Count failures per username whatever its case or padding."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()[:150]


def lockout_response(request, response=None, credentials=None):
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    # Not re-validated (that would authenticate again): the error is set directly.
    form.cleaned_data = {}
    form._errors = ErrorDict(
        {
            NON_FIELD_ERRORS: form.error_class(
                [GENERIC_LOGIN_ERROR], error_class="nonfield"
            )
        }
    )
    return render(request, "web/login.html", {"form": form}, status=200)
