import datetime as dt

from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "cicte.exercises"
    label = "exercises"
    verbose_name = "Exercises"

    def ready(self) -> None:
        # The "Exercises" section of the semi-annual report, and the release of due injects
        # every minute (idempotent: an inject is released once, by a conditional update).
        from cicte.exercises import report  # noqa: F401
        from cicte.ops import schedule

        schedule.register(
            "exercise-injects",
            "cicte.exercises.tasks.release_due_injects",
            every=dt.timedelta(minutes=1),
            label="Release the exercise injects that are due",
        )
