from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "cicte.strategies"
    label = "strategies"
    verbose_name = "Cyber-security strategies"

    def ready(self) -> None:
        # The "Support to national strategies" section of the semi-annual report.
        from cicte.strategies import finding, report  # noqa: F401

        # Full-text search (cicte.search, scope "strategies.document").
        finding.track()
