from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cicte.reports"
    label = "reports"

    def ready(self) -> None:
        # The built-in sections register themselves when their module is imported.
        from cicte.reports import sections, visuals  # noqa: F401
