from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "cicte.scholarships"
    label = "scholarships"

    def ready(self) -> None:
        # Registers the "Scholarships" report section.
        from cicte.scholarships import report  # noqa: F401
