from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "kesu.security"
    label = "security"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (deploy checks; audit hooks)
