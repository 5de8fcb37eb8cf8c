"""Reads of committee deliberations and rulings (S3.3, S3.4)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kesu.accounts.access import scope_companies
from kesu.accounts.roles import DEPARTMENT_ROLES
from kesu.errors import NotFound

from ..models import Deliberation


def deliberation_scope(user) -> QuerySet[Deliberation]:
    """Deliberations of the committees in scope; a department role sees the
    ones its department is asked about."""
    items = Deliberation.objects.all()
    if user.role_set and user.role_set <= DEPARTMENT_ROLES:
        items = items.filter(departments=user.department_id)
    else:
        items = items.filter(Q(company__in=scope_companies(user)))
    return items.select_related("company", "complaint", "proposed_by", "ruling")


def deliberation_list_for(user, *, status: str = "") -> QuerySet[Deliberation]:
    items = deliberation_scope(user)
    return items.filter(status=status) if status else items


def deliberation_get_for(user, *, pk: int) -> Deliberation:
    item = deliberation_scope(user).filter(pk=pk).first()
    if item is None:
        raise NotFound(_("未找到该审议事项"))
    return item


def deliberations_awaiting_opinion(user) -> QuerySet[Deliberation]:
    """Open deliberations asking the user's department, not yet answered."""
    if not user.department_id:
        return Deliberation.objects.none()
    return (
        deliberation_scope(user)
        .filter(status=Deliberation.Status.PROPOSED, departments=user.department_id)
        .exclude(opinions__department=user.department_id)
    )
