from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "cicte.funding"
    label = "funding"

    def ready(self) -> None:
        # Registers the "Funding" report section.
        from cicte.funding import report  # noqa: F401
