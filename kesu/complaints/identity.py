"""Blind indexes of a complainant's ID number and phone (E/D2): an HMAC of
the normalised value, so exact search and repeat detection (DESIGN §3.1)
work without reading or storing a searchable plaintext."""

import hashlib
import hmac
import re

from django.conf import settings


def _key() -> bytes:
    secret = getattr(settings, "KESU_BLIND_INDEX_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(f"kesu-blind-index:{secret}".encode()).digest()


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[-11:] if len(digits) > 11 and digits.startswith("86") else digits


def blind_index(kind: str, value: str) -> str:
    norm = normalise_id_number(value) if kind == "id" else normalise_phone(value)
    if not norm:
        return ""
    return hmac.new(_key(), f"{kind}:{norm}".encode(), hashlib.sha256).hexdigest()
