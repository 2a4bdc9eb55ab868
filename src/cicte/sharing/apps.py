from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "cicte.sharing"
    label = "sharing"
    verbose_name = "Sharing"
