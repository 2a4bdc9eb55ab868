"""``cicte remind``: who gets what, dry run, mail unavailable, report deadline checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cicte.assistance import reminders
from cicte.assistance.models import ReminderLog
from cicte.assistance.reminders import build_reminders
from cicte.evaluations.models import Evaluation, Recommendation
from tests.assistance.factories import AssistanceRequestFactory, user_with_role
from tests.factories import EventFactory, EventTargetFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2012, 6, 20)  # ten days before the 2012-H1 report deadline


@pytest.fixture
def world(secretariat):
    project = ProjectFactory(program__work_area__plan__year=2012)
    other_program_project = ProjectFactory(
        program__work_area__plan=project.plan, program__letter="B"
    )
    manager = user_with_role("program_manager", username="pm", programs=[project.program])
    overdue = EventFactory(
        plan=project.plan,
        title="Overdue in program",
        start_date=dt.date(2012, 5, 1),
        status="planned",
    )
    EventTargetFactory(event=overdue, target__project=project)
    EventFactory(
        plan=project.plan,
        title="Overdue without target",
        start_date=dt.date(2012, 5, 2),
        status="confirmed",
    )
    EventFactory(
        plan=project.plan, title="Future event", start_date=dt.date(2012, 7, 1), status="planned"
    )
    held_empty = EventFactory(
        plan=project.plan, title="Held without participants", start_date=dt.date(2012, 3, 1)
    )
    EventTargetFactory(event=held_empty, target__project=project)
    long_ago = timezone.make_aware(dt.datetime(2012, 5, 1, 12))
    AssistanceRequestFactory(
        title="Waiting long", program=project.program, status_changed_at=long_ago
    )
    AssistanceRequestFactory(
        title="Waiting briefly",
        program=project.program,
        status_changed_at=timezone.make_aware(dt.datetime(2012, 6, 15, 12)),
    )
    evaluation = Evaluation.objects.create(
        kind="external", project=other_program_project, date=dt.date(2012, 4, 1), evaluator="X"
    )
    Recommendation.objects.create(
        evaluation=evaluation, text="Late recommendation", due_date=dt.date(2012, 6, 1)
    )
    return {
        "manager": manager,
        "secretariat": secretariat,
        "project": project,
        "other": other_program_project,
    }


def _lines(plan, user):
    digest = next(d for d in plan.digests if d.user == user)
    return [line for items in digest.lines.values() for line in items]


def test_items_go_to_the_program_manager_or_the_secretariat(world):
    plan = build_reminders(days=14, today=TODAY)
    manager_lines = _lines(plan, world["manager"])
    staff_lines = _lines(plan, world["secretariat"])
    assert any("Overdue in program" in line for line in manager_lines)
    assert any("Waiting long" in line for line in manager_lines)
    assert not any("Waiting briefly" in line for line in manager_lines + staff_lines)
    assert any("Held without participants" in line for line in manager_lines)
    assert any("Overdue without target" in line for line in staff_lines)
    # The evaluated project's program has no manager: the Secretariat is reminded.
    assert any("Late recommendation" in line for line in staff_lines)
    assert not any("Future event" in line for line in manager_lines + staff_lines)


def test_programs_without_narrative(world):
    from cicte.reports.models import Narrative

    Narrative.objects.create(program=world["project"].program, period="2012-H1", text="Done")
    plan = build_reminders(days=14, today=TODAY)
    staff_lines = _lines(plan, world["secretariat"])
    assert any(world["other"].program.code in line and "narrative" in line for line in staff_lines)
    assert not any("narrative" in line for line in _lines(plan, world["manager"]))


def test_narrative_check_skipped_when_the_model_is_missing(world, monkeypatch):
    monkeypatch.setattr(reminders, "_narrative_model", lambda: None)
    plan = build_reminders(days=14, today=TODAY)
    assert any("Narrative is not available" in note for note in plan.notes)


def test_no_deadline_section_far_from_the_deadline(world):
    plan = build_reminders(days=14, today=dt.date(2012, 3, 1))
    lines = [line for d in plan.digests for items in d.lines.values() for line in items]
    assert not any("narrative" in line or "without participants" in line for line in lines)


def _make_due_item(secretariat):
    EventFactory(
        title="Long overdue",
        start_date=timezone.localdate() - dt.timedelta(days=30),
        status="planned",
    )


def test_command_dry_run_sends_nothing(secretariat, mailoutbox, capsys):
    _make_due_item(secretariat)
    call_command("remind", "--dry-run", "--days", "3")
    out = capsys.readouterr().out
    assert "Long overdue" in out
    assert "Dry run" in out
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_command_sends_and_logs(secretariat, mailoutbox, capsys):
    _make_due_item(secretariat)
    call_command("remind")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [secretariat.email]
    assert "Long overdue" in mailoutbox[0].body
    log = ReminderLog.objects.get()
    assert (log.recipient, log.items) == (secretariat, 1)
    assert "Sent 1" in capsys.readouterr().out


def test_command_with_mail_unavailable(secretariat, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9
    settings.EMAIL_TIMEOUT = 2
    _make_due_item(secretariat)
    with pytest.raises(CommandError, match="Mail unavailable"):
        call_command("remind")
    assert not ReminderLog.objects.exists()


def test_command_refuses_negative_days():
    with pytest.raises(CommandError, match="--days"):
        call_command("remind", "--days", "-1")


def test_command_nothing_to_do(capsys):
    call_command("remind")
    assert "Nothing to remind" in capsys.readouterr().out


def test_evaluations_register_their_reminders_between_requests_and_the_deadline(world):
    """Evaluations add "Recommendations past due" through the registry (assistance never
    imports evaluations); the headings keep their order in the digest."""
    assert "recommendations-past-due" in [s.key for s in reminders.registered_reminder_sources()]
    plan = build_reminders(days=14, today=TODAY)
    digest = next(d for d in plan.digests if d.user == world["secretariat"])
    headings = list(digest.lines)
    assert headings.index("Events past their end date not marked held") < headings.index(
        "Recommendations past due"
    )
    deadline = next(h for h in headings if h.startswith("Semi-annual report"))
    assert headings.index("Recommendations past due") < headings.index(deadline)
    assert digest.lines["Recommendations past due"] == [
        "Late recommendation (due 2012-06-01, Open)"
    ]


def test_a_registered_reminder_source_reaches_the_digests(world):
    from cicte.assistance.reminders import ReminderItem, register_reminders

    program = world["project"].program

    @register_reminders("test-source", order=40)
    def source(*, today):
        return [ReminderItem(frozenset({program.pk}), "Test items", f"as of {today}")]

    try:
        plan = build_reminders(days=14, today=TODAY)
    finally:
        reminders._SOURCES.pop("test-source")
    manager = next(d for d in plan.digests if d.user == world["manager"])
    assert manager.lines["Test items"] == ["as of 2012-06-20"]
    assert "test-source" not in [s.key for s in reminders.registered_reminder_sources()]
