from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "kesu.security"
    label = "security"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (auth and admin events → audit log)
