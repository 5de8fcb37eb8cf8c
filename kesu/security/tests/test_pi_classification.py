"""E1/D2: every field that looks like personal data is classified in
kesu.privacy.PI_FIELDS, and the customer fields marked for encryption are
encrypted fields."""

import re

from django.apps import apps

from kesu.crypto_fields import EncryptedTextField
from kesu.privacy import ENCRYPTED_PI_FIELDS, PI_FIELDS

LOOKS_PERSONAL = re.compile(
    r"id_number|id_card|phone|mobile|address$|^address|bank|account_no|email|"
    r"credit_code|password"
)


def _fields():
    for model in apps.get_models():
        label = model._meta.label
        if not (model.__module__.startswith("kesu") or label.startswith("otp_totp")):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation or field.name.endswith("_index"):
                continue
            yield f"{label}.{field.name}", field


def test_every_personal_looking_field_is_classified():
    missing = [
        name
        for name, _ in _fields()
        if LOOKS_PERSONAL.search(name.rsplit(".", 1)[1]) and name not in PI_FIELDS
    ]
    assert missing == []


def test_customer_identifiers_are_encrypted_at_rest():
    fields = dict(_fields())
    assert all(
        isinstance(fields[name], EncryptedTextField) for name in ENCRYPTED_PI_FIELDS
    )
