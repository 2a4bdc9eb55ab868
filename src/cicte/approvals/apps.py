from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "cicte.approvals"
    label = "approvals"

    def ready(self) -> None:
        # The lock on approved events (delivery guard), the report section and the record of
        # what a publication rests on (reports listener) register themselves on import.
        from cicte.approvals import lock, report  # noqa: F401
