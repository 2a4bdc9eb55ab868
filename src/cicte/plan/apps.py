from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "cicte.plan"
    label = "plan"

    def ready(self) -> None:
        from cicte.plan.indexing import connect

        connect()  # plans and targets in the shared search index
