"""Head office's supervision (S5.5): a case whose finding differs greatly
from the complaint is put under head office's customer service, which may
give its opinion; the owning company keeps handling the case and sees the
opinion in its history. Escalated complaints are supervised from
registration (services/register.py)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kesu.errors import DomainValidationError

from ..lifecycle import Action
from ..models import Complaint
from .alerts import alert_supervision
from .transition import begin, commit


def _required(value: str, field: str, message) -> str:
    if not (value or "").strip():
        raise DomainValidationError(message, field=field)
    return value.strip()


@transaction.atomic
def complaint_request_supervision(
    *, complaint: Complaint, actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """S5.5: the owning company asks head office to supervise the case."""
    reason = _required(reason, "reason", _("请说明调查结果与投诉情况的差异"))
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REQUEST_SUPERVISION,
        expected_version=expected_version,
    )
    step.changes["supervised_by_head_office"] = True
    alerted = alert_supervision(step.complaint, reason)
    commit(step, note=reason, data={"alerted_companies": alerted})
    return step.complaint


@transaction.atomic
def complaint_give_supervision_opinion(
    *, complaint: Complaint, actor, opinion: str, expected_version: int | None = None
) -> Complaint:
    """S5.5: head office's supervision opinion, recorded on the case's
    history for the owning company to act on."""
    opinion = _required(opinion, "opinion", _("请填写督办意见"))
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.GIVE_SUPERVISION_OPINION,
        expected_version=expected_version,
    )
    commit(step, note=opinion)
    return step.complaint
