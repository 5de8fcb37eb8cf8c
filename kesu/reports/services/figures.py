"""Report pages read stored figures; the counting runs in the background
(issue 6.5: nothing blocks a web worker for more than a couple of seconds).

A page asks `stored_figures_for`: fresh figures are shown at once; missing or
stale ones are computed in the background (background.py: a Celery worker,
or a thread in the embedded default) while the page shows progress.
Figures are stored per kind, company, period and scope (access.report_scope),
so viewers who count the same cases share them and no one sees figures
counted over cases they may not see. One computation per entry at a time: it
is started with a compare-and-set update, and a second viewer joins it.

Freshness (D, configurable): figures of a period that has not ended are
recounted when older than KESU_REPORT_FRESH_MINUTES (10); figures counted
after the period ended, when older than KESU_REPORT_PAST_FRESH_HOURS (24),
since late closings and follow-ups still change them. The scheduled periodic
report stores every company's figures when a period ends (periodic.py), and
anyone may ask for a recount ("refresh")."""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.organisation.models import Company

from ..access import ALL, report_scope, scoped_complaints
from ..models import StoredFigures
from ..periods import Period, period_parse
from .background import background_run
from .jobs import MAX_ATTEMPTS, PICKUP_AFTER, STALE_AFTER

log = logging.getLogger(__name__)
Status = StoredFigures.Status


def fresh_for(period: Period, computed_at: dt.datetime) -> dt.timedelta:
    if computed_at >= period.end:
        return dt.timedelta(hours=settings.KESU_REPORT_PAST_FRESH_HOURS)
    return dt.timedelta(minutes=settings.KESU_REPORT_FRESH_MINUTES)


def is_fresh(entry: StoredFigures, period: Period) -> bool:
    if entry.figures is None or entry.computed_at is None:
        return False
    return timezone.now() - entry.computed_at < fresh_for(period, entry.computed_at)


def stored_figures_for(
    *, user, kind: str, company: Company, period: Period, start: bool = True
) -> StoredFigures:
    """The viewer's entry (the caller has checked `company` with
    report_company_for). Unless its figures are fresh, their computation is
    started (or joined) when `start`; a progress poll passes start=False."""
    entry = stored_figures_entry(
        kind=kind, company=company, period=period, scope=report_scope(user, company)
    )
    if start and not is_fresh(entry, period):
        stored_figures_recount(entry)
    return entry


def is_ready(entry: StoredFigures, period: Period) -> bool:
    """Fresh figures and no recount under way: what a page shows."""
    return is_fresh(entry, period) and not entry.is_computing


def stored_figures_entry(
    *, kind: str, company: Company, period: Period, scope: str
) -> StoredFigures:
    key = {"kind": kind, "company": company, "period_key": period.key, "scope": scope}
    entry = StoredFigures.objects.filter(**key).first()
    if entry is not None:
        return entry
    try:
        with transaction.atomic():
            # created failed-and-empty: the recount below claims it like any other
            return StoredFigures.objects.create(**key, status=Status.FAILED)
    except IntegrityError:  # another request created it at the same moment
        return StoredFigures.objects.get(**key)


def stored_figures_recount(entry: StoredFigures, *, dispatch: bool = True) -> bool:
    """Start a computation unless one is under way (compare-and-set: of two
    requests at once, one starts it and the other joins). True if started;
    it then runs in the background after commit, or is run by the caller
    (dispatch=False)."""
    now = timezone.now()
    started = (
        StoredFigures.objects.filter(pk=entry.pk)
        .exclude(status__in=[Status.QUEUED, Status.RUNNING])
        .update(
            status=Status.QUEUED,
            progress=0,
            step="",
            error="",
            attempts=0,
            requested_at=now,
        )
    )
    entry.refresh_from_db()
    if started and dispatch:
        transaction.on_commit(lambda: _dispatch(entry.pk))
    return bool(started)


def _dispatch(pk: int) -> None:
    background_run(
        stored_figures_compute,
        task="kesu.reports.tasks.compute_stored_figures",
        pk=pk,
        queue="figures",
    )


def _claim(pk: int) -> bool:
    now = timezone.now()
    return bool(
        StoredFigures.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            progress=1,
        )
    )


def _progress(pk: int, percent: int, step: str = "") -> None:
    StoredFigures.objects.filter(pk=pk, status=Status.RUNNING).update(
        progress=max(1, min(percent, 99)),
        step=step[:100],
        heartbeat_at=timezone.now(),
    )


def stored_figures_compute(pk: int) -> None:
    """Count and store the entry's figures. Never raises: a failure is stored
    on the entry (the figures counted before are kept)."""
    from ..figures import figures_compute

    if not _claim(pk):
        return
    entry = StoredFigures.objects.select_related("company").filter(pk=pk).first()
    if entry is None:  # removed since it was claimed: nothing to count
        return
    started = timezone.now()
    try:
        figures = figures_compute(
            entry.kind,
            scoped=scoped_complaints(entry.company, entry.scope),
            company=entry.company,
            period=period_parse(entry.period_key),
            progress=lambda p, s="": _progress(pk, p, s),
        )
    except Exception:  # stored for the viewer; the runner goes on
        log.exception("stored figures %s failed", pk)
        StoredFigures.objects.filter(pk=pk).update(
            status=Status.FAILED, error=_("统计失败，请稍后重试或联系管理员")
        )
        return
    StoredFigures.objects.filter(pk=pk).update(
        status=Status.DONE,
        progress=100,
        step="",
        figures=figures,
        computed_at=started,  # counted from this moment's data
    )


def stored_figures_compute_now(
    *, kind: str, company: Company, period: Period
) -> StoredFigures:
    """For the scheduler (already in the background): count the figures of
    the company's whole scope now, e.g. when a period has just ended (unless
    someone else is counting them at this moment)."""
    entry = stored_figures_entry(kind=kind, company=company, period=period, scope=ALL)
    if stored_figures_recount(entry, dispatch=False):
        stored_figures_compute(entry.pk)
        entry.refresh_from_db()
    return entry


def stored_figures_recover() -> int:
    """Scheduler sweep, as for report jobs: computations whose runner died
    (no heartbeat for STALE_AFTER) are queued again, or given up after
    MAX_ATTEMPTS; queued ones nobody picked up are run. Returns how many."""
    now = timezone.now()
    stale = StoredFigures.objects.filter(
        status=Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, error=_("多次统计中断，已停止重试")
    )
    stale.filter(attempts__lt=MAX_ATTEMPTS).update(status=Status.QUEUED)
    waiting = list(
        StoredFigures.objects.filter(
            status=Status.QUEUED, requested_at__lt=now - PICKUP_AFTER
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)[:20]
    )
    for pk in waiting:
        stored_figures_compute(pk)
    return len(waiting)
