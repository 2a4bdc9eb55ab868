from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cicte.reports.models import Narrative, PublishedReport
from cicte.reports.services import narrative_save, report_publish


def test_narrative_save_creates_then_updates(scenario, staff_user):
    program = scenario.programs["2.B"]
    first = narrative_save(actor=staff_user, program=program, period="2012-h1", text="One.")
    second = narrative_save(actor=staff_user, program=program, period="2012-H1", text="Two.")
    assert first.pk == second.pk
    assert Narrative.objects.get(pk=first.pk).text == "Two."
    assert first.period == "2012-H1"
    assert [h.text for h in second.history.order_by("history_date")] == ["One.", "Two."]


def test_narrative_save_rejects_bad_input(scenario, staff_user):
    program = scenario.programs["2.B"]
    with pytest.raises(ValidationError):
        narrative_save(actor=staff_user, program=program, period="2012-H3", text="x")
    with pytest.raises(ValidationError):
        narrative_save(actor=staff_user, program=program, period="2012-H1", text="x" * 6000)


def test_report_publish_replaces(scenario, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = report_publish(actor=staff_user, plan=scenario.plan, period="2012-H1", language="es")
    again = report_publish(actor=staff_user, plan=scenario.plan, period="2012-H1", language="es")
    assert [r.pk for r in first] == [r.pk for r in again]
    assert PublishedReport.objects.count() == 2
    html = PublishedReport.objects.get(format="html")
    assert "Resumen" in html.html
    assert html.published_by == staff_user
    pdf = PublishedReport.objects.get(format="pdf")
    assert pdf.file.read().startswith(b"%PDF")
