"""Input checks the intake form shows next to the field (F3): the resident ID
check digit of GB 11643-1999, mainland mobile numbers, policy numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
HOTLINE = re.compile(r"^(400|800)-?\d{3}-?\d{4}$|^95\d{3}$")
POLICY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,31}$")  # D: 6–32 letters, digits, '-'


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def validate_resident_id(value: str) -> str:
    """GB 11643: 18 characters, the last a check digit (0–9 or X)."""
    value = re.sub(r"\s+", "", value or "").upper()
    if not ID_PATTERN.match(value):
        raise ValidationError(
            _("身份证号码应为18位，前17位为数字，最后一位为数字或X"), code="id_format"
        )
    expected = id_check_digit(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("身份证号码校验位不正确（按 GB 11643 计算应为 %(d)s），请核对号码"),
            code="id_check",
            params={"d": expected},
        )
    return value


def validate_phone(value: str) -> str:
    """A mainland mobile (1[3-9] + 9 digits), a landline with area code, or a
    400/800/955xx service number."""
    compact = re.sub(r"[\s()]", "", value or "")
    if compact.startswith("+86"):
        compact = compact[3:]
    if MOBILE.match(compact) or LANDLINE.match(compact) or HOTLINE.match(compact):
        return compact
    if compact.isdigit() and compact.startswith("1"):
        raise ValidationError(
            _("手机号码应为11位，以13–19开头，例如 13812345678"), code="mobile"
        )
    raise ValidationError(
        _("电话号码格式不正确：手机号11位，固话请带区号，如 020-12345678"), code="phone"
    )


def validate_policy_number(value: str) -> str:
    value = (value or "").strip().upper()
    if not POLICY.match(value):
        raise ValidationError(_("保单号应为6–32位字母、数字或连字符"), code="policy")
    return value
