"""Reads of circulars (S3.2), and the automatic proposal of the period's
escalated and major-impact complaints."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kesu.accounts.access import scope_companies
from kesu.complaints.access import complaint_scope
from kesu.complaints.models import Complaint, Grade
from kesu.errors import NotFound
from kesu.supervision.access import visible_to_company_scope
from kesu.supervision.periods import Period

from ..access import is_office
from ..models import Circular


def circular_scope(user) -> QuerySet[Circular]:
    """Issued circulars of the user's company or above; every circular of the
    user's own company when they work in its committee office."""
    visible = Q(status=Circular.Status.ISSUED) & (
        visible_to_company_scope(user) | Q(company__in=scope_companies(user))
    )
    if user.company_id and is_office(user, user.company):
        visible |= Q(company=user.company)
    return Circular.objects.filter(visible).select_related(
        "company", "department__company"
    )


def circular_get_for(user, *, pk: int) -> Circular:
    circular = circular_scope(user).filter(pk=pk).first()
    if circular is None:
        raise NotFound(_("未找到该通报"))
    return circular


def circular_proposals(user, *, period: Period) -> dict[str, list[Complaint]]:
    """S3.2: complaints received in the period that are escalated, or of major
    impact (grade major or group), not yet in an issued circular."""
    lo, hi = period.bounds()
    circulated = Circular.objects.filter(status=Circular.Status.ISSUED).values(
        "complaints"
    )
    cases = (
        complaint_scope(user)
        .filter(received_at__gte=lo, received_at__lt=hi)
        .exclude(pk__in=circulated)
        .select_related("owning_company")
        .prefetch_related("investigations__department")
        .order_by("received_at", "id")
    )
    escalated = cases.filter(escalated=True)
    major = cases.filter(grade__in=(Grade.MAJOR, Grade.GROUP))
    return {
        Circular.Kind.ESCALATION: list(escalated),
        Circular.Kind.MAJOR_IMPACT: list(major),
    }
