from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "cicte.delivery"
    label = "delivery"

    def ready(self) -> None:
        from cicte.delivery import permissions  # noqa: F401 - registers the event permissions
        from cicte.delivery.indexing import connect

        connect()  # events in the shared search index (scope delivery.event)

        from cicte.core import dataversion
        from cicte.delivery.models import CountryParticipation, Event, EventTarget, Participant

        dataversion.track(Event, plans=dataversion.own_plan)  # and its m2m (states, partners)
        for model in (EventTarget, CountryParticipation, Participant):
            dataversion.track(model, plans=dataversion.through("event"))
