from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "cicte.plan"
    label = "plan"

    def ready(self) -> None:
        from cicte.plan.indexing import connect

        connect()  # plans and targets in the shared search index

        from cicte.core import dataversion
        from cicte.plan.models import (
            MandateClause,
            MandateSource,
            Program,
            Project,
            Target,
            WorkArea,
            WorkPlan,
        )

        dataversion.track(WorkPlan, plans=lambda plan: [plan.pk])
        for model in (WorkArea, Program, Project, Target):
            dataversion.track(model, plans=dataversion.own_plan)
        for shared in (MandateSource, MandateClause):  # shared by plans
            dataversion.track(shared)
