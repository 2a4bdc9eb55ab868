import datetime as dt

from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "cicte.assistance"
    label = "assistance"

    def ready(self) -> None:
        from cicte.ops import schedule

        schedule.register(
            "reminders",
            "cicte.assistance.tasks.send_reminders",
            every=dt.timedelta(days=1),
            at=dt.time(7, 0),
            label="Daily reminders to program managers",
        )
