from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cicte.reports"
    label = "reports"
