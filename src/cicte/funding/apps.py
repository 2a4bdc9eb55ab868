from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "cicte.funding"
    label = "funding"

    def ready(self) -> None:
        # Registers the "Funding" report section.
        from cicte.core import dataversion
        from cicte.funding import report  # noqa: F401
        from cicte.funding.models import Budget, Contribution, FundingNeed

        dataversion.track(Contribution, plans=dataversion.own_plan)
        dataversion.track(Budget, plans=dataversion.through("project"))
        dataversion.track(FundingNeed, plans=dataversion.through("target"))
