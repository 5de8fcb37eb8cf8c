from django.contrib.auth import views as auth_views
from django.urls import path

from .views import health, home

app_name = "web"

urlpatterns = [
    path("", home.workbench, name="workbench"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
