"""Removing personal data from a typical case (S5.3, S6.1; issue 6.4): names
become surname + *, ID, phone, bank-card and policy numbers and the address
are taken out of the text entirely (not partially masked: a training case
needs none of them)."""

import re

from kesu.privacy import mask_name

REMOVED = "［已删除］"
PATTERNS = [
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),  # resident ID
    re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"),  # old ID
    re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])"),  # bank card
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),  # mobile
    re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"),  # landline
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
]


def scrub(text: str, *, names: list[str] = (), remove: list[str] = ()) -> str:
    """`names` are replaced by surname + *, `remove` (address, policy number…)
    and every ID/phone/card/e-mail pattern by a marker."""
    if not text:
        return ""
    for value in sorted(
        {v.strip() for v in remove if v and len(v.strip()) >= 4}, key=len, reverse=True
    ):
        text = text.replace(value, REMOVED)
    for pattern in PATTERNS:
        text = pattern.sub(REMOVED, text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True
    ):
        text = text.replace(name, mask_name(name))
    return text


def complaint_personal_data(complaint) -> tuple[list[str], list[str]]:
    """(names, other values) of a complaint that must not reach a typical case."""
    complainant = complaint.complainant
    names = [complainant.name, complaint.agent_name, complainant.legal_representative]
    names += [
        n for n in re.split(r"[，,、;；\s]+", complaint.complained_staff_names or "")
    ]
    names += [u.full_name for u in complaint.complained_staff.all()]
    remove = [
        complainant.address,
        complainant.id_number,
        complainant.phone,
        complaint.policy_number,
        complaint.agent_phone,
        complainant.credit_code,
    ]
    return [n for n in names if n], [v for v in remove if v]
