from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "kesu.complaints"
    label = "complaints"
