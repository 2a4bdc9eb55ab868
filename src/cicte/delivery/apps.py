from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "cicte.delivery"
    label = "delivery"
