"""Who and where the current request comes from, for audit rows written deep
inside services that do not receive the request (C2: user and source IP)."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user_id: int | None = None
    username: str = ""


current: ContextVar[RequestContext | None] = ContextVar(
    "kesu_audit_request", default=None
)


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the first X-Forwarded-For hop when
    KESU_TRUSTED_PROXY_COUNT says a reverse proxy sets it (never trusted
    otherwise: a client could write anything there)."""
    hops = getattr(settings, "KESU_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops] or None
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Stores the request's IP (and user, once known) for audit_record()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(RequestContext(ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
