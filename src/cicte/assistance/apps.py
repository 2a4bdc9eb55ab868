from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "cicte.assistance"
    label = "assistance"
