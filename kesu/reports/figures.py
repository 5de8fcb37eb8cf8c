"""What each kind of StoredFigures computes, and how the stored figures are
read back for a page (issue 6.5). Stored: counts only, as JSON. Read back
with what may change without a recount: display names in the viewer's
language, head office's current weights (scorecards), the premium and policy
figures entered for the period (regulator ratios), and the notable cases as
the viewer may see them now."""

from collections.abc import Callable
from dataclasses import asdict

from django.utils.translation import gettext as _

from kesu.complaints.models import Breach, Source
from kesu.organisation.models import Company, Department

from .labels import Labels
from .models import StoredFigures
from .periods import Period
from .selectors.complaint_report import (
    DIMENSIONS,
    NOTABLE_FIELDS,
    NOTABLE_LIMIT,
    ComplaintReport,
    Row,
    complaint_report,
)
from .selectors.regulator import (
    UNCLASSIFIED,
    Line,
    RegulatorStatistics,
    regulator_counts,
    with_denominators,
)
from .selectors.scorecard import (
    Scorecard,
    company_scorecards,
    department_scorecards,
    scorecards_score,
)

Progress = Callable[[int, str], None]
Kind = StoredFigures.Kind


def figures_compute(kind: str, *, scoped, company: Company, period: Period, progress):
    """The JSON to store for `kind` (the long part: counting)."""
    if kind == Kind.COMPLAINT_REPORT:
        r = complaint_report(
            scoped=scoped, company=company, period=period, progress=progress
        )
        return {
            "headline": r.headline,
            "breakdowns": {k: _rows(v) for k, v in r.breakdowns.items()},
            "departments": _rows(r.departments),
            "lower_companies": _rows(r.lower_companies),
            "breaches_by_kind": _rows(r.breaches_by_kind),
            "pareto": _rows(r.pareto),
            "monthly": _rows(r.monthly),
            "notable": [c.pk for c in r.notable],
        }
    if kind == Kind.SCORECARDS:
        progress(10, _("统计下级机构"))
        companies = company_scorecards(scoped=scoped, company=company, period=period)
        progress(60, _("统计本级部门"))
        departments = department_scorecards(
            scoped=scoped, company=company, period=period
        )
        return {"companies": _cards(companies), "departments": _cards(departments)}
    progress(10, _("统计中"))
    stats = regulator_counts(scoped=scoped, company=company, period=period)
    lines = ("by_source", "by_channel", "by_product_type", "by_cause_group")
    return {
        "totals": stats.totals,
        **{name: [asdict(x) for x in getattr(stats, name)] for name in lines},
        "by_company": [asdict(x) for x in stats.by_company],
    }


def _rows(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]


def _cards(cards: list[Scorecard]) -> list[dict]:
    return [
        {
            "name": c.name,
            "company": c.company.pk,
            "department": c.department.pk if c.department else None,
            "counts": c.counts,
        }
        for c in cards
    ]


def complaint_report_load(
    entry: StoredFigures, *, scoped, company: Company, period: Period
) -> ComplaintReport:
    f, labels = entry.figures, Labels()
    breach_kinds = dict(Breach.Kind.choices)

    def rows(data, name=None) -> list[Row]:
        out = [Row(**d) for d in data]
        for r in out:
            if name:
                r.label = name(r.code)
        return out

    dims = {
        key: rows(f["breakdowns"][key], lambda c, t=table: labels.name(t, c))
        for key, _field, table in DIMENSIONS
    }
    notable = (
        scoped.filter(pk__in=f["notable"])
        .select_related("owning_company")
        .only(*NOTABLE_FIELDS)
        .order_by("-received_at", "-id")[:NOTABLE_LIMIT]
    )
    return ComplaintReport(
        company=company,
        period=period,
        headline=f["headline"],
        breakdowns=dims,
        departments=rows(f["departments"], lambda c: labels.name("department_kind", c)),
        lower_companies=rows(f["lower_companies"]),
        breaches_by_kind=rows(
            f["breaches_by_kind"], lambda c: str(breach_kinds.get(c, c))
        ),
        pareto=rows(f["pareto"], lambda c: labels.name("cause", c)),
        monthly=rows(f["monthly"]),
        notable=list(notable),
        computed_at=entry.computed_at,
    )


def scorecards_load(entry: StoredFigures) -> tuple[list, list]:
    """(companies, departments), scored and ranked with today's weights."""
    f = entry.figures
    every = f["companies"] + f["departments"]
    companies = Company.objects.in_bulk({c["company"] for c in every})
    departments = Department.objects.in_bulk(
        {c["department"] for c in every if c["department"]}
    )

    def cards(data) -> list[Scorecard]:
        return scorecards_score(
            [
                Scorecard(
                    name=c["name"],
                    company=companies[c["company"]],
                    department=departments.get(c["department"]),
                    counts=c["counts"],
                )
                for c in data
                if c["company"] in companies
            ]
        )

    return cards(f["companies"]), cards(f["departments"])


def regulator_load(
    entry: StoredFigures, *, company: Company, period: Period
) -> RegulatorStatistics:
    f = entry.figures
    sources = dict(Source.choices)

    def lines(name: str, label=None) -> list[Line]:
        out = [Line(**x) for x in f[name]]
        for line in out:
            line.label = (label(line) if label else None) or line.label
        return out

    return with_denominators(
        RegulatorStatistics(
            company=company,
            period=period,
            totals=f["totals"],
            by_source=lines("by_source", lambda x: str(sources.get(x.code, ""))),
            by_channel=lines("by_channel", _unfilled),
            by_product_type=lines("by_product_type", _unfilled),
            by_cause_group=lines(
                "by_cause_group",
                lambda x: _("尚未归类") if x.code == UNCLASSIFIED else None,
            ),
            by_company=lines("by_company"),
            figures={},
            ratios={},
        )
    )


def _unfilled(line: Line) -> str | None:
    return _("未填写") if not line.code else None
