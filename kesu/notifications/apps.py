from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kesu.notifications"
    label = "notifications"
