from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "cicte.directory"
    label = "directory"
