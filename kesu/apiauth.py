"""API authentication: the staff session (with CSRF) or a per-client token
(`Authorization: Bearer <token>`), hashed with SHA-256 and looked up by
hash: one indexed query, no password hashing per request (issue 3 item 6).

A token is 32 random bytes, so a fast unsalted hash is safe: nobody can
brute-force the preimage, and the lookup stays one index probe."""

import hashlib
import json
import secrets
from functools import cache

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kesu.accounts.models import ApiClient, User, UserRole
from kesu.errors import DomainValidationError, Forbidden
from kesu.organisation.models import Company
from kesu.prepared import Columns, fetch

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
        name=name,
        company_id=acting_user.company_id,
        acting_user=acting_user,
        token_prefix=token[:10],
        token_hash=token_hash(token),
    )
    return client, token


CLIENT = Columns(ApiClient, "a")
ACTING = Columns(User, "u")
COMPANY = Columns(Company, "co")


@cache
def _client_sql(vendor: str) -> str:
    tables = {
        m.__name__: connection.ops.quote_name(m._meta.db_table)
        for m in (ApiClient, User, Company, UserRole)
    }
    if vendor == "postgresql":
        roles = "ARRAY(SELECT r.role FROM {UserRole} r WHERE r.user_id = u.id)"
    else:
        roles = (
            "(SELECT json_group_array(r.role) FROM {UserRole} r WHERE r.user_id = u.id)"
        )
    sql = (
        f"SELECT {CLIENT.sql()}, {ACTING.sql()}, {COMPANY.sql()}, {roles}"
        " FROM {ApiClient} a JOIN {User} u ON u.id = a.acting_user_id"
        " LEFT JOIN {Company} co ON co.id = u.company_id"
        " WHERE a.token_hash = %s AND a.is_active = %s"
    )
    return sql.format(**tables)


def client_of(hashed: str) -> ApiClient | None:
    """The active client with this token hash, its acting user, the user's
    company and roles (`role_set`), in one prepared statement: the ORM's
    join and the roles' query cost 2 ms of CPU per request (issue 8). Read
    afresh on every request, so revoking a token, deactivating a client or
    user, or changing roles takes effect at once."""
    rows = fetch("kesu_api_client", _client_sql(connection.vendor), [hashed, True])
    if not rows:
        return None
    row = rows[0]
    client = CLIENT.load(row)
    user = ACTING.load(row, CLIENT.width)
    company = COMPANY.load(row, CLIENT.width + ACTING.width)
    roles = row[-1]
    if isinstance(roles, str):  # SQLite's JSON array
        roles = json.loads(roles)
    User._meta.get_field("company").set_cached_value(user, company)
    user.__dict__["role_set"] = frozenset(roles or ())  # the cached_property
    ApiClient._meta.get_field("acting_user").set_cached_value(client, user)
    return client


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        client = client_of(token_hash(token))
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
