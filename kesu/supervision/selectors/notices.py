"""Reads of public notices (S4)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kesu.errors import NotFound

from ..access import managed_companies, visible_to_company_scope
from ..models import PublicNotice
from ..periods import Period


def public_notice_scope(user) -> QuerySet[PublicNotice]:
    """Published notices of the user's company or above (everyone in the
    issuing company's scope reads them), plus every notice, drafts included,
    of the companies where the user runs supervision."""
    published = Q(status=PublicNotice.Status.PUBLISHED) & (
        visible_to_company_scope(user) | Q(company__in=managed_companies(user))
    )
    drafts = Q(company__in=managed_companies(user))
    return PublicNotice.objects.filter(published | drafts).select_related(
        "company", "department", "department__company"
    )


def public_notice_list_for(
    user, *, period: Period | None = None, status: str = ""
) -> QuerySet[PublicNotice]:
    notices = public_notice_scope(user)
    if status:
        notices = notices.filter(status=status)
    if period is not None:
        lo, hi = period.bounds()
        notices = notices.filter(published_at__gte=lo, published_at__lt=hi)
    return notices


def public_notice_get_for(user, *, pk: int) -> PublicNotice:
    notice = public_notice_scope(user).filter(pk=pk).first()
    if notice is None:
        raise NotFound(_("未找到该公示"))
    return notice


def public_notices_count(company, period: Period) -> int:
    """For assessment (DESIGN §8): notices published naming departments of
    `company` in the period."""
    lo, hi = period.bounds()
    return PublicNotice.objects.filter(
        department__company=company,
        status=PublicNotice.Status.PUBLISHED,
        published_at__gte=lo,
        published_at__lt=hi,
    ).count()
