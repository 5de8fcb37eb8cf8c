"""Pages of the coordination committee (/committee/…)."""

from django.urls import path

from .views import circulars, deliberations, meetings

app_name = "committee"

urlpatterns = [
    path("circulars/", circulars.circular_list, name="circulars"),
    path("circulars/<int:pk>/", circulars.circular_detail, name="circular"),
    path(
        "circulars/<int:pk>/issue/",
        circulars.circular_issue_view,
        name="circular_issue",
    ),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/figures/", meetings.meeting_figures, name="meeting_figures"
    ),
    path("deliberations/", deliberations.deliberation_list, name="deliberations"),
    path(
        "deliberations/<int:pk>/",
        deliberations.deliberation_detail,
        name="deliberation",
    ),
    path(
        "deliberations/<int:pk>/<str:action>/",
        deliberations.deliberation_act,
        name="deliberation_act",
    ),
]
