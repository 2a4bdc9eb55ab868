from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "cicte.evaluations"
    label = "evaluations"
