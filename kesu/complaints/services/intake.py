"""Accept or decline (DESIGN §3.2; R2.1, R2.5), and hand a complaint outside
the company's remit to the right company."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kesu.classification.models import CodeTable
from kesu.classification.selectors import code_require
from kesu.errors import DomainValidationError
from kesu.organisation.models import Company

from ..lifecycle import Action
from ..models import Complaint
from .transition import begin, commit

OUTSIDE_REMIT = "outside_remit"


@transaction.atomic
def complaint_accept(
    *, complaint: Complaint, actor, note: str = "", expected_version: int | None = None
) -> Complaint:
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.ACCEPT,
        expected_version=expected_version,
    )
    if step.complaint.handler_id is None:
        step.changes["handler"] = actor
    commit(step, note=note)
    return step.complaint


@transaction.atomic
def complaint_decline(
    *,
    complaint: Complaint,
    actor,
    ground: str,
    reason: str,
    transfer_to: Company | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """R2.5: only on a listed ground, with the reason told to the complainant.
    On "outside remit" with `transfer_to`, the case is handed to that company
    instead of being declined (R2.1)."""
    code_require(CodeTable.DECLINE_GROUND, ground, field="ground")
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写告知投诉人的不予受理理由"), field="reason")
    if ground == OUTSIDE_REMIT and transfer_to is not None:
        return complaint_transfer(
            complaint=complaint,
            actor=actor,
            to_company=transfer_to,
            reason=reason,
            expected_version=expected_version,
        )
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.DECLINE,
        expected_version=expected_version,
    )
    step.changes.update(decline_ground=ground, decline_reason=reason.strip())
    commit(step, note=reason, data={"ground": ground})
    return step.complaint


@transaction.atomic
def complaint_transfer(
    *,
    complaint: Complaint,
    actor,
    to_company: Company,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    """R2.1: a complaint outside this company's remit goes to the right
    company, which then owns it; the registering company keeps seeing it."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.TRANSFER,
        expected_version=expected_version,
    )
    case = step.complaint
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写移交理由"), field="reason")
    if to_company.pk == case.owning_company_id or not to_company.is_active:
        raise DomainValidationError(_("请选择其他有效机构"), field="to_company")
    step.changes.update(owning_company=to_company, handler=None)
    commit(
        step,
        note=reason,
        data={
            "from_company": case.owning_company_id,
            "to_company": to_company.pk,
            "ground": OUTSIDE_REMIT,
        },
    )
    return case
