from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", include("kesu.reports.urls")),
    path("", include("kesu.web.urls")),
]

handler404 = "kesu.web.views.errors.page_not_found"
handler500 = "kesu.web.views.errors.server_error"
handler403 = "kesu.web.views.errors.permission_denied"
