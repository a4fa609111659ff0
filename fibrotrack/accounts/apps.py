from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fibrotrack.accounts"
    label = "accounts"
    verbose_name = "Accounts"
