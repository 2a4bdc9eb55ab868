from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cicte.reports"
    label = "reports"

    def ready(self) -> None:
        # The built-in sections register themselves when their module is imported.
        from cicte.core import dataversion
        from cicte.reports import sections, visuals  # noqa: F401
        from cicte.reports.models import Narrative

        dataversion.track(Narrative, plans=dataversion.through("program"))
