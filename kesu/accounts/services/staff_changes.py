"""人员调整报送 (S7.9): "when the handler or coordinator posts of a customer
service centre change, report it to the parent company's customer service
within seven working days of the change"."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.audit.services import audit_record
from kesu.errors import Conflict, Forbidden, NotFound
from kesu.freshness import REMINDERS, touch
from kesu.organisation.models import Company, Department, Level
from kesu.sla.calendar import add_working_days

from ..access import can, staff_change_report_scope
from ..models import StaffChangeReport, User, UserRole
from ..roles import Perm, Role

# S7.9 concerns these posts, in a city's (or county's) customer-service centre.
REPORTED_ROLES = (Role.HANDLER, Role.COORDINATOR)

Post = tuple[int, int | None, str]  # (company id, department id, role)


def staff_posts(user: User) -> frozenset[Post]:
    """The reportable posts `user` holds as saved: read from the database,
    since a form may already have changed the object in memory."""
    saved = (
        User.objects.filter(pk=user.pk)
        .values("is_active", "company_id", "department_id")
        .first()
    )
    if saved is None or not saved["is_active"] or saved["company_id"] is None:
        return frozenset()
    roles = UserRole.objects.filter(user_id=user.pk, role__in=REPORTED_ROLES)
    return frozenset(
        (saved["company_id"], saved["department_id"], r)
        for r in roles.values_list("role", flat=True)
    )


def _due(changed_at):
    return add_working_days(changed_at, settings.KESU["STAFF_CHANGE_WORKING_DAYS"])


def _line(user: User, change: str, post: Post, departments: dict) -> dict:
    dept = departments.get(post[1])
    return {
        "user_id": user.pk,
        "username": user.username,
        "full_name": user.full_name or user.username,
        "change": change,
        "role": post[2],
        "department": dept.name if dept else "",
    }


def _summary(lines: list[dict]) -> str:
    words = {"added": _("新任"), "removed": _("不再担任")}
    return "；".join(
        f"{ln['full_name']}（{ln['username']}）{words[ln['change']]}"
        f"{Role(ln['role']).label}"
        + (f"（{ln['department']}）" if ln["department"] else "")
        for ln in lines
    )


def staff_change_record(
    *, actor: User | None, user: User, before: frozenset[Post]
) -> list[StaffChangeReport]:
    """Called by every user service after its change: one report per city
    whose customer-service posts changed, due in 7 working days (S7.9)."""
    after = staff_posts(user)
    diff = [("removed", p) for p in before - after] + [
        ("added", p) for p in after - before
    ]
    if not diff:
        return []
    companies = Company.objects.in_bulk({p[0] for _c, p in diff})
    departments = Department.objects.in_bulk({p[1] for _c, p in diff if p[1]})
    by_company: dict[int, list[dict]] = defaultdict(list)
    for change, post in sorted(diff, key=lambda d: (d[1][0], d[0], d[1][2])):
        company = companies[post[0]]
        if company.level >= Level.CITY and company.parent_id:
            by_company[company.pk].append(_line(user, change, post, departments))
    now = timezone.now()
    due = _due(now)
    reports = [
        StaffChangeReport.objects.create(
            company=companies[pk],
            addressed_to_id=companies[pk].parent_id,
            changed_at=now,
            changes=lines,
            summary=_summary(lines),
            due_date=due.date,
            due_provisional=due.provisional,
            created_by=actor,
        )
        for pk, lines in by_company.items()
    ]
    for report in reports:
        audit_record(action="accounts.staff_change_reported", user=actor, obj=report)
    touch(REMINDERS)  # a report to submit: the workbench's reminders
    return reports


@transaction.atomic
def report_submit(*, actor: User, report_id: int, note: str = "") -> StaffChangeReport:
    """The city's customer service submits the report to the parent (S7.9)."""
    report = staff_change_report_scope(actor).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("未找到该人员调整报送"))
    if actor.company_id != report.company_id or not can(actor, Perm.COMPLAINT_HANDLE):
        raise Forbidden(_("只有报送机构的客户服务人员可以报送"))
    now = timezone.now()
    updated = StaffChangeReport.objects.filter(
        pk=report.pk, submitted_at__isnull=True
    ).update(submitted_at=now, submitted_by=actor, submission_note=note)
    if not updated:  # compare-and-set: submitted twice, or by a colleague first
        raise Conflict(_("该人员调整已经报送"))
    report.refresh_from_db()
    audit_record(action="accounts.staff_change_submitted", user=actor, obj=report)
    touch(REMINDERS)
    return report


def staff_change_recompute_provisional() -> int:
    """KESU_PROVISIONAL_RECOMPUTERS: recompute the open reports whose due
    date was provisional, once the year's calendar is entered (DESIGN §4)."""
    count = 0
    open_reports = StaffChangeReport.objects.filter(
        due_provisional=True, submitted_at__isnull=True
    )
    for report in open_reports.only("pk", "changed_at", "due_date"):
        due = _due(report.changed_at)
        report.due_date, report.due_provisional = due.date, due.provisional
        report.save(update_fields=["due_date", "due_provisional"])
        count += 1
    return count
