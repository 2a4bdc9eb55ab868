from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "cicte.delivery"
    label = "delivery"

    def ready(self) -> None:
        from cicte.delivery import permissions  # noqa: F401 - registers the event permissions
        from cicte.delivery.indexing import connect

        connect()  # events in the shared search index (scope delivery.event)
