from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "kesu.committee"
    label = "committee"
