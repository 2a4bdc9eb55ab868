import datetime as dt

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cicte.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base for the security of major events"

    def ready(self) -> None:
        from cicte.exercises import extensions
        from cicte.knowledge import finding, hooks
        from cicte.ops import schedule

        # The release of an exercise's after-action report, linked from the report's page.
        extensions.register_report_link(hooks.exercise_report_link)

        # Full-text search (cicte.search, scopes "knowledge.document" and "knowledge.lesson").
        finding.track()
        schedule.register(
            "knowledge-digest",
            "cicte.knowledge.tasks.send_digests",
            every=dt.timedelta(days=1),
            at=dt.time(6, 30),
            label="Knowledge base digests",
        )
