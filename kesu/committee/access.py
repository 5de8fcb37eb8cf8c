"""Who may act for a company's complaint coordination committee (S3). Its
office sits in the customer-service department, so the office's work
(circulars, meetings) is done by the customer-service head or a committee
member of that company; deliberations and rulings by committee members."""

from django.utils.translation import gettext as _

from kesu.accounts.access import can
from kesu.accounts.roles import Perm
from kesu.errors import Forbidden, NotFound
from kesu.organisation.models import Company

OFFICE_PERMS = (Perm.SUPERVISION_MANAGE, Perm.COMMITTEE_ACT)


def own_company(user) -> Company:
    if user.company_id is None:
        raise NotFound(_("未找到该机构"))
    return user.company


def is_office(user, company: Company) -> bool:
    return user.company_id == company.pk and any(
        can(user, perm, company) for perm in OFFICE_PERMS
    )


def require_office(user, company: Company) -> None:
    """S3: the committee office of `company` (its own staff, not a parent's)."""
    if not is_office(user, company):
        raise Forbidden(_("只有本机构协调委员会办公室可以办理"))


def require_committee(user, company: Company) -> None:
    """S3.3/S3.4: a member of `company`'s committee, or of a committee above."""
    if not can(user, Perm.COMMITTEE_ACT, company):
        raise Forbidden(_("只有协调委员会委员可以作出决定"))
