"""The periodic complaint report (S5.2, S6.2, S7.3; issue 6.1). Every figure is
an aggregate query over the viewer's scoped complaints; Python only arranges
the aggregated rows. Definitions (used by the page, Excel and PDF alike):

- volume: complaints received in the period (received_at, Asia/Shanghai days);
- decided: a decision was replied (replied_at set); on time: decided and never
  breached (breached_at empty); breaches: decision deadline missed (R1.8);
- accepted: volume less declined and merged; closing rate: closed, archived or
  withdrawn over accepted;
- liable rate: liable over cases with a liability ruling (S6.9);
- satisfaction rate: satisfied + fairly satisfied over those reached (S5.1)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kesu.complaints.models import (
    Breach,
    Complaint,
    Grade,
    Investigation,
    Liability,
    Source,
    State,
)
from kesu.organisation.models import Company

from ..labels import Labels
from ..periods import Period
from .buckets import bucket_index, lower_company_buckets
from .grouping import Groups, grouped_counts

DIMENSIONS = (
    # (key, complaint field, code table for labels)
    ("channel", "channel", "channel"),
    ("source", "source", "source"),
    ("product_type", "product_type", "product_type"),
    ("business_category", "business_category", "business_category"),
    ("cause", "cause", "cause"),
    ("responsible_link", "responsible_link", "responsible_link"),
)
NOTABLE_LIMIT = 10
NOTABLE_FIELDS = (  # what the list of notable cases shows
    "id",
    "number",
    "received_at",
    "grade",
    "escalated",
    "source",
    "state",
    "cause",
    "channel",
    "breached_at",
    "owning_company__name",
)
ENDED = (State.CLOSED, State.ARCHIVED, State.WITHDRAWN)
SATISFIED = ("satisfied", "fairly_satisfied")
REACHED = ("satisfied", "fairly_satisfied", "dissatisfied")


def _in(period: Period, prefix: str = "received_at") -> Q:
    return Q(**{f"{prefix}__gte": period.start, f"{prefix}__lt": period.end})


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class Row:
    code: str
    label: str
    count: int
    share: float | None = None
    cumulative: float | None = None  # Pareto
    extra: dict = field(default_factory=dict)


@dataclass
class ComplaintReport:
    company: Company
    period: Period
    headline: dict
    breakdowns: dict[str, list[Row]]
    departments: list[Row]
    lower_companies: list[Row]
    breaches_by_kind: list[Row]
    pareto: list[Row]
    monthly: list[Row]
    notable: list[Complaint]
    computed_at: object = None


HEADLINE_MEASURES = {
    "declined": Q(state=State.DECLINED),
    "merged": Q(state=State.MERGED),
    "ended": Q(state__in=ENDED),
    "decided": Q(replied_at__isnull=False),
    "decided_on_time": Q(replied_at__isnull=False, breached_at__isnull=True),
    "breached": Q(breached_at__isnull=False),
    "escalated": Q(escalated=True),
    "regulator": Q(source=Source.REGULATOR),
    "major": Q(grade__in=[Grade.MAJOR, Grade.DIFFICULT, Grade.GROUP]),
    "liable": Q(liability=Liability.LIABLE),
    "not_liable": Q(liability=Liability.NOT_LIABLE),
    "satisfied": Q(satisfaction="satisfied"),
    "fairly_satisfied": Q(satisfaction="fairly_satisfied"),
    "dissatisfied": Q(satisfaction="dissatisfied"),
    "unreachable": Q(satisfaction="unreachable"),
}
COMPANY = "owning_company_id"


def period_counts(current: QuerySet[Complaint]) -> Groups:
    """The period's complaints counted per dimension and per owning company
    (with the headline measures) in one pass (grouping.py)."""
    return grouped_counts(
        current,
        fields=(*(name for _key, name, _table in DIMENSIONS), COMPANY),
        measures=HEADLINE_MEASURES,
    )


def headline(per_company: dict[object, dict[str, int]], comparison: dict) -> dict:
    """The period's figures: the per-company counts added up (every case has
    exactly one owning company), and the two comparison periods' volumes."""
    row = {
        name: sum(c[name] for c in per_company.values())
        for name in ("n", *HEADLINE_MEASURES)
    }
    row["total"] = row.pop("n")
    row.update(comparison)
    accepted = row["total"] - row["declined"] - row["merged"]
    row.update(
        accepted=accepted,
        change_previous=rate(
            row["total"] - row["previous_total"], row["previous_total"]
        ),
        change_last_year=rate(
            row["total"] - row["last_year_total"], row["last_year_total"]
        ),
        closing_rate=rate(row["ended"], accepted),
        on_time_rate=rate(row["decided_on_time"], row["decided"]),
        liable_rate=rate(row["liable"], row["liable"] + row["not_liable"]),
        satisfaction_rate=rate(
            row["satisfied"] + row["fairly_satisfied"],
            row["satisfied"] + row["fairly_satisfied"] + row["dissatisfied"],
        ),
    )
    return row


def breakdown(
    counts: dict[str, dict[str, int]], table: str, labels: Labels, total: int
) -> list[Row]:
    """One dimension's rows, largest first (ties by code)."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1]["n"], item[0]))
    return [
        Row(
            code=code,
            label=labels.name(table, code),
            count=c["n"],
            share=rate(c["n"], total),
        )
        for code, c in ranked
    ]


def pareto(causes: list[Row]) -> list[Row]:
    """Top causes, largest first, with the cumulative share (80/20)."""
    ranked = [r for r in causes if r.code]
    total = sum(r.count for r in ranked)
    running, out = 0, []
    for r in ranked:
        running += r.count
        out.append(
            Row(
                code=r.code,
                label=r.label,
                count=r.count,
                share=rate(r.count, total),
                cumulative=rate(running, total),
            )
        )
    return out


def departments(current: QuerySet[Complaint], labels: Labels) -> list[Row]:
    """Investigations of the period's complaints, by kind of department."""
    rows = (
        Investigation.objects.filter(complaint__in=current.values("id"))
        .values("department__kind")
        .annotate(
            n=Count("id"),
            cases=Count("complaint", distinct=True),
            returned=Count("id", filter=Q(return_count__gt=0)),
            breached=Count("id", filter=Q(breached_at__isnull=False)),
        )
        .order_by("-n", "department__kind")
    )
    return [
        Row(
            code=r["department__kind"],
            label=labels.name("department_kind", r["department__kind"]),
            count=r["n"],
            extra={
                "cases": r["cases"],
                "returned": r["returned"],
                "breached": r["breached"],
                "return_rate": rate(r["returned"], r["n"]),
            },
        )
        for r in rows
    ]


def lower_companies(
    per_company: dict[object, dict[str, int]], company: Company
) -> list[Row]:
    """The company's own cases and each direct child's subtree, added up from
    the per-owning-company counts."""
    buckets = lower_company_buckets(company, include_own=True)
    paths = dict(
        Company.objects.filter(pk__in=list(per_company)).values_list("pk", "path")
    )
    totals = [
        dict.fromkeys(("n", "ended", "breached", "escalated"), 0) for _ in buckets
    ]
    for company_id, counts in per_company.items():
        i = bucket_index(buckets, company_id, paths.get(company_id, ""))
        if i is not None:
            for name in totals[i]:
                totals[i][name] += counts[name]
    return [
        Row(code=b.company.code, label=b.company.name, count=t.pop("n"), extra=t)
        for b, t in zip(buckets, totals, strict=True)
    ]


def breaches_by_kind(scoped: QuerySet[Complaint], period: Period) -> list[Row]:
    """Breaches recorded in the period (any deadline), whatever the receipt date."""
    rows = (
        Breach.objects.filter(
            complaint__in=scoped.values("id"),
            recorded_at__gte=period.start,
            recorded_at__lt=period.end,
        )
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    names = dict(Breach.Kind.choices)
    return [
        Row(code=r["kind"], label=str(names.get(r["kind"], r["kind"])), count=r["n"])
        for r in rows
    ]


def trend(scoped: QuerySet[Complaint], period: Period) -> tuple[list[Row], dict]:
    """Volume per month over the twelve months up to the period's end (trend
    chart), and the volumes of the previous and the same period last year:
    conditional counts over one range of the received_at index, which
    PostgreSQL answers from the index alone (no per-row date arithmetic)."""
    months = [Period("month", period.last_day.replace(day=1))]
    while len(months) < 12:
        months.insert(0, months[0].previous())
    previous, last_year = period.previous(), period.same_period_last_year()
    first = min(months[0].start, previous.start, last_year.start)
    counts = scoped.filter(
        received_at__gte=first, received_at__lt=period.end
    ).aggregate(
        previous_total=Count("received_at", filter=_in(previous)),
        last_year_total=Count("received_at", filter=_in(last_year)),
        **{f"m{i}": Count("received_at", filter=_in(m)) for i, m in enumerate(months)},
    )
    rows = [
        Row(code=m.key, label=m.key, count=counts.pop(f"m{i}"))
        for i, m in enumerate(months)
    ]
    return rows, counts


def notable(current: QuerySet[Complaint]) -> list[Complaint]:
    """Major/difficult/group, escalated, regulator-transferred or breached cases."""
    return list(
        current.filter(
            Q(grade__in=[Grade.MAJOR, Grade.DIFFICULT, Grade.GROUP])
            | Q(escalated=True)
            | Q(source=Source.REGULATOR)
            | Q(breached_at__isnull=False)
        )
        .select_related("owning_company")
        .only(*NOTABLE_FIELDS)
        .order_by("-received_at", "-id")[:NOTABLE_LIMIT]
    )


def complaint_report(
    *,
    scoped: QuerySet[Complaint],
    company: Company,
    period: Period,
    progress: Callable[[int, str], None] = lambda *_: None,
) -> ComplaintReport:
    """`scoped`: the viewer's complaints within `company`'s subtree (access.py).
    `progress(percent, step)` is told before each long step."""
    labels = Labels()
    current = scoped.filter(_in(period))
    progress(5, _("统计本期投诉"))
    groups = period_counts(current)
    progress(50, _("统计近十二个月趋势"))
    monthly, comparison = trend(scoped, period)
    head = headline(groups[COMPANY], comparison)
    dims = {
        key: breakdown(groups[field_name], table, labels, head["total"])
        for key, field_name, table in DIMENSIONS
    }
    progress(65, _("统计涉案部门"))
    by_department = departments(current, labels)
    progress(85, _("统计超时与重点案件"))
    return ComplaintReport(
        company=company,
        period=period,
        headline=head,
        breakdowns=dims,
        departments=by_department,
        lower_companies=lower_companies(groups[COMPANY], company),
        breaches_by_kind=breaches_by_kind(scoped, period),
        pareto=pareto(dims["cause"]),
        monthly=monthly,
        notable=notable(current),
    )
