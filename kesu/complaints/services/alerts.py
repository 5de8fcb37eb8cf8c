"""R1.14: a major or group complaint alerts the parent company's and head
office's customer service at once, through the outbox (written in the same
transaction, sent after commit by the relay)."""

from django.utils.translation import gettext as _

from kesu.accounts.roles import Role
from kesu.organisation.models import Company, Level
from kesu.organisation.selectors import customer_service_of

from ..models import Complaint, Grade

ALERT_GRADES = (Grade.MAJOR, Grade.GROUP)


def alert_companies(complaint: Complaint) -> list[Company]:
    owner = complaint.owning_company
    targets: list[Company] = []
    if owner.parent_id:
        targets.append(owner.parent)
    if owner.level != Level.HEAD_OFFICE:
        head = Company.objects.filter(level=Level.HEAD_OFFICE).first()
        if head and head not in targets:
            targets.append(head)
    return targets


def alert_major(complaint: Complaint) -> list[int]:
    """Queue the alert; returns the ids of the companies alerted."""
    if complaint.grade not in ALERT_GRADES:
        return []
    from kesu.notifications.services import notification_enqueue

    alerted = []
    for company in alert_companies(complaint):
        notification_enqueue(
            kind="complaint.major",
            subject=_("%(grade)s投诉：%(number)s")
            % {"grade": Grade(complaint.grade).label, "number": complaint.number},
            body=_("%(company)s登记了一件%(grade)s投诉，请关注。")
            % {
                "company": complaint.owning_company.name,
                "grade": Grade(complaint.grade).label,
            },
            payload={
                "complaint": complaint.pk,
                "number": complaint.number,
                "grade": complaint.grade,
            },
            company=company,
            department=customer_service_of(company),
            roles=(Role.HANDLER, Role.CS_HEAD),
            dedupe_key=f"complaint.major:{complaint.pk}:{company.pk}:{complaint.grade}",
        )
        alerted.append(company.pk)
    return alerted


def alert_supervision(complaint: Complaint, reason: str) -> list[int]:
    """S5.5: head office's customer service hears at once of a case put under
    its supervision (outbox row in the same transaction)."""
    from kesu.notifications.services import notification_enqueue

    head = Company.objects.filter(level=Level.HEAD_OFFICE).first()
    if head is None:
        return []
    notification_enqueue(
        kind="complaint.supervision",
        subject=_("提请总公司督办：%(number)s") % {"number": complaint.number},
        body=_("%(company)s提请总公司督办：%(reason)s")
        % {"company": complaint.owning_company.name, "reason": reason},
        payload={"complaint": complaint.pk, "number": complaint.number},
        company=head,
        department=customer_service_of(head),
        roles=(Role.HANDLER, Role.CS_HEAD),
        dedupe_key=f"complaint.supervision:{complaint.pk}",
    )
    return [head.pk]
