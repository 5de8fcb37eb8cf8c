from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    case,
    complaints,
    dashboard,
    export,
    health,
    home,
    intake,
    investigations,
    notifications,
)

app_name = "web"

urlpatterns = [
    path("", home.workbench, name="workbench"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"
    ),
    path("complaints/", complaints.complaint_list, name="complaint_list"),
    path("complaints/export/", export.complaint_export, name="complaint_export"),
    path("exports/<int:pk>/", export.export_job, name="export_job"),
    path("exports/<int:pk>/download/", export.export_download, name="export_download"),
    path("complaints/new/", intake.intake, name="intake"),
    path("complaints/new/warnings/", intake.intake_warnings, name="intake_warnings"),
    path("complaints/<str:number>/", case.complaint_detail, name="complaint_detail"),
    path(
        "complaints/<str:number>/do/<str:action>/",
        case.complaint_action,
        name="complaint_action",
    ),
    path(
        "complaints/<str:number>/reveal/",
        case.complaint_reveal,
        name="complaint_reveal",
    ),
    path(
        "complaints/<str:number>/attachments/",
        case.complaint_upload,
        name="complaint_upload",
    ),
    path(
        "complaints/<str:number>/attachments/<int:attachment_id>/",
        case.attachment_download,
        name="attachment",
    ),
    path(
        "complaints/<str:number>/letter/",
        case.complaint_letter,
        name="complaint_letter",
    ),
    path(
        "investigations/", investigations.investigation_list, name="investigation_list"
    ),
    path(
        "investigations/<int:pk>/",
        investigations.investigation_answer_page,
        name="investigation_answer",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
