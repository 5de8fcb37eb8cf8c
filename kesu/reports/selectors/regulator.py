"""Regulator statistics (R1.13, R1.18; issue 6.3): counts by source, channel,
product type, the regulator's cause groups and company, the closing rate and
the ratios per ¥100m premium, per 10,000 policies and per 10,000 insured.
Code rows come from the classification tables so the layout is fixed: every
channel and product type is listed, with zero where nothing was received."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from kesu.classification.models import CodeEntry
from kesu.complaints.models import Complaint, Source, State
from kesu.organisation.models import Company

from ..models import RegulatorFigures
from ..periods import Period
from .buckets import count_per_bucket, lower_company_buckets
from .complaint_report import ENDED

CAUSE_GROUPS = ("销售纠纷", "退保纠纷", "理赔纠纷", "其他")  # R1.18, R2.8
UNCLASSIFIED = ""


@dataclass
class Line:
    code: str
    label: str
    count: int


@dataclass
class RegulatorStatistics:
    company: Company
    period: Period
    totals: dict
    by_source: list[Line]
    by_channel: list[Line]
    by_product_type: list[Line]
    by_cause_group: list[Line]
    by_company: list[Line]
    figures: dict
    ratios: dict


def _coded(current: QuerySet[Complaint], field: str, table: str) -> list[Line]:
    counts = dict(
        current.values_list(field).annotate(n=Count("id")).values_list(field, "n")
    )
    codes = list(
        CodeEntry.objects.filter(table=table)
        .order_by("order", "code")
        .values_list("code", "name_zh")
    )
    lines = [Line(code, name, counts.pop(code, 0)) for code, name in codes]
    lines += [
        Line(code or "", code or _("未填写"), n)
        for code, n in sorted(counts.items(), key=lambda kv: kv[0] or "")
    ]
    return lines


def _cause_groups(current: QuerySet[Complaint]) -> list[Line]:
    """By the regulator's cause groups (R1.18, R2.8): a CASE built from the
    cause code table labels each row, the database groups and counts."""
    codes: dict[str, list[str]] = {}
    for code, group in CodeEntry.objects.filter(table="cause").values_list(
        "code", "group"
    ):
        codes.setdefault(group, []).append(code)
    label = Case(
        *[When(cause__in=c, then=Value(g)) for g, c in codes.items() if g],
        default=Value(UNCLASSIFIED),
        output_field=CharField(),
    )
    counts = dict(
        current.order_by()
        .annotate(cause_group=label)
        .values_list("cause_group")
        .annotate(n=Count("id"))
        .values_list("cause_group", "n")
    )
    lines = [Line(g, g, counts.pop(g, 0)) for g in CAUSE_GROUPS]
    # causes not yet set (open cases) or without a group are shown apart
    lines.append(Line(UNCLASSIFIED, _("尚未归类"), sum(counts.values())))
    return lines


def _per(count: int, base, unit: Decimal) -> Decimal | None:
    if not base:
        return None
    return (Decimal(count) / (Decimal(base) / unit)).quantize(Decimal("0.0001"))


def regulator_statistics(
    *, scoped: QuerySet[Complaint], company: Company, period: Period
) -> RegulatorStatistics:
    current = scoped.filter(received_at__gte=period.start, received_at__lt=period.end)
    totals = current.aggregate(
        total=Count("id"),
        regulator=Count("id", filter=Q(source=Source.REGULATOR)),
        declined=Count("id", filter=Q(state=State.DECLINED)),
        merged=Count("id", filter=Q(state=State.MERGED)),
        ended=Count("id", filter=Q(state__in=ENDED)),
    )
    accepted = totals["total"] - totals["declined"] - totals["merged"]
    totals.update(
        direct=totals["total"] - totals["regulator"],
        accepted=accepted,
        closing_rate=round(totals["ended"] / accepted, 4) if accepted else None,
    )
    sources = dict(Source.choices)
    by_source = [
        Line(code, str(sources[code]), n)
        for code, n in sorted(
            current.values_list("source")
            .annotate(n=Count("id"))
            .values_list("source", "n")
        )
    ]
    buckets = lower_company_buckets(company, include_own=True)
    per_company = count_per_bucket(current, buckets, "owning_company", {"n": Q()})
    figures = RegulatorFigures.objects.filter(
        company__path__startswith=company.path,
        period_key=period.key,
    ).aggregate(
        premium=Sum("premium"), policies=Sum("policies"), insured=Sum("insured")
    )
    n = totals["total"]
    return RegulatorStatistics(
        company=company,
        period=period,
        totals=totals,
        by_source=by_source,
        by_channel=_coded(current, "channel", "channel"),
        by_product_type=_coded(current, "product_type", "product_type"),
        by_cause_group=_cause_groups(current),
        by_company=[
            Line(b.company.code, b.company.name, per_company[i]["n"])
            for i, b in enumerate(buckets)
        ],
        figures=figures,
        ratios={
            "per_100m_premium": _per(n, figures["premium"], Decimal(100_000_000)),
            "per_10k_policies": _per(n, figures["policies"], Decimal(10_000)),
            "per_10k_insured": _per(n, figures["insured"], Decimal(10_000)),
        },
    )
