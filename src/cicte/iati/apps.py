from django.apps import AppConfig


class IatiConfig(AppConfig):
    name = "cicte.iati"
    label = "iati"
    verbose_name = "IATI export"
