import os

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from kesu.security import views as security_views

from .api import api

urlpatterns = [
    # A3/A5: every password login goes through the two-step login view, the
    # admin site's own login page included (it answers the same /login/).
    path("login/", security_views.LoginView.as_view(), name="login"),
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="web:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("security/", include("kesu.security.urls")),
    path("audit/", include("kesu.audit.urls")),
    path("reports/", include("kesu.reports.urls")),
    path("", include("kesu.supervision.urls")),  # supervision/ and committee/
    path("", include("kesu.web.urls")),
]

if os.environ.get("KESU_BENCH") == "1":  # issue 8: the framework's ceiling, bench only
    urlpatterns.insert(0, path("bench/", include("kesu.ops.bench_views")))

handler404 = "kesu.web.views.errors.page_not_found"
handler500 = "kesu.web.views.errors.server_error"
handler403 = "kesu.web.views.errors.permission_denied"
