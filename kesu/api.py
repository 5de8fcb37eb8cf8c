"""The JSON API (django-ninja). Each app contributes a router; domain errors
are mapped to HTTP here, once, with a message in the user's language
(Chinese by default, English with `Accept-Language: en`; LocaleMiddleware
picks it). Every refusal is a 4xx `{"detail": "..."}`, never a 500 (G5)."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from kesu.errors import DomainError

from .apiauth import ApiTokenAuth, SessionAuth

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="kesu API",
    version="1",
    description=(
        "kesu (客诉) complaint management. Authenticate with the staff session "
        "(unsafe methods need the CSRF token in `X-CSRFToken`) or a client token "
        "(`Authorization: Bearer ks_...`). Errors are `{\"detail\": \"...\"}` in "
        "Chinese, or English with `Accept-Language: en`."
    ),
    urls_namespace="api",
    # Token first: a bearer request never needs the session's CSRF check.
    auth=[ApiTokenAuth(), SessionAuth()],
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    body = {"detail": str(exc.message)}
    if exc.field:
        body["field"] = exc.field
    if exc.data:
        body.update({k: v for k, v in exc.data.items() if k != "detail"})
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到")}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request, exc):
    return api.create_response(request, {"detail": _("未找到")}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("请先登录")}, status=401)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(
        request, {"detail": _("您没有执行此操作的权限")}, status=403
    )


# Pydantic error types → a short translatable message; others keep pydantic's.
_FIELD_MESSAGES = {
    "missing": lambda: _("必填"),
    "string_too_short": lambda: _("不能为空"),
    "string_too_long": lambda: _("内容过长"),
    "string_type": lambda: _("应为文本"),
    "int_parsing": lambda: _("应为整数"),
    "int_type": lambda: _("应为整数"),
    "date_from_datetime_parsing": lambda: _("日期格式应为 YYYY-MM-DD"),
    "date_parsing": lambda: _("日期格式应为 YYYY-MM-DD"),
    "datetime_parsing": lambda: _("时间格式应为 ISO 8601"),
    "datetime_from_date_parsing": lambda: _("时间格式应为 ISO 8601"),
    "enum": lambda: _("不是允许的取值"),
    "literal_error": lambda: _("不是允许的取值"),
    "bool_parsing": lambda: _("应为 true 或 false"),
    "greater_than_equal": lambda: _("数值过小"),
    "less_than_equal": lambda: _("数值过大"),
    "json_invalid": lambda: _("请求体不是有效的 JSON"),
}


def field_errors(errors: list[dict]) -> list[dict]:
    """Pydantic errors as `{field, message, type}`, without echoing the input
    (it may carry personal data) or non-JSON context objects."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in {"body", "query", "path", "header", "form", "file"}:
            loc = loc[1:]
        if loc and loc[0] in {"payload", "data", "filters", "body"}:
            loc = loc[1:]
        kind = str(err.get("type", ""))
        message = _FIELD_MESSAGES.get(kind)
        if message is not None:
            text = str(message())
        elif kind == "value_error" and "error" in (err.get("ctx") or {}):
            text = str(err["ctx"]["error"])  # our own validators' messages
        else:
            text = str(err.get("msg", ""))
        out.append({"field": ".".join(loc), "message": text, "type": kind})
    return out


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = field_errors(exc.errors)
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors if e["field"])
    detail = _("输入有误")
    if summary:
        detail = _("输入有误：%(errors)s") % {"errors": summary}
    return api.create_response(
        request, {"detail": detail, "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def _django_invalid(request, exc: DjangoValidationError):
    return api.create_response(
        request, {"detail": "; ".join(str(m) for m in exc.messages)}, status=400
    )


@api.exception_handler(IntegrityError)
def _integrity(request, exc: IntegrityError):
    # A unique/foreign-key race that the service did not turn into a Conflict.
    log.warning("integrity error mapped to 409: %s", exc)
    return api.create_response(
        request, {"detail": _("数据已被他人修改，请刷新后重试")}, status=409
    )


@api.exception_handler(DataError)
def _data_error(request, exc: DataError):
    # A value the database cannot store that no schema caught (G6: no 500).
    log.warning("data error mapped to 400: %s", exc)
    return api.create_response(
        request, {"detail": _("输入含有无法保存的字符或超出范围的数值")}, status=400
    )


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    return api.create_response(
        request, {"detail": _("请求过于频繁，请稍后再试")}, status=429
    )


_HTTP_MESSAGES = {
    400: lambda: _("请求格式有误"),
    401: lambda: _("请先登录"),
    403: lambda: _("您没有执行此操作的权限"),
    404: lambda: _("未找到"),
    405: lambda: _("不支持该请求方法"),
    413: lambda: _("请求过大"),
}


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # ninja's own HttpErrors carry English text ("Cannot parse request body"):
    # use our translated message for the status instead.
    message = _HTTP_MESSAGES.get(exc.status_code)
    detail = str(message()) if message else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def _mount() -> None:
    from kesu.audit.api import router as audit
    from kesu.committee.api import router as committee
    from kesu.complaints.api import router as complaints
    from kesu.organisation.api import router as organisation
    from kesu.reports.api import router as reports
    from kesu.sla.api import router as sla
    from kesu.supervision.api import router as supervision

    api.add_router("/complaints", complaints, tags=["complaints"])
    api.add_router("/organisation", organisation, tags=["organisation"])
    api.add_router("/calendar", sla, tags=["calendar"])
    api.add_router("/supervision", supervision, tags=["supervision"])
    api.add_router("/committee", committee, tags=["committee"])
    api.add_router("/reports", reports, tags=["reports"])
    api.add_router("/audit", audit, tags=["audit"])


_mount()
