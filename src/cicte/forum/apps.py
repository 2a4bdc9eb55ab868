import datetime as dt

from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "cicte.forum"
    label = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        from cicte.forum import indexing
        from cicte.ops import schedule

        indexing.register()

        schedule.register(
            "forum-digest-daily",
            "cicte.forum.tasks.send_daily_digest",
            every=dt.timedelta(days=1),
            at=dt.time(6, 30),
            label="Daily forum digests",
        )
        schedule.register(
            "forum-digest-weekly",
            "cicte.forum.tasks.send_weekly_digest",
            every=dt.timedelta(days=7),
            at=dt.time(6, 45),
            label="Weekly forum digests",
        )
