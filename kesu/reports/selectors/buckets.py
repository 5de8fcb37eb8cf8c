"""Counting per company subtree in one query: each "bucket" is a company and
everything below it (or the company's own cases), expressed as a Q over a path
prefix, so a ranked table of 40 lower companies is still one aggregate."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kesu.organisation.models import Company


@dataclass(frozen=True)
class Bucket:
    company: Company
    own_only: bool = False  # the company's own cases, not its subtree

    def q(self, company_field: str) -> Q:
        if self.own_only:
            return Q(**{company_field: self.company})
        return Q(**{f"{company_field}__path__startswith": self.company.path})


def lower_company_buckets(company: Company, *, include_own: bool) -> list[Bucket]:
    children = Company.objects.filter(parent=company).order_by("path")
    own = [Bucket(company, own_only=True)] if include_own else []
    return own + [Bucket(c) for c in children]


def count_per_bucket(
    qs: QuerySet,
    buckets: list[Bucket],
    company_field: str,
    measures: dict[str, Q],
    *,
    distinct: str = "id",
) -> list[dict]:
    """For each bucket, {measure: count}; one aggregate query over `qs`."""
    if not buckets:
        return []
    aggregates = {}
    for i, bucket in enumerate(buckets):
        where = bucket.q(company_field)
        for name, q in measures.items():
            aggregates[f"{name}__{i}"] = Count(
                distinct, filter=where & q, distinct=distinct != "id"
            )
    row = qs.aggregate(**aggregates)
    return [
        {name: row[f"{name}__{i}"] for name in measures} for i in range(len(buckets))
    ]
