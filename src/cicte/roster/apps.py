import datetime as dt

from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "cicte.roster"
    label = "roster"
    verbose_name = "Experts roster"

    def ready(self) -> None:
        from cicte.ops import schedule
        from cicte.roster import report  # noqa: F401 - registers the report section

        schedule.register(
            "roster-reminders",
            "cicte.roster.tasks.send_reminders",
            every=dt.timedelta(days=1),
            at=dt.time(7, 30),
            label="Roster: certificate expiry and refresher training reminders",
        )
        schedule.register(
            "roster-anonymise",
            "cicte.roster.tasks.anonymise_leavers",
            every=dt.timedelta(days=1),
            at=dt.time(2, 30),
            label="Roster: anonymise experts who left the roster",
        )
