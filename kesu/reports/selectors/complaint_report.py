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

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

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
from .buckets import count_per_bucket, lower_company_buckets

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


def headline(period_qs: QuerySet[Complaint], period: Period) -> dict:
    """One query for the period's figures and the two comparison periods."""
    cur = _in(period)
    prev, last_year = period.previous(), period.same_period_last_year()

    def c(q: Q | None = None) -> Count:
        return Count("id", filter=cur & q if q is not None else cur)

    row = period_qs.filter(cur | _in(prev) | _in(last_year)).aggregate(
        total=c(),
        previous_total=Count("id", filter=_in(prev)),
        last_year_total=Count("id", filter=_in(last_year)),
        declined=c(Q(state=State.DECLINED)),
        merged=c(Q(state=State.MERGED)),
        ended=c(Q(state__in=ENDED)),
        decided=c(Q(replied_at__isnull=False)),
        decided_on_time=c(Q(replied_at__isnull=False, breached_at__isnull=True)),
        breached=c(Q(breached_at__isnull=False)),
        escalated=c(Q(escalated=True)),
        regulator=c(Q(source=Source.REGULATOR)),
        major=c(Q(grade__in=[Grade.MAJOR, Grade.DIFFICULT, Grade.GROUP])),
        liable=c(Q(liability=Liability.LIABLE)),
        not_liable=c(Q(liability=Liability.NOT_LIABLE)),
        satisfied=c(Q(satisfaction="satisfied")),
        fairly_satisfied=c(Q(satisfaction="fairly_satisfied")),
        dissatisfied=c(Q(satisfaction="dissatisfied")),
        unreachable=c(Q(satisfaction="unreachable")),
    )
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
    current: QuerySet[Complaint],
    field_name: str,
    table: str,
    labels: Labels,
    total: int,
) -> list[Row]:
    rows = current.values(field_name).annotate(n=Count("id")).order_by("-n", field_name)
    return [
        Row(
            code=r[field_name],
            label=labels.name(table, r[field_name]),
            count=r["n"],
            share=rate(r["n"], total),
        )
        for r in rows
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


def lower_companies(current: QuerySet[Complaint], company: Company) -> list[Row]:
    """The company's own cases and each direct child's subtree, in one query."""
    buckets = lower_company_buckets(company, include_own=True)
    counts = count_per_bucket(
        current,
        buckets,
        "owning_company",
        {
            "n": Q(),
            "ended": Q(state__in=ENDED),
            "breached": Q(breached_at__isnull=False),
            "escalated": Q(escalated=True),
        },
    )
    return [
        Row(code=b.company.code, label=b.company.name, count=c.pop("n"), extra=c)
        for b, c in zip(buckets, counts, strict=True)
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


def monthly(scoped: QuerySet[Complaint], period: Period) -> list[Row]:
    """Volume per month over the twelve months up to the period's end (trend
    chart): twelve conditional counts over one index range, no per-row date
    arithmetic."""
    months = [Period("month", period.last_day.replace(day=1))]
    for _ in range(11):
        months.insert(0, months[0].previous())
    counts = scoped.filter(
        received_at__gte=months[0].start, received_at__lt=period.end
    ).aggregate(
        # counting the indexed column lets PostgreSQL answer from the index alone
        **{f"m{i}": Count("received_at", filter=_in(m)) for i, m in enumerate(months)}
    )
    return [
        Row(code=m.key, label=m.key, count=counts[f"m{i}"])
        for i, m in enumerate(months)
    ]


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
        .only(
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
        .order_by("-received_at", "-id")[:NOTABLE_LIMIT]
    )


def complaint_report(
    *, scoped: QuerySet[Complaint], company: Company, period: Period
) -> ComplaintReport:
    """`scoped`: the viewer's complaints within `company`'s subtree (access.py)."""
    labels = Labels()
    head = headline(scoped, period)
    current = scoped.filter(_in(period))
    dims = {
        key: breakdown(current, field_name, table, labels, head["total"])
        for key, field_name, table in DIMENSIONS
    }
    return ComplaintReport(
        company=company,
        period=period,
        headline=head,
        breakdowns=dims,
        departments=departments(current, labels),
        lower_companies=lower_companies(current, company),
        breaches_by_kind=breaches_by_kind(scoped, period),
        pareto=pareto(dims["cause"]),
        monthly=monthly(scoped, period),
        notable=notable(current),
    )


CACHE_SECONDS = 300


def complaint_report_cached(
    *, scoped: QuerySet[Complaint], company: Company, period: Period
) -> ComplaintReport:
    """The web page's report, kept for CACHE_SECONDS: a head-office year at a
    million complaints takes seconds to count, and management opens the same
    report many times. The key is the scoped query's SQL itself, so two
    viewers share an entry only if they see exactly the same cases."""
    signature = f"{scoped.query}|{company.pk}|{period.key}|{get_language()}"
    key = "reports:complaint:" + hashlib.sha256(signature.encode()).hexdigest()
    report = cache.get(key)
    if report is None:
        report = complaint_report(scoped=scoped, company=company, period=period)
        report.computed_at = timezone.now()
        cache.set(key, report, CACHE_SECONDS)
    return report
