"""Masking of personal data for display, exports and logs (E2, C5).

Every function keeps the length of its input (so layouts and column widths do
not reveal less or more than the pattern) and is idempotent: masking a masked
value changes nothing. Patterns (E2, open point 2 of security.md): ID first 3
+ last 4, phone 3 + 4, bank card first 6 + last 4, name surname + *, address
up to the district, policy number last 4."""

import logging
import re

MASK = "*"

# Free-text patterns: an 18-digit resident ID (last may be X), a 15-digit
# old ID, a mainland mobile number. Digits around them must not be digits.
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{3})(\d{8})(\d{4})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_CARD = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
_DISTRICT = re.compile(r"^.*?(?:区|县|旗)")
_CITY = re.compile(r"^.*?市")


def _keep(value: str, head: int, tail: int) -> str:
    """Keep `head` leading and `tail` trailing characters; mask the middle.
    A value too short for the pattern keeps fewer, so something is always
    masked. The kept positions depend on the length only (idempotence)."""
    n = len(value)
    while head + tail >= n and (head or tail):
        if tail >= head:
            tail -= 1
        else:
            head -= 1
    return value[:head] + MASK * (n - head - tail) + value[n - tail :]


def mask_id_number(value: str) -> str:
    """ID: first 3 + last 4 (the birth date in the middle is never shown)."""
    return _keep(value or "", 3, 4)


def mask_phone(value: str) -> str:
    """Phone: first 3 + last 4, e.g. 138****1234."""
    return _keep(value or "", 3, 4)


def mask_bank_account(value: str) -> str:
    """Bank card: first 6 + last 4."""
    return _keep(value or "", 6, 4)


def mask_name(value: str) -> str:
    """Name: the surname (first character) and * for the rest: 张*, 欧**."""
    value = value or ""
    if len(value) <= 1:
        return MASK * len(value)
    return value[0] + MASK * (len(value) - 1)


def mask_address(value: str) -> str:
    """Address: kept up to the district (区/县/旗/市), the rest masked."""
    value = value or ""
    match = _DISTRICT.match(value) or _CITY.match(value)
    keep = (
        match.end() if match and match.end() < len(value) else min(6, len(value) // 2)
    )
    return value[:keep] + MASK * (len(value) - keep)


def mask_policy_number(value: str) -> str:
    """Policy number: last 4 only."""
    return _keep(value or "", 0, 4)


def mask_text(text: str) -> str:
    """Masks ID and mobile numbers found anywhere in free text (logs, audit
    details, exports of free-text fields)."""
    if not text:
        return text
    text = _ID18.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _ID15.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _CARD.sub(lambda m: mask_bank_account(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


class MaskingLogFilter(logging.Filter):
    """A logging filter (C5): masks ID/phone numbers in every record and
    escapes CR/LF so a user-supplied value cannot forge a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        safe = mask_text(message).replace("\r", "\\r").replace("\n", "\\n")
        if safe != message or record.args:
            record.msg, record.args = safe, None
        return True


# E1 (JR/T 0171-2020): every personal-data field is classified. C3 鉴别信息
# (passwords, OTP secrets) is never returned by any API; C2 personal data of
# customers is encrypted at rest (D2) and masked on display (E2); staff
# contact data is C2 but visible to colleagues by design (DESIGN §5) and not
# encrypted. A meta-test fails when a new field looks personal and is not here.
PI_FIELDS: dict[str, str] = {
    "complaints.Complainant.name": "C2",
    "complaints.Complainant.id_number": "C2",
    "complaints.Complainant.phone": "C2",
    "complaints.Complainant.address": "C2",
    "complaints.Complainant.credit_code": "C1",  # an organisation's public code
    "complaints.Complainant.legal_representative": "C2",
    "complaints.Complaint.agent_name": "C2",
    "complaints.Complaint.agent_phone": "C2",
    "complaints.Complaint.policy_number": "C2",
    "accounts.User.phone": "C2",
    "accounts.User.email": "C2",
    "accounts.User.password": "C3",
    "otp_totp.TOTPDevice.key": "C3",
}
ENCRYPTED_PI_FIELDS = {
    "complaints.Complainant.id_number",
    "complaints.Complainant.phone",
    "complaints.Complainant.address",
    "complaints.Complaint.agent_phone",
}
