from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cicte.accounts"
    label = "accounts"

    def ready(self) -> None:
        from cicte.accounts.indexing import connect

        connect()  # users in the shared search index
