"""Thin django-ninja endpoints of the reports app (mounted at /api/reports)."""

from decimal import Decimal

from django.http import JsonResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from .access import report_company_for, report_scoped
from .figures import complaint_report_load, regulator_load, scorecards_load
from .models import AssessmentMetric, StoredFigures
from .periods import period_parse
from .selectors.typical_cases import typical_case_search
from .services.assessment import assessment_metric_update
from .services.figures import is_ready, stored_figures_for
from .services.jobs import report_job_get_for, report_job_request
from .services.regulator_figures import regulator_figures_enter
from .services.typical_cases import (
    typical_case_approve,
    typical_case_nominate,
    typical_case_reject,
)
from .views.report import default_period_key

router = Router()


def _target(request, company: str | None, period: str | None):
    c = report_company_for(request.user, company)
    return (
        c,
        period_parse(period or default_period_key()),
        report_scoped(request.user, c),
    )


def _stored(request, kind: str, company, period):
    """(entry, None) when the stored figures are fresh; else (entry, 202 with
    the computation's progress: ask again after Retry-After), as the pages
    (issue 6.5: a request never counts a million cases itself)."""
    entry = stored_figures_for(
        user=request.user, kind=kind, company=company, period=period
    )
    if is_ready(entry, period):
        return entry, None
    waiting = JsonResponse(
        {
            "company": company.code,
            "period": period.key,
            "status": entry.status,
            "progress": entry.progress,
            "step": entry.step,
            "error": entry.error,
        },
        status=202,
    )
    waiting["Retry-After"] = "2"
    return entry, waiting


def _rows(rows) -> list[dict]:
    return [
        {
            "code": r.code,
            "label": r.label,
            "count": r.count,
            "share": r.share,
            "cumulative": r.cumulative,
            **r.extra,
        }
        for r in rows
    ]


@router.get("/complaints")
def complaint_report_get(
    request, company: str | None = None, period: str | None = None
):
    c, p, scoped = _target(request, company, period)
    entry, waiting = _stored(request, StoredFigures.Kind.COMPLAINT_REPORT, c, p)
    if waiting:
        return waiting
    r = complaint_report_load(entry, scoped=scoped, company=c, period=p)
    return {
        "company": c.code,
        "period": p.key,
        "computed_at": entry.computed_at,
        "headline": r.headline,
        "breakdowns": {k: _rows(v) for k, v in r.breakdowns.items()},
        "departments": _rows(r.departments),
        "lower_companies": _rows(r.lower_companies),
        "breaches_by_kind": _rows(r.breaches_by_kind),
        "pareto": _rows(r.pareto),
        "monthly": _rows(r.monthly),
        "notable": [x.number for x in r.notable],
    }


def _cards(cards) -> list[dict]:
    return [
        {
            "name": c.name,
            "company": c.company.code,
            "department": c.department.pk if c.department else None,
            "score": str(c.score),
            "rank": c.rank,
            "metrics": {str(k): v for k, v in c.metrics.items()},
        }
        for c in cards
    ]


@router.get("/scorecards")
def scorecards_get(request, company: str | None = None, period: str | None = None):
    c, p, _scoped = _target(request, company, period)
    entry, waiting = _stored(request, StoredFigures.Kind.SCORECARDS, c, p)
    if waiting:
        return waiting
    companies, departments = scorecards_load(entry)
    return {
        "company": c.code,
        "period": p.key,
        "computed_at": entry.computed_at,
        "companies": _cards(companies),
        "departments": _cards(departments),
    }


class MetricIn(Schema):
    weight: Decimal
    formula: str
    points_per_unit: Decimal = Decimal(0)


def _metric(m: AssessmentMetric) -> dict:
    return {
        "metric": m.metric,
        "weight": str(m.weight),
        "formula": m.formula,
        "points_per_unit": str(m.points_per_unit),
    }


@router.get("/assessment-metrics")
def metrics_list(request):
    report_company_for(request.user, None)  # report.view
    return [_metric(m) for m in AssessmentMetric.objects.all()]


@router.put("/assessment-metrics/{metric}")
def metric_update(request, metric: str, payload: MetricIn):
    return _metric(
        assessment_metric_update(user=request.user, metric=metric, **payload.dict())
    )


def lines(ls) -> list[dict]:
    return [{"code": x.code, "label": x.label, "count": x.count} for x in ls]


@router.get("/regulator")
def regulator_get(request, company: str | None = None, period: str | None = None):
    c, p, _scoped = _target(request, company, period)
    entry, waiting = _stored(request, StoredFigures.Kind.REGULATOR, c, p)
    if waiting:
        return waiting
    s = regulator_load(entry, company=c, period=p)
    return {
        "company": c.code,
        "period": p.key,
        "computed_at": entry.computed_at,
        "totals": s.totals,
        "by_source": lines(s.by_source),
        "by_channel": lines(s.by_channel),
        "by_product_type": lines(s.by_product_type),
        "by_cause_group": lines(s.by_cause_group),
        "by_company": lines(s.by_company),
        "figures": {
            k: (str(v) if v is not None else None) for k, v in s.figures.items()
        },
        "ratios": {k: (str(v) if v is not None else None) for k, v in s.ratios.items()},
    }


class FiguresIn(Schema):
    company: str
    period: str
    premium: Decimal
    policies: int
    insured: int


@router.put("/regulator-figures")
def figures_put(request, payload: FiguresIn):
    company = report_company_for(request.user, payload.company)
    f = regulator_figures_enter(
        user=request.user,
        company=company,
        period_key=payload.period,
        premium=payload.premium,
        policies=payload.policies,
        insured=payload.insured,
    )
    return {
        "company": company.code,
        "period": f.period_key,
        "premium": str(f.premium),
        "policies": f.policies,
        "insured": f.insured,
    }


class JobIn(Schema):
    kind: str
    company: str | None = None
    period: str


def _job(job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "step": job.step,
        "error": job.error,
        "download": reverse("reports:job_download", args=[job.pk])
        if job.status == "done"
        else None,
    }


@router.post("/jobs", response={202: dict})
def job_create(request, payload: JobIn):
    job = report_job_request(
        user=request.user,
        kind=payload.kind,
        company_code=payload.company,
        period_key=payload.period,
    )
    return Status(202, _job(job))


@router.get("/jobs/{job_id}")
def job_get(request, job_id: int):
    return _job(report_job_get_for(request.user, pk=job_id))


class NominateIn(Schema):
    complaint_id: int
    title: str
    lesson: str = ""
    tags: list[str] = []


class DecideIn(Schema):
    note: str = ""


def _case(case) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "status": case.status,
        "facts": case.facts,
        "demand": case.demand,
        "handling": case.handling,
        "lesson": case.lesson,
        "complainant": case.complainant_label,
        "cause": case.cause,
        "tags": [t.name for t in case.tags.all()],
    }


@router.get("/typical-cases")
def cases_list(request, q: str = "", tag: str = "", status: str = ""):
    return [
        _case(c)
        for c in typical_case_search(request.user, text=q, tag=tag, status=status)[:100]
    ]


@router.post("/typical-cases", response={201: dict})
def case_nominate(request, payload: NominateIn):
    case = typical_case_nominate(user=request.user, **payload.dict())
    return Status(201, _case(case))


@router.post("/typical-cases/{case_id}/approve")
def case_approve(request, case_id: int, payload: DecideIn):
    return _case(
        typical_case_approve(user=request.user, case_id=case_id, note=payload.note)
    )


@router.post("/typical-cases/{case_id}/reject")
def case_reject(request, case_id: int, payload: DecideIn):
    return _case(
        typical_case_reject(user=request.user, case_id=case_id, note=payload.note)
    )
