"""The complaint page's action forms as HTML, each rendered once (issue 8).

Django renders a form through a template per widget: the eight forms of an
open case cost a fifth of the page. An unbound action form's HTML depends on
its class and prefix, the language, its fields' initial values and choices,
and three values of the request: the case's version (the hidden
expected_version), the action's URL and the CSRF token. So it is rendered
once with unguessable placeholders for those three, kept under a key of the
rest, and each request puts its own values in. The choices are still read
per request (a ModelChoiceField's query, as before) since they are part of
the key: a changed list of companies or handlers is a new key.

A bound form (re-shown with its errors) is rendered as it is, not kept."""

import secrets
from html import escape

from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TEMPLATE = "web/_action_form.html"
KEPT = 2000

# Per process, random: text a user typed cannot stand in for one of them.
_TOKEN = secrets.token_hex(8)
VERSION = f"kesu-version-{_TOKEN}"
URL = f"kesu-url-{_TOKEN}"
CSRF = f"kesu-csrf-{_TOKEN}"

_rendered: dict = {}


def _frozen(value):
    """A hashable stand-in for an initial value or a list of choices."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, str | int | bool | type(None)):
        return value
    return (type(value).__name__, str(value))


def _key(action: dict, form) -> tuple:
    """Everything the form's HTML depends on but the request's three values.
    Static lists of choices become the widget's own, so rendering does not
    read a queryset a second time."""
    parts = []
    for name in form.fields:
        if name == "expected_version":
            continue
        bf = form[name]
        widget = bf.field.widget
        choices = None
        if hasattr(widget, "choices"):
            widget.choices = list(widget.choices)
            choices = tuple((_frozen(v), _frozen(label)) for v, label in widget.choices)
        parts.append((name, _frozen(bf.value()), choices))
    return (
        type(form),
        action["name"],
        str(action["label"]),
        action["ui"],
        get_language(),
        tuple(parts),
    )


def _render(action: dict, url: str, csrf_token: str) -> str:
    return get_template(TEMPLATE).render(
        {"a": action, "url": url, "csrf_token": csrf_token}
    )


def action_form_html(action: dict, complaint, csrf_token) -> SafeString:
    """The <form> of one offered action of `complaint`, for this request."""
    url = reverse("web:complaint_action", args=[complaint.number, action["name"]])
    form = action["form"]
    token = str(csrf_token) if csrf_token else ""
    if form.is_bound or token in ("", "NOTPROVIDED"):
        return mark_safe(_render(action, url, token))
    key = _key(action, form)
    html = _rendered.get(key)
    if html is None:
        form.initial["expected_version"] = VERSION
        html = _render(action, URL, CSRF)
        if len(_rendered) >= KEPT:
            _rendered.clear()
        _rendered[key] = html
    return mark_safe(
        html.replace(VERSION, str(int(complaint.version)))
        .replace(URL, escape(url))
        .replace(CSRF, escape(token))
    )
