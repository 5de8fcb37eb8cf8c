"""Endpoints of satisfaction sampling (S5.1, S7.7) and not-liable
authenticity checks (S6.10)."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from . import present
from .access import company_get_for, require_figures
from .periods import period_make
from .schemas import (
    AuditDetailOut,
    AuditIn,
    AuditOut,
    Error,
    PeriodQuery,
    ResultIn,
    ReviseIn,
    SampleDetailOut,
    SampleIn,
    SampleOut,
    TextIn,
)
from .selectors import sampling as s
from .services import audits, sampling

router = Router()
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _sample_detail(sample) -> dict:
    return {
        **present.sample(sample),
        "items": [present.sample_item(i) for i in s.sample_items(sample)],
        "statistics": s.satisfaction_sample_statistics(sample),
    }


@router.get("/samples", response={200: list[SampleOut], **ERRORS})
def sample_list(request: HttpRequest):
    return [
        present.sample(x) for x in s.satisfaction_sample_list_for(request.user)[:200]
    ]


@router.post("/samples", response={201: SampleDetailOut, **ERRORS})
def sample_draw(request: HttpRequest, data: SampleIn):
    """S5.1: draw a reproducible sample (by rate or size, stratified by company)."""
    sample = sampling.satisfaction_sample_draw(
        user=request.user,
        period=period_make(data.start, data.end),
        rate=data.rate,
        size=data.size,
        seed=data.seed,
    )
    return Status(201, _sample_detail(sample))


@router.get("/samples/{int:sample_id}", response={200: SampleDetailOut, **ERRORS})
def sample_detail(request: HttpRequest, sample_id: int):
    return _sample_detail(s.satisfaction_sample_get_for(request.user, pk=sample_id))


@router.post(
    "/samples/{int:sample_id}/items/{int:item_id}/result",
    response={200: SampleDetailOut, **ERRORS},
)
def sample_result(request: HttpRequest, sample_id: int, item_id: int, data: ResultIn):
    """S7.7: record the result of the call to a sampled complainant."""
    sample = s.satisfaction_sample_get_for(request.user, pk=sample_id)
    item = s.sample_item_get_for(request.user, sample=sample, pk=item_id)
    sampling.sample_item_record_result(
        user=request.user, item=item, result=data.result, note=data.note
    )
    return _sample_detail(sample)


def _audit_detail(audit) -> dict:
    return {
        **present.audit(audit),
        "items": [present.audit_item(i) for i in s.liability_audit_items(audit)],
    }


@router.get("/liability-audits", response={200: list[AuditOut], **ERRORS})
def audit_list(request: HttpRequest):
    return [present.audit(x) for x in s.liability_audit_list_for(request.user)[:200]]


@router.post("/liability-audits", response={201: AuditDetailOut, **ERRORS})
def audit_draw(request: HttpRequest, data: AuditIn):
    """S6.10: a province samples its cities' not-liable closures."""
    audit = audits.liability_audit_draw(
        user=request.user,
        period=period_make(data.start, data.end),
        size=data.size,
        seed=data.seed,
    )
    return Status(201, _audit_detail(audit))


@router.get(
    "/liability-audits/{int:audit_id}", response={200: AuditDetailOut, **ERRORS}
)
def audit_detail(request: HttpRequest, audit_id: int):
    return _audit_detail(s.liability_audit_get_for(request.user, pk=audit_id))


@router.post(
    "/liability-audits/{int:audit_id}/items/{int:item_id}/confirm",
    response={200: AuditDetailOut, **ERRORS},
)
def audit_confirm(request: HttpRequest, audit_id: int, item_id: int, data: TextIn):
    audit = s.liability_audit_get_for(request.user, pk=audit_id)
    item = s.liability_audit_item_get_for(request.user, audit=audit, pk=item_id)
    audits.liability_audit_confirm(user=request.user, item=item, note=data.text)
    return _audit_detail(audit)


@router.post(
    "/liability-audits/{int:audit_id}/items/{int:item_id}/revise",
    response={200: AuditDetailOut, **ERRORS},
)
def audit_revise(request: HttpRequest, audit_id: int, item_id: int, data: ReviseIn):
    """S6.10: revise a not-liable closure to liable (an event on the case)."""
    audit = s.liability_audit_get_for(request.user, pk=audit_id)
    item = s.liability_audit_item_get_for(request.user, audit=audit, pk=item_id)
    audits.liability_audit_revise(
        user=request.user,
        item=item,
        responsible_link=data.responsible_link,
        cause=data.cause,
        note=data.note,
    )
    return _audit_detail(audit)


@router.get("/revisions", response={200: dict, **ERRORS})
def revisions(request: HttpRequest, q: Query[PeriodQuery]):
    """S6.10: revisions counted against a company in a period (assessment)."""
    company = company_get_for(request.user, pk=q.company)
    require_figures(request.user, company)
    period = period_make(q.start, q.end)
    return {
        "company": company.pk,
        **period.as_dict(),
        "revisions": s.revisions_count(company, period),
    }
