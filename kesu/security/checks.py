"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def database_link_is_verified_tls(app_configs, **kwargs):
    """D1: in production the PostgreSQL link uses TLS with a verified server."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        return []
    if db.get("OPTIONS", {}).get("sslmode") == "verify-full":
        return []
    return [
        Warning(
            "The PostgreSQL connection does not use sslmode=verify-full.",
            hint="Add ?sslmode=verify-full (and sslrootcert) to DATABASE_URL (D1).",
            id="kesu.W001",
        )
    ]


@register(Tags.security, deploy=True)
def field_keys_are_set(app_configs, **kwargs):
    """D2: personal data is not encrypted with development keys."""
    if settings.KESU_FIELD_KEYS and settings.KESU_BLIND_INDEX_KEY:
        return []
    return [
        Warning(
            "KESU_FIELD_KEYS / KESU_BLIND_INDEX_KEY are not set; development "
            "keys derived from SECRET_KEY are in use.",
            id="kesu.W002",
        )
    ]
