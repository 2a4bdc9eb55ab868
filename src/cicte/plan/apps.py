from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "cicte.plan"
    label = "plan"
