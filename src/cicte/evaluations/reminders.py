"""The evaluations' items of ``cicte remind`` (registered from ``EvaluationsConfig.ready``;
see :func:`cicte.assistance.reminders.register_reminders`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from cicte.assistance.reminders import ReminderItem, event_programs, register_reminders
from cicte.evaluations.selectors import recommendations_past_due


@register_reminders("recommendations-past-due", order=30)
def recommendations(*, today: dt.date) -> list[ReminderItem]:
    """Open recommendations past their due date, to the managers of their project's program
    and of the programs of their event."""
    past_due = recommendations_past_due(today=today)
    rec_events = event_programs([r.evaluation.event_id for r in past_due if r.evaluation.event_id])
    items = []
    for rec in past_due:
        evaluation = rec.evaluation
        program_ids = set()
        if evaluation.project_id:
            program_ids.add(evaluation.project.program_id)  # type: ignore[union-attr]
        if evaluation.event_id:
            program_ids |= rec_events.get(evaluation.event_id, set())
        items.append(
            ReminderItem(
                program_ids=frozenset(program_ids),
                heading=_("Recommendations past due"),
                line=_("%(text)s (due %(due)s, %(status)s)")
                % {"text": rec.text[:100], "due": rec.due_date, "status": rec.get_status_display()},
            )
        )
    return items
