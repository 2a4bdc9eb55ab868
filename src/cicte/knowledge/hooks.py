"""What the knowledge base adds to the modules below it (registered in ``apps.ready``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cicte.knowledge.models import Lesson


def exercise_report_link(actor: Any, report: Any) -> tuple[str | Promise, str] | None:
    """On an exercise's after-action report: the lesson it was released as (to a reader who
    may read that lesson), or — to the director of a final report not yet released — the
    release page. Release stays an explicit act of the director
    (``lesson_release_from_exercise``)."""
    from cicte.exercises import permissions as exercise_permissions
    from cicte.exercises.models import ReportStatus

    lesson = Lesson.objects.visible_to(actor).filter(source_exercise_report=report).first()
    if lesson is not None:
        return _("Released to the knowledge base as a lesson"), lesson.get_absolute_url()
    if report.status != ReportStatus.FINAL:
        return None
    if Lesson.objects.filter(source_exercise_report=report).exists():
        return None  # released already; this reader may not read the lesson
    if not exercise_permissions.can_finalize_report(actor, report.exercise):
        return None
    return (
        _("Release this report to the knowledge base"),
        reverse("knowledge:release-exercise", args=[report.exercise_id]),
    )
