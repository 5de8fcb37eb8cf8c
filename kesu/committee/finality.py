"""S3.4, S6.10: a committee ruling on liability and cause is final. Nobody
below the company whose committee ruled may change it; only a committee of
a company strictly above may rule again.

`ruling_override_check` is the one check every writer of a ruled case's
liability, responsible link or cause must call (the committee's deliberation
service does; `kesu.complaints.services.closing` checks closing itself, and
its `complaint_apply_ruling` should call this before it writes)."""

from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint
from kesu.errors import Conflict
from kesu.organisation.models import Company


def ruling_may_be_changed_by(complaint: Complaint, company: Company | None) -> bool:
    if not complaint.ruled_by_committee:
        return True
    ruled_at = complaint.ruling_company
    return bool(
        ruled_at is not None
        and company is not None
        and ruled_at.pk != company.pk
        and ruled_at.is_within(company)
    )


def ruling_override_check(complaint: Complaint, *, company: Company | None) -> None:
    """Raise Conflict when `company` is not strictly above the ruling company."""
    if not ruling_may_be_changed_by(complaint, company):
        raise Conflict(_("该案责任已由协调委员会裁定，不能在同级或下级更改"))
