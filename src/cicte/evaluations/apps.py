from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "cicte.evaluations"
    label = "evaluations"

    def ready(self) -> None:
        # Registers the "Results of evaluations" report section.
        from cicte.evaluations import report  # noqa: F401
