from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "cicte.progress"
    label = "progress"
