import datetime as dt

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cicte.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base for the security of major events"

    def ready(self) -> None:
        from cicte.knowledge import finding
        from cicte.ops import schedule

        # Full-text search (cicte.search, scopes "knowledge.document" and "knowledge.lesson").
        finding.track()
        schedule.register(
            "knowledge-digest",
            "cicte.knowledge.tasks.send_digests",
            every=dt.timedelta(days=1),
            at=dt.time(6, 30),
            label="Knowledge base digests",
        )
