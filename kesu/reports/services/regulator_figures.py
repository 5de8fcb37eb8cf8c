"""Premium, policy and insured figures per company and period (R1.13, R1.18)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.errors import DomainValidationError, Forbidden

from ..access import can_enter_regulator_figures
from ..models import RegulatorFigures
from ..periods import period_parse


def _non_negative(value, field: str, *, integer: bool):
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise DomainValidationError(_("请输入数字"), field=field) from None
    if not number.is_finite() or number < 0 or number >= Decimal(10) ** 16:
        raise DomainValidationError(_("请输入不小于 0 的合理数值"), field=field)
    if integer:
        if number != number.to_integral_value():
            raise DomainValidationError(_("请输入整数"), field=field)
        return int(number)
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def regulator_figures_enter(
    *, user, company, period_key: str, premium, policies, insured
) -> RegulatorFigures:
    """Enter or correct a company's figures for a period."""
    if not can_enter_regulator_figures(user, company):
        raise Forbidden(_("您没有填报该机构监管统计基数的权限"))
    period = period_parse(period_key)
    figures, _created = RegulatorFigures.objects.update_or_create(
        company=company,
        period_key=period.key,
        defaults={
            "period_kind": period.kind,
            "premium": _non_negative(premium, "premium", integer=False),
            "policies": _non_negative(policies, "policies", integer=True),
            "insured": _non_negative(insured, "insured", integer=True),
            "entered_by": user,
        },
    )
    return figures
