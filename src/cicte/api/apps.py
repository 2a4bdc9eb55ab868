from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cicte.api"
    label = "api"
