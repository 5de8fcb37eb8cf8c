"""Assessment scorecards (考核; S5.1, S5.3, S6.1; issue 6.2). The raw metrics
of every ranked company (or department) come from a fixed number of aggregate
queries; scoring applies head office's weights and formulas to them.

Metrics over the complaints received in the period (as in the report):
on-time rate, escalation rate, liable rate, satisfaction rate; over their
investigations: re-investigation rate (returned at least once); recorded in
the period: breaches, public notices (S4), revisions after authenticity
checks (S6.10). Notices and revisions are read from supervision's tables as
one grouped count each (their per-company selectors would cost a query per
company and do not add up a subtree)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from kesu.complaints.models import Breach, Complaint, Investigation, Liability
from kesu.organisation.models import Company, Department
from kesu.supervision.models import LiabilityAuditItem, PublicNotice

from ..models import AssessmentMetric, Formula, Metric
from ..periods import Period
from .buckets import Bucket, count_per_bucket, lower_company_buckets
from .complaint_report import REACHED, SATISFIED, rate

COMPLAINT_MEASURES = {
    "total": Q(),
    "decided": Q(replied_at__isnull=False),
    "decided_on_time": Q(replied_at__isnull=False, breached_at__isnull=True),
    "escalated": Q(escalated=True),
    "liable": Q(liability=Liability.LIABLE),
    "ruled": Q(liability__in=[Liability.LIABLE, Liability.NOT_LIABLE]),
    "satisfied": Q(satisfaction__in=SATISFIED),
    "reached": Q(satisfaction__in=REACHED),
}
INVESTIGATION_MEASURES = {"investigations": Q(), "returned": Q(return_count__gt=0)}


@dataclass
class Scorecard:
    name: str
    company: Company
    department: Department | None
    counts: dict
    metrics: dict = field(default_factory=dict)
    score: Decimal = Decimal("0")
    rank: int = 0


def metrics_from_counts(c: dict) -> dict:
    return {
        Metric.ON_TIME_RATE: rate(c["decided_on_time"], c["decided"]),
        Metric.REINVESTIGATION_RATE: rate(c["returned"], c["investigations"]),
        Metric.ESCALATION_RATE: rate(c["escalated"], c["total"]),
        Metric.LIABLE_RATE: rate(c["liable"], c["ruled"]),
        Metric.SATISFACTION_RATE: rate(c["satisfied"], c["reached"]),
        Metric.BREACHES: c["breaches"],
        Metric.PUBLIC_NOTICES: c["public_notices"],
        Metric.REVISIONS: c["revisions"],
    }


def subscore(setting: AssessmentMetric, value) -> Decimal:
    """0–100 for one metric. A rate with no cases scores full marks: nothing
    went wrong that could be measured."""
    if setting.formula == Formula.DEDUCTION:
        return max(
            Decimal(0), Decimal(100) - Decimal(value or 0) * setting.points_per_unit
        )
    if value is None:
        return Decimal(100)
    v = Decimal(str(value))
    return (v if setting.formula == Formula.RATE else 1 - v) * 100


def score(metrics: dict, settings: list[AssessmentMetric]) -> Decimal:
    total_weight = sum((s.weight for s in settings), Decimal(0))
    if not total_weight:
        return Decimal(0)
    weighted = sum(
        (s.weight * subscore(s, metrics.get(s.metric)) for s in settings), Decimal(0)
    )
    return (weighted / total_weight).quantize(Decimal("0.01"))


def rank(cards: list[Scorecard]) -> list[Scorecard]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4)."""
    cards.sort(key=lambda c: (-c.score, c.name))
    for i, card in enumerate(cards):
        same = i and card.score == cards[i - 1].score
        card.rank = cards[i - 1].rank if same else i + 1
    return cards


def scorecards_score(cards: list[Scorecard]) -> list[Scorecard]:
    """Metrics, score and rank from each card's counts, with the weights now."""
    settings = list(AssessmentMetric.objects.all())
    for card in cards:
        card.metrics = metrics_from_counts(card.counts)
        card.score = score(card.metrics, settings)
    return rank(cards)


def company_scorecards(
    *, scoped: QuerySet[Complaint], company: Company, period: Period
) -> list[Scorecard]:
    """The ranked table across `company`'s lower companies (each with its subtree)."""
    buckets = lower_company_buckets(company, include_own=False)
    return scorecards_score(_bucket_cards(scoped, buckets, period))


def _bucket_cards(scoped, buckets: list[Bucket], period: Period) -> list[Scorecard]:
    current = scoped.filter(received_at__gte=period.start, received_at__lt=period.end)
    complaints = count_per_bucket(
        current, buckets, "owning_company", COMPLAINT_MEASURES
    )
    investigations = count_per_bucket(
        Investigation.objects.filter(complaint__in=current.values("id")),
        buckets,
        "complaint__owning_company",
        INVESTIGATION_MEASURES,
    )
    in_period = {"n": Q()}
    breaches = count_per_bucket(
        Breach.objects.filter(
            complaint__in=scoped.values("id"),
            recorded_at__gte=period.start,
            recorded_at__lt=period.end,
        ),
        buckets,
        "company",
        in_period,
    )
    notices = count_per_bucket(
        PublicNotice.objects.filter(
            status=PublicNotice.Status.PUBLISHED,
            published_at__gte=period.start,
            published_at__lt=period.end,
        ),
        buckets,
        "department__company",
        in_period,
    )
    revisions = count_per_bucket(
        LiabilityAuditItem.objects.filter(
            outcome=LiabilityAuditItem.Outcome.REVISED,
            checked_at__gte=period.start,
            checked_at__lt=period.end,
        ),
        buckets,
        "city",
        in_period,
    )
    return [
        Scorecard(
            name=b.company.name,
            company=b.company,
            department=None,
            counts={
                **complaints[i],
                **investigations[i],
                "breaches": breaches[i]["n"],
                "public_notices": notices[i]["n"],
                "revisions": revisions[i]["n"],
            },
        )
        for i, b in enumerate(buckets)
    ]


def department_scorecards(
    *, scoped: QuerySet[Complaint], company: Company, period: Period
) -> list[Scorecard]:
    """The ranked table of `company`'s own departments, by their investigations."""
    current = scoped.filter(received_at__gte=period.start, received_at__lt=period.end)
    departments = list(
        Department.objects.filter(company=company, is_active=True).order_by("kind")
    )
    inv = Investigation.objects.filter(
        complaint__in=current.values("id"), department__company=company
    )
    cases = {
        f"{k}": Count("complaint", distinct=True, filter=_prefix(q))
        for k, q in COMPLAINT_MEASURES.items()
    }
    rows = {
        r["department"]: r
        for r in inv.values("department").annotate(
            investigations=Count("id"),
            returned=Count("id", filter=Q(return_count__gt=0)),
            **cases,
        )
    }
    breaches = _grouped(
        Breach.objects.filter(
            department__company=company,
            complaint__in=scoped.values("id"),
            recorded_at__gte=period.start,
            recorded_at__lt=period.end,
        )
    )
    notices = _grouped(
        PublicNotice.objects.filter(
            department__company=company,
            status=PublicNotice.Status.PUBLISHED,
            published_at__gte=period.start,
            published_at__lt=period.end,
        )
    )
    empty = dict.fromkeys([*COMPLAINT_MEASURES, *INVESTIGATION_MEASURES], 0)
    cards = [
        Scorecard(
            name=d.name,
            company=company,
            department=d,
            counts={
                **empty,
                **{k: v for k, v in rows.get(d.pk, {}).items() if k != "department"},
                "breaches": breaches.get(d.pk, 0),
                "public_notices": notices.get(d.pk, 0),
                "revisions": 0,
            },
        )
        for d in departments
        if d.pk in rows or d.pk in breaches or d.pk in notices
    ]
    return scorecards_score(cards)


def _prefix(q: Q) -> Q:
    """Q over Complaint → the same Q over Investigation.complaint."""
    return Q(*[(f"complaint__{k}", v) for k, v in q.children])


def _grouped(qs) -> dict[int, int]:
    return dict(
        qs.values_list("department")
        .annotate(n=Count("id"))
        .values_list("department", "n")
    )
