from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "kesu.classification"
    label = "classification"
