"""API authentication: the staff session (with CSRF) or a per-client token
(`Authorization: Bearer <token>`), hashed with SHA-256 and looked up by
hash: one indexed query, no password hashing per request (issue 3 item 6).

A token is 32 random bytes, so a fast unsalted hash is safe: nobody can
brute-force the preimage, and the lookup stays one index probe."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kesu.accounts.models import ApiClient, User
from kesu.errors import DomainValidationError, Forbidden

TOKEN_PREFIX = "ks_"
LAST_USED_RESOLUTION_SECONDS = 60  # write last_used_at at most once a minute


class CsrfFailed(Forbidden):
    pass


class SessionAuth(APIKeyCookie):
    """The staff UI's session. CSRF is enforced for unsafe methods, but only
    once we know the request really is session-authenticated, so a request
    with neither session nor token answers 401, not 403."""

    param_name = "sessionid"

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed(_("CSRF 校验失败，请刷新页面后重试"))
        return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, client: ApiClient) -> str:
    """A new token for `client`, replacing any previous one; only its hash is
    stored, so the caller must hand the token over now."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client.token_prefix = token[:10]
    client.token_hash = token_hash(token)
    client.save(update_fields=["token_prefix", "token_hash"])
    return token


@transaction.atomic
def api_client_create(*, name: str, acting_user: User) -> tuple[ApiClient, str]:
    """Register a system that files complaints (call centre, regulator feed)
    acting as `acting_user`, in that user's company. Returns the token once."""
    if not acting_user.is_active or acting_user.company_id is None:
        raise DomainValidationError(_("代表用户必须是启用状态且属于某个机构"))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name, company_id=acting_user.company_id, acting_user=acting_user,
        token_prefix=token[:10], token_hash=token_hash(token),
    )
    return client, token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        # a slice, not .first(): the hash is unique, and ordering the join
        # by id was a third of this query's CPU (issue 8)
        found = ApiClient.objects.select_related(
            "acting_user", "acting_user__company"
        ).filter(token_hash=token_hash(token), is_active=True)[:1]
        client = found[0] if found else None
        if client is None or not client.acting_user.is_active:
            # A token was presented and is wrong: do not fall back to the session.
            raise AuthenticationError()
        now = timezone.now()
        last = client.last_used_at
        if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        request.user = client.acting_user
        request.api_client = client
        return client.acting_user
