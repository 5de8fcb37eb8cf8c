from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "kesu.supervision"
    label = "supervision"
