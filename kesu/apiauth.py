"""API authentication: the staff session (with CSRF) or a per-client token
(`Authorization: Bearer <token>`), hashed with SHA-256 and looked up by
hash: one indexed query, no password hashing per request."""

import hashlib
import secrets

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth as NinjaSessionAuth

from kesu.accounts.models import ApiClient


class SessionAuth(NinjaSessionAuth):
    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, client: ApiClient) -> str:
    """A new token for `client`; only its hash is stored."""
    token = "ks_" + secrets.token_urlsafe(32)
    client.token_prefix = token[:10]
    client.token_hash = token_hash(token)
    client.save(update_fields=["token_prefix", "token_hash"])
    return token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        client = (
            ApiClient.objects.select_related("acting_user", "acting_user__company")
            .filter(token_hash=token_hash(token), is_active=True)
            .first()
        )
        if client is None or not client.acting_user.is_active:
            return None
        now = timezone.now()
        if client.last_used_at is None or (now - client.last_used_at).seconds > 60:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        request.user = client.acting_user
        request.api_client = client
        return client.acting_user
