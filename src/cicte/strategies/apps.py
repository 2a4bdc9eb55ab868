from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "cicte.strategies"
    label = "strategies"
    verbose_name = "Cyber-security strategies"

    def ready(self) -> None:
        # The "Support to national strategies" section of the semi-annual report.
        from cicte.strategies import report  # noqa: F401
