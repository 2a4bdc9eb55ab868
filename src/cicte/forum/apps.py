from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "cicte.forum"
    label = "forum"
    verbose_name = "Forum"
