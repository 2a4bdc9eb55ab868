from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cicte.search"
    label = "search"
