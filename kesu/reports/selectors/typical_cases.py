"""Reading typical cases (S5.3, S6.1). Approved cases are a company-wide
library for training: everyone with report.view or complaint.handle sees the
approved ones of their company's tree (their own, below, and above — head
office's cases teach the provinces); nominations are seen in scope only."""

from django.db.models import Q, QuerySet

from kesu.accounts.access import can
from kesu.accounts.roles import Perm

from ..models import TypicalCase


def typical_case_scope(user) -> QuerySet[TypicalCase]:
    if not (can(user, Perm.REPORT_VIEW) or can(user, Perm.COMPLAINT_HANDLE)):
        return TypicalCase.objects.none()
    company = user.company
    ancestors = company.ancestor_codes()
    return TypicalCase.objects.filter(
        Q(company__path__startswith=company.path)
        | Q(status=TypicalCase.Status.APPROVED, company__code__in=ancestors)
    )


def typical_case_search(
    user, *, text: str = "", tag: str = "", status: str = "", cause: str = ""
) -> QuerySet[TypicalCase]:
    qs = typical_case_scope(user).select_related("company")
    if status:
        qs = qs.filter(status=status)
    if cause:
        qs = qs.filter(cause=cause)
    if tag:
        qs = qs.filter(tags__name=tag)
    for word in (text or "").split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(facts__icontains=word)
            | Q(demand__icontains=word)
            | Q(lesson__icontains=word)
            | Q(handling__icontains=word)
            | Q(tags__name=word)
        )
    return qs.distinct().prefetch_related("tags")
