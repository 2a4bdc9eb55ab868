from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "cicte.directory"
    label = "directory"

    def ready(self) -> None:
        from cicte.directory.indexing import connect

        connect()  # organizations in the shared search index

        from cicte.core import dataversion
        from cicte.directory.models import MemberState, Organization

        for model in (MemberState, Organization):  # names shown by every plan
            dataversion.track(model)
