"""Reads of satisfaction samples (S5.1, S7.7) and authenticity checks (S6.10)."""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from kesu.accounts.access import scope_companies
from kesu.errors import NotFound
from kesu.organisation.models import Company

from ..models import LiabilityAudit, LiabilityAuditItem, SampleItem, SatisfactionSample
from ..periods import Period

SATISFIED = (SampleItem.Result.SATISFIED, SampleItem.Result.FAIRLY_SATISFIED)


def satisfaction_sample_list_for(user) -> QuerySet[SatisfactionSample]:
    return SatisfactionSample.objects.filter(
        company__in=scope_companies(user)
    ).select_related("company", "drawn_by")


def satisfaction_sample_get_for(user, *, pk: int) -> SatisfactionSample:
    sample = satisfaction_sample_list_for(user).filter(pk=pk).first()
    if sample is None:
        raise NotFound(_("未找到该抽查"))
    return sample


def sample_item_get_for(user, *, sample: SatisfactionSample, pk: int) -> SampleItem:
    item = (
        sample.items.select_related("sample__company", "complaint")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFound(_("未找到该抽查案件"))
    return item


def sample_items(sample: SatisfactionSample) -> QuerySet[SampleItem]:
    return sample.items.select_related("complaint", "stratum", "called_by")


def _rate(satisfied: int, reached: int) -> float | None:
    return round(satisfied / reached, 4) if reached else None


def satisfaction_sample_statistics(sample: SatisfactionSample) -> dict:
    """Counts by result, overall and per company (stratum); the satisfaction
    rate is (satisfied + fairly satisfied) / reached, unreachable excluded."""
    rows = (
        SampleItem.objects.filter(sample=sample)
        .values("stratum", "stratum__name", "result")
        .annotate(n=Count("id"))
    )
    total = {
        "size": 0,
        "called": 0,
        "by_result": {r: 0 for r in SampleItem.Result.values},
    }
    strata: dict[int, dict] = {}
    for row in rows:
        s = strata.setdefault(
            row["stratum"],
            {
                "company_id": row["stratum"],
                "company": row["stratum__name"],
                "size": 0,
                "called": 0,
                "by_result": {r: 0 for r in SampleItem.Result.values},
            },
        )
        for bucket in (total, s):
            bucket["size"] += row["n"]
            if row["result"]:
                bucket["called"] += row["n"]
                bucket["by_result"][row["result"]] += row["n"]
    for bucket in (total, *strata.values()):
        by = bucket["by_result"]
        reached = bucket["called"] - by[SampleItem.Result.UNREACHABLE]
        bucket["satisfaction_rate"] = _rate(sum(by[r] for r in SATISFIED), reached)
    return {
        **total,
        "population": sample.population,
        "strata": sorted(strata.values(), key=lambda s: s["company_id"]),
    }


def liability_audit_list_for(user) -> QuerySet[LiabilityAudit]:
    return LiabilityAudit.objects.filter(
        company__in=scope_companies(user)
    ).select_related("company", "drawn_by")


def liability_audit_get_for(user, *, pk: int) -> LiabilityAudit:
    audit = liability_audit_list_for(user).filter(pk=pk).first()
    if audit is None:
        raise NotFound(_("未找到该抽查"))
    return audit


def liability_audit_items(audit: LiabilityAudit) -> QuerySet[LiabilityAuditItem]:
    return audit.items.select_related("complaint", "city", "checked_by")


def liability_audit_item_get_for(
    user, *, audit: LiabilityAudit, pk: int
) -> LiabilityAuditItem:
    item = (
        audit.items.select_related("audit__company", "complaint").filter(pk=pk).first()
    )
    if item is None:
        raise NotFound(_("未找到该抽查案件"))
    return item


def revisions_count(company: Company, period: Period) -> int:
    """S6.10, for assessment: not-liable closures of `company` that a higher
    company's authenticity check revised to liable in the period."""
    lo, hi = period.bounds()
    return LiabilityAuditItem.objects.filter(
        city=company,
        outcome=LiabilityAuditItem.Outcome.REVISED,
        checked_at__gte=lo,
        checked_at__lt=hi,
    ).count()
