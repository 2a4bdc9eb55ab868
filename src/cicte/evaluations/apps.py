from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "cicte.evaluations"
    label = "evaluations"

    def ready(self) -> None:
        # Registers the "Results of evaluations" report section and the reminder of the
        # recommendations past due (``cicte remind``).
        from cicte.evaluations import reminders, report  # noqa: F401
