from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kesu.accounts"
    label = "accounts"
