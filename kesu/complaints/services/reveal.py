"""Revealing a complainant's personal data (E3, DESIGN §5): only with the
`pi.reveal` permission and a reason, and every reveal is written as a case
event and a security audit row."""

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.accounts.roles import Perm
from kesu.errors import DomainValidationError, Forbidden

from ..access import complaint_get_for
from ..models import Complaint
from .events import event_record

REVEAL = "reveal_personal_data"  # event action


@transaction.atomic
def complaint_reveal_personal_data(*, complaint_id: int, actor, reason: str,
                                   request=None) -> Complaint:
    """The case, for its unmasked personal data, after recording who asked
    and why. Out of scope: NotFound; without the permission: Forbidden."""
    complaint = complaint_get_for(actor, pk=complaint_id)
    if Perm.PI_REVEAL not in actor.perm_set:
        raise Forbidden(_("您没有查看完整个人信息的权限"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainValidationError(_("请填写查看理由"), field="reason")
    event_record(complaint=complaint, actor=actor, action=REVEAL,
                 from_state=complaint.state, to_state=complaint.state, note=reason,
                 data={"fields": ["name", "id_number", "phone", "address",
                                  "agent_name", "agent_phone"]})
    _audit(actor, complaint, reason, request)
    return complaint


def _audit(actor, complaint: Complaint, reason: str, request) -> None:
    from kesu.audit.services import audit_record

    audit_record(action="pi.reveal", user=actor, request=request, obj=complaint,
                 detail={"reason": reason, "fields": ["complainant"]})
