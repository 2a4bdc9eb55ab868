from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cicte.core"
    label = "core"
