"""Presentation helpers for the staff UI: time left, badges, query strings.
No rules here: anything that decides what a user may do lives in the
complaints app (lifecycle.py, access.py)."""

import datetime

from django import template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

register = template.Library()

SOON_DAYS = 2  # D: highlight deadlines within two days


@register.filter
def has_perm(user, perm: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and perm in user.perm_set)


@register.filter
def has_role(user, role: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(role))


@register.simple_tag
def user_roles(user) -> list[str]:
    from kesu.accounts.roles import Role

    labels = dict(Role.choices)
    return [str(labels.get(r, r)) for r in sorted(user.role_set)]


def days_left(due: datetime.date | None) -> int | None:
    if due is None:
        return None
    if isinstance(due, datetime.datetime):
        due = timezone.localtime(due).date()
    return (due - timezone.localdate()).days


@register.simple_tag
def time_left(due, provisional: bool = False):
    """'剩 3 天' / '今日到期' / '超期 2 天' with a class for colour."""
    left = days_left(due)
    if left is None:
        return format_html('<span class="time-left muted">—</span>')
    if left < 0:
        css, text = (
            "overdue",
            ngettext("超期 %(n)d 天", "超期 %(n)d 天", -left) % {"n": -left},
        )
    elif left == 0:
        css, text = "soon", _("今日到期")
    else:
        css = "soon" if left <= SOON_DAYS else ""
        text = ngettext("剩 %(n)d 天", "剩 %(n)d 天", left) % {"n": left}
    mark = ""
    if provisional:
        mark = format_html(
            ' <span class="provisional" title="{}">*</span>',
            _("暂定：该年度节假日安排未公布，按周一至周五计算"),
        )
    return format_html('<span class="time-left {}">{}</span>{}', css, text, mark)


@register.filter
def is_overdue(due) -> bool:
    left = days_left(due)
    return left is not None and left < 0


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None drops one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def nav_class(context, *prefixes: str) -> str:
    name = getattr(context["request"].resolver_match, "url_name", "") or ""
    return "active" if any(name.startswith(p) for p in prefixes) else ""


_fragments: dict = {}
FRAGMENTS_KEPT = 2000


@register.simple_tag(takes_context=True)
def fragment(context, template_name: str, *key):
    """`template_name` rendered once per process for the language, the URL
    prefix and `key`, then reused (issue 8: the top bar's links, a dozen
    {% url %} and {% translate %}, were a quarter of every page's template
    time). The fragment must read nothing but what `key` names: never
    personal data, a token or anything else of one user."""
    frozen = tuple(
        tuple(sorted(k)) if isinstance(k, set | frozenset) else k for k in key
    )
    found_key = (template_name, get_language(), get_script_prefix(), frozen)
    html = _fragments.get(found_key)
    if html is None:
        if len(_fragments) >= FRAGMENTS_KEPT:
            _fragments.clear()
        template = context.template.engine.get_template(template_name)
        html = _fragments[found_key] = template.render(context)
    return html


@register.filter
def masked_name(complainant) -> str:
    """A complainant's name as lists show it: organisations in full, people masked."""
    from kesu import privacy
    from kesu.complaints.models import ComplainantKind

    if complainant is None:
        return ""
    if complainant.kind == ComplainantKind.ORGANISATION:
        return complainant.name
    return privacy.mask_name(complainant.name)


@register.filter
def mask(value, kind: str) -> str:
    from kesu import privacy

    func = {
        "id": privacy.mask_id_number,
        "phone": privacy.mask_phone,
        "name": privacy.mask_name,
        "address": privacy.mask_address,
        "policy": privacy.mask_policy_number,
    }[kind]
    return func(value or "")


@register.simple_tag
def code_label(table: str, code: str) -> str:
    from kesu.classification.selectors import code_name

    return code_name(table, code) if code else "—"


@register.filter
def delivery_label(code: str) -> str:
    from ..forms.actions import DELIVERY

    return str(dict(DELIVERY).get(code, code or "—"))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def state_label(value: str) -> str:
    from kesu.complaints.models import State

    try:
        return str(State(value).label)
    except ValueError:
        return value


def remember_unread_notifications(request, count: int) -> None:
    """A view that counted the user's unread notifications already (in a
    query of its own) spares the top bar its COUNT."""
    request._kesu_unread_notifications = count


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The top bar's unread count: one COUNT per request, kept on the request
    so a page that asks twice does not query twice."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return 0
    if not hasattr(request, "_kesu_unread_notifications"):
        request._kesu_unread_notifications = _unread_count(user)
    return request._kesu_unread_notifications


_unread_statements: dict = {}


def _unread_count(user) -> int:
    """notification_unread_count(user), its statement compiled once per user
    and database (issue 8: compiling it cost more than running it). Its
    queryset, notifications_unread(user), depends on the user's id only."""
    from django.db import connection

    from kesu.notifications.selectors import notifications_unread
    from kesu.roundtrip import counts_statement, run_counts

    key = (connection.alias, connection.vendor, user.pk)
    statement = _unread_statements.get(key)
    if statement is None:
        if len(_unread_statements) >= FRAGMENTS_KEPT:
            _unread_statements.clear()
        statement = counts_statement([(notifications_unread(user), None)])
        _unread_statements[key] = statement
    return run_counts(statement, kept=True)[0]


@register.simple_tag(takes_context=True)
def action_form(context, action: dict):
    """One offered action's <form> on the complaint page (web/action_forms.py)."""
    from ..action_forms import action_form_html

    return action_form_html(action, context["c"], context.get("csrf_token"))
