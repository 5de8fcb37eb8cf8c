"""The JSON API (django-ninja). Each app contributes a router; domain errors
are mapped to HTTP here, once, with a message in the user's language."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kesu.errors import DomainError

from .apiauth import ApiTokenAuth, SessionAuth

api = NinjaAPI(
    title="kesu API",
    version="1",
    description="kesu (客诉) complaint management",
    urls_namespace="api",
    auth=[SessionAuth(), ApiTokenAuth()],
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    body = {"detail": str(exc.message)}
    if exc.field:
        body["field"] = exc.field
    if exc.data:
        body.update(exc.data)
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到")}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("请先登录")}, status=401)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": _("输入有误"), "errors": exc.errors}, status=422
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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
