from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.record_list, name="records"),
    path("export.csv", views.record_export, name="export"),
]
