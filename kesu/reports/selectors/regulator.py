"""Regulator statistics (R1.13, R1.18; issue 6.3): counts by source, channel,
product type, the regulator's cause groups and company, the closing rate and
the ratios per ¥100m premium, per 10,000 policies and per 10,000 insured.
Code rows come from the classification tables so the layout is fixed: every
channel and product type is listed, with zero where nothing was received."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kesu.classification.models import CodeEntry
from kesu.complaints.models import Complaint, Source, State
from kesu.organisation.models import Company

from ..models import RegulatorFigures
from ..periods import Period
from .buckets import bucket_index, lower_company_buckets
from .complaint_report import COMPANY, ENDED
from .grouping import grouped_counts

CAUSE_GROUPS = ("销售纠纷", "退保纠纷", "理赔纠纷", "其他")  # R1.18, R2.8
UNCLASSIFIED = ""
TOTALS = {
    "regulator": Q(source=Source.REGULATOR),
    "declined": Q(state=State.DECLINED),
    "merged": Q(state=State.MERGED),
    "ended": Q(state__in=ENDED),
}


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


def _coded(counts: dict, table: str) -> list[Line]:
    """Every code of the table in its order (zero where nothing was received),
    then any other value received."""
    counts = {code: c["n"] for code, c in counts.items()}
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


def _cause_groups(by_cause: dict) -> list[Line]:
    """By the regulator's cause groups (R1.18, R2.8), from the count per cause
    and the cause code table's groups."""
    group_of = {
        code: group
        for code, group in CodeEntry.objects.filter(table="cause").values_list(
            "code", "group"
        )
        if group
    }
    counts: dict[str, int] = {}
    for cause, c in by_cause.items():
        group = group_of.get(cause, UNCLASSIFIED)
        counts[group] = counts.get(group, 0) + c["n"]
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
    return with_denominators(
        regulator_counts(scoped=scoped, company=company, period=period)
    )


def regulator_counts(
    *, scoped: QuerySet[Complaint], company: Company, period: Period
) -> RegulatorStatistics:
    """The counts (the long part; stored by services/figures.py); the ratios
    come from the entered denominators (with_denominators)."""
    current = scoped.filter(received_at__gte=period.start, received_at__lt=period.end)
    groups = grouped_counts(
        current,
        fields=("source", "channel", "product_type", "cause", COMPANY),
        measures=TOTALS,
    )
    per_company = groups[COMPANY]
    totals = {
        name: sum(c[name] for c in per_company.values()) for name in ("n", *TOTALS)
    }
    totals["total"] = totals.pop("n")
    accepted = totals["total"] - totals["declined"] - totals["merged"]
    totals.update(
        direct=totals["total"] - totals["regulator"],
        accepted=accepted,
        closing_rate=round(totals["ended"] / accepted, 4) if accepted else None,
    )
    sources = dict(Source.choices)
    by_source = [
        Line(code, str(sources[code]), c["n"])
        for code, c in sorted(groups["source"].items())
    ]
    buckets = lower_company_buckets(company, include_own=True)
    paths = dict(
        Company.objects.filter(pk__in=list(per_company)).values_list("pk", "path")
    )
    by_company = [0] * len(buckets)
    for company_id, c in per_company.items():
        i = bucket_index(buckets, company_id, paths.get(company_id, ""))
        if i is not None:
            by_company[i] += c["n"]
    return RegulatorStatistics(
        company=company,
        period=period,
        totals=totals,
        by_source=by_source,
        by_channel=_coded(groups["channel"], "channel"),
        by_product_type=_coded(groups["product_type"], "product_type"),
        by_cause_group=_cause_groups(groups["cause"]),
        by_company=[
            Line(b.company.code, b.company.name, by_company[i])
            for i, b in enumerate(buckets)
        ],
        figures={},
        ratios={},
    )


def with_denominators(stats: RegulatorStatistics) -> RegulatorStatistics:
    """Premium, policies and insured entered for the company's subtree and
    the ratios per ¥100m, 10,000 policies and 10,000 insured (R1.13)."""
    stats.figures = RegulatorFigures.objects.filter(
        company__path__startswith=stats.company.path,
        period_key=stats.period.key,
    ).aggregate(
        premium=Sum("premium"), policies=Sum("policies"), insured=Sum("insured")
    )
    n = stats.totals["total"]
    stats.ratios = {
        "per_100m_premium": _per(n, stats.figures["premium"], Decimal(100_000_000)),
        "per_10k_policies": _per(n, stats.figures["policies"], Decimal(10_000)),
        "per_10k_insured": _per(n, stats.figures["insured"], Decimal(10_000)),
    }
    return stats
