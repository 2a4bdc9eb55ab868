"""The "Exercises" section of the semi-annual report (registered from
``ExercisesConfig.ready``; see cicte.reports.registry). Only final after-action reports feed
it: a draft's ratings never leave the director and the evaluators."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from cicte.reports.registry import register_section
from cicte.reports.types import Column, Figure, Figures, Section, Table

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext

SECTION_KEY = "exercise-results"


@register_section(SECTION_KEY, order=47)
def exercise_results(context: ReportContext) -> Section | None:
    from cicte.exercises.models import Exercise, ReportStatus

    start, end = context.period.start, context.period.end
    exercises = list(
        Exercise.objects.filter(
            event__plan=context.plan, event__end_date__gte=start, event__start_date__lte=end
        )
        .select_related("event", "report")
        .prefetch_related("report__ratings", "report__actions__recommendation", "teams")
        .order_by("starts_at", "pk")
    )
    if not exercises:
        return None
    rows: list[list[Any]] = []
    finals = actions = closed = 0
    for exercise in exercises:
        report = getattr(exercise, "report", None)
        final = report is not None and report.status == ReportStatus.FINAL
        ratings = ""
        if final and report is not None:
            finals += 1
            counts: dict[str, int] = {}
            for rating in report.ratings.all():
                counts[rating.rating] = counts.get(rating.rating, 0) + 1
            ratings = " ".join(f"{k}: {counts[k]}" for k in "PSMU" if k in counts)
            for action in report.actions.all():
                actions += 1
                if action.recommendation and action.recommendation.status == "closed":
                    closed += 1
        rows.append(
            [
                exercise.title,
                exercise.get_type_display(),
                exercise.event.start_date.isoformat(),
                len(exercise.teams.all()),
                ratings or "—",
            ]
        )
    return Section(
        key=SECTION_KEY,
        title=_("Exercises"),
        blocks=[
            Figures(
                [
                    Figure(_("Exercises"), len(exercises)),
                    Figure(_("After-action reports final"), finals),
                    Figure(
                        _("Improvement actions closed"),
                        closed,
                        detail=_("of %(n)s") % {"n": actions},
                    ),
                ]
            ),
            Table(
                caption=_("Exercises in the period"),
                columns=[
                    Column(_("Exercise")),
                    Column(_("Type")),
                    Column(_("Date")),
                    Column(_("Player teams"), numeric=True),
                    Column(_("Ratings (final report)")),
                ],
                rows=rows,
            ),
        ],
    )
