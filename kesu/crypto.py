"""Encryption at rest of personal data (D2, A7) and the HMAC blind index.

Ciphertext format: ``ks1$<cipher>$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>``.
The key id makes rotation possible: new writes use KESU_FIELD_KEY_CURRENT,
rows under an older key still decrypt while its key is listed. Ciphers:
``aes-gcm`` (AES-256-GCM, default) and ``sm4-gcm`` (SM4-GCM, GB/T 32907, for
deployments under the commercial-cryptography assessment 密评, A7), both via
`cryptography`. The blind index is HMAC-SHA-256 (HMAC-SM3 with sm4-gcm) of
the normalised value under its own key, so exact search and repeat
detection work without decrypting."""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "ks1"
CIPHERS = ("aes-gcm", "sm4-gcm")


class DecryptionError(Exception):
    """A stored value cannot be decrypted (unknown key id or tampered)."""


def _derive(label: str, length: int) -> bytes:
    """Development-only keys derived from SECRET_KEY (never in production:
    settings require KESU_FIELD_KEYS there)."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=length, salt=b"kesu", info=label.encode()
    )
    return hkdf.derive(settings.SECRET_KEY.encode())


@lru_cache(maxsize=8)
def _keys(spec: str) -> dict[str, bytes]:
    """KESU_FIELD_KEYS="k1:<base64 32 bytes>,k2:<...>" → {"k1": b"..."}."""
    keys: dict[str, bytes] = {}
    for item in filter(None, (p.strip() for p in spec.split(","))):
        kid, _, b64 = item.partition(":")
        raw = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
        if len(raw) != 32 or not kid or "$" in kid:
            raise ImproperlyConfigured(
                f"KESU_FIELD_KEYS entry {kid!r} must be a 32-byte key"
            )
        keys[kid] = raw
    return keys


def field_keys() -> dict[str, bytes]:
    spec = getattr(settings, "KESU_FIELD_KEYS", "")
    return _keys(spec) if spec else {"dev": _derive("field-key-dev", 32)}


def current_key_id() -> str:
    kid = getattr(settings, "KESU_FIELD_KEY_CURRENT", "") or next(iter(field_keys()))
    if kid not in field_keys():
        raise ImproperlyConfigured(
            f"KESU_FIELD_KEY_CURRENT={kid!r} is not in KESU_FIELD_KEYS"
        )
    return kid


def current_cipher() -> str:
    name = getattr(settings, "KESU_FIELD_CIPHER", "aes-gcm")
    if name not in CIPHERS:
        raise ImproperlyConfigured(f"KESU_FIELD_CIPHER must be one of {CIPHERS}")
    return name


def _seal(cipher: str, key: bytes, plaintext: bytes) -> bytes:
    nonce = os.urandom(12)
    if cipher == "aes-gcm":
        return nonce + AESGCM(key).encrypt(nonce, plaintext, PREFIX.encode())
    enc = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(PREFIX.encode())
    return nonce + enc.update(plaintext) + enc.finalize() + enc.tag


def _open(cipher: str, key: bytes, blob: bytes) -> bytes:
    nonce, body = blob[:12], blob[12:]
    if cipher == "aes-gcm":
        return AESGCM(key).decrypt(nonce, body, PREFIX.encode())
    dec = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce, body[-16:])).decryptor()
    dec.authenticate_additional_data(PREFIX.encode())
    return dec.update(body[:-16]) + dec.finalize()


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + "$")


def encrypt(
    plaintext: str, *, cipher: str | None = None, key_id: str | None = None
) -> str:
    cipher = cipher or current_cipher()
    key_id = key_id or current_key_id()
    blob = _seal(cipher, field_keys()[key_id], plaintext.encode())
    return f"{PREFIX}${cipher}${key_id}${base64.urlsafe_b64encode(blob).decode()}"


def decrypt(token: str) -> str:
    try:
        prefix, cipher, key_id, b64 = token.split("$", 3)
        key = field_keys()[key_id]
        if prefix != PREFIX or cipher not in CIPHERS:
            raise ValueError(prefix)
        return _open(cipher, key, base64.urlsafe_b64decode(b64)).decode()
    except Exception as exc:  # any failure is the same to the caller
        raise DecryptionError("stored personal data cannot be decrypted") from exc


def normalise(value: str) -> str:
    """What counts as 'the same' ID or phone number for exact search."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def blind_index(value: str) -> str:
    """HMAC of the normalised value (D2); "" for an empty value."""
    value = normalise(value)
    if not value:
        return ""
    spec = getattr(settings, "KESU_BLIND_INDEX_KEY", "")
    key = (
        base64.urlsafe_b64decode(spec + "=" * (-len(spec) % 4))
        if spec
        else _derive("blind-index", 32)
    )
    if current_cipher() == "sm4-gcm":
        return _hmac_sm3(key, value.encode())
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _hmac_sm3(key: bytes, data: bytes) -> str:
    from cryptography.hazmat.primitives import hmac as chmac

    h = chmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize().hex()
