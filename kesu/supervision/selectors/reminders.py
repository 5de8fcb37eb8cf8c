"""Pending supervision work for the workbench (S4, S3.1, S5.1, S6.10, S7.9,
R1.12a): `supervision_reminders_for(user)` is what the ui shows."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kesu.accounts.access import can
from kesu.accounts.models import StaffChangeReport
from kesu.accounts.roles import Perm
from kesu.freshness import REMINDERS, cached
from kesu.organisation.models import Level

from ..models import LiabilityAudit, Rectification, SatisfactionSample
from ..periods import half_year, half_year_of, previous_half_year
from .registers import rectification_scope

# D: how often head office and provinces sample (S5.1) and provinces check
# not-liable closures (S6.10), in days; configurable in settings.
SAMPLING_INTERVAL_DAYS = getattr(settings, "KESU_SAMPLING_INTERVAL_DAYS", 30)
AUDIT_INTERVAL_DAYS = getattr(settings, "KESU_LIABILITY_AUDIT_INTERVAL_DAYS", 90)


@dataclass(frozen=True)
class Reminder:
    kind: str
    title: str
    url: str
    due: dt.date | None = None
    overdue: bool = False
    count: int = 1


def _last_drawn(model, company) -> dt.date | None:
    last = model.objects.filter(company=company).order_by("-drawn_at").first()
    return timezone.localtime(last.drawn_at).date() if last else None


def _interval_due(model, company, days: int, today: dt.date) -> dt.date | None:
    """The date a new draw is due, or None when the last one is recent enough."""
    last = _last_drawn(model, company)
    due = (last + dt.timedelta(days=days)) if last else today
    return due if due <= today else None


def _meeting_reminders(user, today: dt.date) -> list[Reminder]:
    """S3.1: this half-year's meeting not yet scheduled; the last half-year
    ended without one held (flagged as overdue)."""
    from kesu.committee.access import is_office
    from kesu.committee.models import JointMeeting
    from kesu.committee.selectors.meetings import joint_meeting_states

    company = user.company
    if not is_office(user, company):
        return []
    url = reverse("committee:meetings")
    now, last = half_year_of(today), previous_half_year(*half_year_of(today))
    states = joint_meeting_states(company, [now, last])
    found = []
    if not states[now]:
        found.append(
            Reminder(
                "joint_meeting_due",
                _("本半年度联席会议尚未安排"),
                url,
                due=half_year(*now).end,
            )
        )
    if JointMeeting.Status.HELD not in states[last]:
        found.append(
            Reminder(
                "joint_meeting_missed",
                _("上一半年度未召开联席会议"),
                url,
                due=half_year(*last).end,
                overdue=True,
            )
        )
    return found


def _sampling_reminders(user, today: dt.date) -> list[Reminder]:
    company = user.company
    if (
        not can(user, Perm.SUPERVISION_MANAGE, company)
        or company.level > Level.PROVINCE
    ):
        return []
    found = []
    due = _interval_due(SatisfactionSample, company, SAMPLING_INTERVAL_DAYS, today)
    if due:
        found.append(
            Reminder(
                "sampling_due",
                _("满意度抽查到期"),
                reverse("supervision:samples"),
                due=due,
            )
        )
    if company.level == Level.PROVINCE:
        due = _interval_due(LiabilityAudit, company, AUDIT_INTERVAL_DAYS, today)
        if due:
            found.append(
                Reminder(
                    "liability_audit_due",
                    _("无责案件真实性抽查到期"),
                    reverse("supervision:audits"),
                    due=due,
                )
            )
    return found


def _staff_change_reminders(user, today: dt.date) -> list[Reminder]:
    """S7.9: unsubmitted reports of the user's company, and overdue ones
    addressed to it by lower companies (one query for both)."""
    company = user.company
    if not can(user, Perm.SUPERVISION_MANAGE, company):
        return []
    own, late = Q(company=company), Q(addressed_to=company, due_date__lt=today)
    pending = StaffChangeReport.objects.filter(own | late, submitted_at__isnull=True)
    figures = pending.aggregate(
        own_due=Min("due_date", filter=own), late=Count("id", filter=late)
    )
    found = []
    if figures["own_due"]:
        found.append(
            Reminder(
                "staff_change_report_due",
                _("人员调整待报送"),
                reverse("web:workbench"),
                due=figures["own_due"],
                overdue=figures["own_due"] < today,
            )
        )
    if figures["late"]:
        found.append(
            Reminder(
                "staff_change_report_overdue",
                _("下级机构人员调整报送逾期"),
                reverse("web:workbench"),
                overdue=True,
                count=figures["late"],
            )
        )
    return found


def _work_reminders(user, today: dt.date) -> list[Reminder]:
    from kesu.committee.selectors.deliberations import deliberations_awaiting_opinion

    found = []
    items = rectification_scope(user)
    mine = items.filter(
        department_id=user.department_id, status=Rectification.Status.OPEN
    )
    for item in mine.order_by("due_date")[:20]:
        found.append(
            Reminder(
                "rectification_open",
                _("溯源整改待完成：%(a)s") % {"a": item.action[:30]},
                reverse("supervision:rectifications"),
                due=item.due_date,
                overdue=item.due_date < today,
            )
        )
    if can(user, Perm.SUPERVISION_MANAGE, user.company):
        n = items.filter(
            company=user.company, status=Rectification.Status.REPORTED
        ).count()
        if n:
            found.append(
                Reminder(
                    "rectification_to_check",
                    _("溯源整改待验收"),
                    reverse("supervision:rectifications"),
                    count=n,
                )
            )
    n = deliberations_awaiting_opinion(user).count()
    if n:
        found.append(
            Reminder(
                "deliberation_opinion_due",
                _("协调委员会征求意见待回复"),
                reverse("committee:deliberations"),
                count=n,
            )
        )
    return found


def supervision_reminders_for(user, *, today: dt.date | None = None) -> list[Reminder]:
    """S4: pending supervision work of `user`, most urgent first."""
    if not (user.is_authenticated and user.is_active and user.company_id):
        return []
    today = today or timezone.localdate()
    found = (
        _meeting_reminders(user, today)
        + _sampling_reminders(user, today)
        + _staff_change_reminders(user, today)
        + _work_reminders(user, today)
    )
    return sorted(found, key=lambda r: (not r.overdue, r.due or dt.date.max, r.kind))


# How long a user's reminders are reused (they also expire at once when a
# supervision, committee or staff-change write touches freshness.REMINDERS).
REMINDERS_SECONDS = getattr(settings, "KESU_REMINDERS_CACHE_SECONDS", 60)


def supervision_reminders_cached(user) -> list[Reminder]:
    """supervision_reminders_for(user), computed at most once a minute per
    user and language while nothing they count changes (kesu.freshness)."""
    if not (user.is_authenticated and user.is_active and user.company_id):
        return []
    today = timezone.localdate()
    roles = ",".join(sorted(user.role_set))
    key = (
        f"reminders:{user.pk}:{user.company_id}:{user.department_id}:{roles}:"
        f"{get_language()}:{today}"
    )
    return cached(
        REMINDERS,
        key,
        REMINDERS_SECONDS,
        lambda: supervision_reminders_for(user, today=today),
    )
