"""A model field that stores personal data encrypted (D2): the model sees
plain text, the database only `ks1$...` ciphertext (kesu/crypto.py).

Encryption is randomised, so the column cannot be searched: store a blind
index beside it (`crypto.blind_index`) and filter on that."""

from django.db import models

from kesu import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest (AES-GCM or SM4-GCM)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "" or not crypto.is_encrypted(value):
            return value  # legacy plain rows read as they are until migrated
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.is_encrypted(value):
            return value
        return crypto.encrypt(value)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "kesu.crypto_fields.EncryptedTextField", args, kwargs
