"""``cicte demo`` adds a few fictitious, clearly labelled strategies entries (idempotent,
resettable); no real state gets invented maturity stages."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cicte.strategies.models import MaturityAssessment, PolicyDocument
from cicte.strategies.selectors import documents_for

pytestmark = pytest.mark.django_db


def _demo(*args):
    out = io.StringIO()
    call_command("demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_entries_are_labelled_idempotent_and_resettable(plan_2012):
    out = _demo("--plan", "2012")
    assert "4 fictitious [DEMO] entr" in out
    documents = list(documents_for(None))
    assert len(documents) == 3
    assert all(d.title.startswith("[DEMO]") and "Fictitious" in d.summary for d in documents)
    assessment = MaturityAssessment.objects.visible_to(None).get()
    assert assessment.jurisdiction.code == "DEMO"
    assert "0 fictitious" in _demo("--plan", "2012")
    out = _demo("--reset")
    assert "Removed 4 demo strategies" in out
    assert not PolicyDocument.objects.exists() and not MaturityAssessment.objects.exists()
