"""Dashboard for heads and management (DESIGN §6, §8): open, due soon,
overdue and breaches, by company and by department, charts as inline SVG.
Counts are grouped in the database from the scoped queryset; they are
computed at most once a minute per scope (every figure is over all open
cases: a third of a second at head office with a million complaints)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kesu.accounts.roles import Perm
from kesu.complaints.access import complaint_scope, complaint_scope_key
from kesu.complaints.lifecycle import OPEN_INVESTIGATION, OPEN_STATES
from kesu.complaints.models import Breach, Investigation
from kesu.organisation.models import Company

from ..charts import stacked_bars
from ..templatetags.kesu_web import SOON_DAYS
from .perms import require_perm


def _counts(qs, today):
    soon = today + dt.timedelta(days=SOON_DAYS)
    return {
        "open": Count("id"),
        "overdue": Count("id", filter=Q(due_date__lt=today)),
        "soon": Count("id", filter=Q(due_date__gte=today, due_date__lte=soon)),
    }


def _by_company(user, open_cases, today) -> list[dict]:
    """Open cases rolled up to the user's company and the level below it."""
    base = user.company
    rows = open_cases.values("owning_company__path").annotate(
        **_counts(open_cases, today)
    )
    children = {c.path: c for c in Company.objects.filter(parent=base)}
    totals: dict[str, dict] = {}
    for row in rows:
        path = row["owning_company__path"]
        key = next((p for p in children if path.startswith(p)), base.path)
        name = (
            children[key].name if key in children else _("%(c)s本级") % {"c": base.name}
        )
        t = totals.setdefault(key, {"name": name, "open": 0, "overdue": 0, "soon": 0})
        for k in ("open", "overdue", "soon"):
            t[k] += row[k]
    return sorted(totals.values(), key=lambda t: -t["open"])


def _in_scope(scope) -> Q:
    """Rows of cases in `scope`. Head office's scope has no condition: no
    semi-join over every case's id (1 s of the dashboard at a million)."""
    return Q(complaint__in=scope) if scope.query.where else Q()


def _by_department(user, scope, today) -> list[dict]:
    qs = (
        Investigation.objects.filter(
            _in_scope(scope),
            status__in=OPEN_INVESTIGATION,
            complaint__state__in=OPEN_STATES,
        )
        .values("department__company__name", "department__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("-open")[:15]
    )
    return [
        {
            "name": f"{r['department__company__name']}·{r['department__name']}",
            "open": r["open"],
            "overdue": r["overdue"],
        }
        for r in qs
    ]


def _chart(rows, *, with_soon=True):
    data = []
    for r in rows:
        soon = r.get("soon", 0) if with_soon else 0
        parts = [
            (r["open"] - r["overdue"] - soon, "open"),
            (soon, "soon"),
            (r["overdue"], "overdue"),
        ]
        data.append((r["name"], parts))
    return stacked_bars(data, label_width=190)


# D: the figures of a scope are computed at most once a minute (shared
# cache: Redis in production) and the page says when.
FIGURES_SECONDS = getattr(settings, "KESU_DASHBOARD_CACHE_SECONDS", 60)


def _figures(user, today) -> dict:
    scope = complaint_scope(user)
    open_cases = scope.filter(state__in=OPEN_STATES)
    totals = open_cases.aggregate(**_counts(open_cases, today))
    # A datetime range, not __date: the indexed column is compared directly.
    month_start = timezone.make_aware(
        dt.datetime.combine(today.replace(day=1), dt.time())
    )
    breaches = Breach.objects.filter(
        _in_scope(scope), recorded_at__gte=month_start
    ).count()
    received = scope.filter(received_at__gte=month_start).count()
    companies = _by_company(user, open_cases, today)
    departments = _by_department(user, scope, today)
    return {
        "totals": totals,
        "breaches": breaches,
        "received": received,
        "companies": companies,
        "departments": departments,
        "company_chart": _chart(companies),
        "department_chart": _chart(departments, with_soon=False),
        "computed_at": timezone.now(),
    }


def dashboard_figures(user, today) -> dict:
    """The figures of the user's scope, shared by every user who sees exactly
    the same cases (complaint_scope_key) and the same company breakdown."""
    key = ":".join(
        (
            "dashboard",
            complaint_scope_key(user),
            str(user.company_id),
            get_language() or "",
            today.isoformat(),
        )
    )
    figures = cache.get(key)
    if figures is None:
        figures = _figures(user, today)
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


@login_required
@require_perm(Perm.REPORT_VIEW)
def dashboard(request):
    today = timezone.localdate()
    return render(
        request,
        "web/dashboard.html",
        {
            **dashboard_figures(request.user, today),
            "today": today,
            "soon_until": today + dt.timedelta(days=SOON_DAYS),
            "refresh_seconds": FIGURES_SECONDS,
        },
    )
