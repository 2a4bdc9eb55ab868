from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "cicte.funding"
    label = "funding"
