from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "cicte.directory"
    label = "directory"

    def ready(self) -> None:
        from cicte.directory.indexing import connect

        connect()  # organizations in the shared search index
