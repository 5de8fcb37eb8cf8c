"""Security middleware: session lifetime (A4), forced password change (A2),
rate limits (F5, A3), security headers (D5, CSP) and the audit of refused
access (C1). None of them queries the database on an ordinary request."""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from kesu.audit.context import client_ip
from kesu.audit.models import Result

from . import ratelimit

logger = logging.getLogger(__name__)

LOGIN_AT = "kesu_login_at"
SEEN_AT = "kesu_seen_at"
PASSWORD_EXPIRED = "kesu_password_expired"
_SEEN_WRITE_EVERY = 30  # seconds: avoid a session write on every request


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class SessionPolicyMiddleware:
    """A4: idle timeout (SESSION_IDLE_SECONDS) and absolute lifetime
    (SESSION_ABSOLUTE_SECONDS) of a login session; A2: a user whose password
    expired can only change it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = time.time()
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            idle = getattr(settings, "SESSION_IDLE_SECONDS", 1800)
            absolute = getattr(settings, "SESSION_ABSOLUTE_SECONDS", 12 * 3600)
            if now - seen_at > idle or now - login_at > absolute:
                return self._expired(request)
            if now - seen_at >= _SEEN_WRITE_EVERY or SEEN_AT not in session:
                session[SEEN_AT] = now
            if session.get(PASSWORD_EXPIRED) and not self._exempt(request):
                return self._password_expired(request)
        return self.get_response(request)

    def _expired(self, request):
        from kesu.audit.services import audit_record

        audit_record(
            action="auth.session_expired",
            request=request,
            user=request.user,
            result=Result.FAILURE,
        )
        request.session.flush()
        request.user = AnonymousUser()
        if _is_api(request):
            return JsonResponse({"detail": _("会话已过期，请重新登录")}, status=401)
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")

    @staticmethod
    def _exempt(request) -> bool:
        return request.path.startswith(("/security/", "/logout/", "/static/", "/i18n/"))

    @staticmethod
    def _password_expired(request):
        if _is_api(request):
            return JsonResponse({"detail": _("密码已过期，请先修改密码")}, status=403)
        return redirect("security:password_change")


class RateLimitMiddleware:
    """F5: the API per user/client (KESU_API_RATE, default 120 per minute);
    A3: login attempts per IP (KESU_LOGIN_IP_RATE, default 30 per 15
    minutes) on top of the per-account lockout. Over the limit: 429 with
    Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        retry = self._check(request)
        if retry is not None:
            response = JsonResponse(
                {"detail": _("请求过于频繁，请稍后再试")}, status=429
            )
            response["Retry-After"] = str(retry)
            return response
        return self.get_response(request)

    def _check(self, request) -> int | None:
        if not getattr(settings, "KESU_RATE_LIMITS", True):
            return None
        if _is_api(request):
            limit, window = ratelimit.parse_rate(settings.KESU_API_RATE)
            return ratelimit.hit(
                f"api:{self._who(request)}", limit=limit, window=window
            )
        if request.method == "POST" and request.path in _login_paths():
            limit, window = ratelimit.parse_rate(settings.KESU_LOGIN_IP_RATE)
            return ratelimit.hit(
                f"login:{client_ip(request)}", limit=limit, window=window
            )
        return None

    @staticmethod
    def _who(request) -> str:
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        if auth.lower().startswith("bearer "):
            return "token:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:16]
        user_id = (
            request.session.get("_auth_user_id")
            if hasattr(request, "session")
            else None
        )
        return f"user:{user_id}" if user_id else f"ip:{client_ip(request)}"


def _login_paths() -> set[str]:
    return {reverse(settings.LOGIN_URL), reverse("security:two_factor")}


class SecurityHeadersMiddleware:
    """Content-Security-Policy without inline or external scripts (Django 5.2
    has no CSP support of its own; a one-header middleware needs no library),
    and `Cache-Control: no-store` on every dynamic response (D5): pages and
    API answers may hold personal data, static files are served before this
    middleware by WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.KESU_CSP)
        if not response.has_header("Cache-Control") or request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class AccessAuditMiddleware:
    """C1: every refused request of a signed-in user (403, and 404 because
    out-of-scope objects answer 404) becomes an audit row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                from kesu.audit.services import audit_record

                audit_record(
                    action="access.denied",
                    request=request,
                    user=user,
                    result=Result.DENIED,
                    detail={
                        "status": response.status_code,
                        "method": request.method,
                        "path": request.path[:200],
                    },
                )
        return response


class ApiJsonErrorsMiddleware:
    """Under /api/ every error is JSON, also when Django itself answers (an
    unknown URL, a 500 page): clients and the OpenAPI contract expect JSON.
    A number or text the database cannot hold (a 30-digit id, a string
    longer than its column on PostgreSQL) is the client's error: 422, not
    500 (issue 7 item 6: no 500 for any input)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request, exception):
        if _is_api(request) and isinstance(exception, OverflowError | DataError):
            logger.warning(
                "refused out-of-range input on %s: %s",
                request.path,
                type(exception).__name__,
            )
            return JsonResponse(
                {"detail": _("输入有误：数值或长度超出范围")}, status=422
            )
        return None

    def __call__(self, request):
        response = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and response.get("Content-Type", "").startswith("text/html")
        ):
            messages = {404: _("未找到"), 403: _("您没有执行此操作的权限")}
            detail = messages.get(response.status_code, _("请求无法处理"))
            json = JsonResponse({"detail": str(detail)}, status=response.status_code)
            for header in ("Retry-After", "Allow"):
                if response.has_header(header):
                    json[header] = response[header]
            return json
        return response
