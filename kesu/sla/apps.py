from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "kesu.sla"
    label = "sla"
