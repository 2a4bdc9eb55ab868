from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cicte.accounts"
    label = "accounts"
