"""docs/api.md's script example, run as written against a live server with a real token."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from cicte.delivery.models import Event

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def example_code() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Example: record an event and read progress", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_script_records_an_event_and_reads_progress(live_server, world, monkeypatch):
    monkeypatch.setenv("CICTE_URL", live_server.url)
    monkeypatch.setenv("CICTE_TOKEN", world.tokens["program_manager"])
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(example_code(), str(DOC), "exec"), {"__name__": "example"})  # noqa: S102
    event = Event.objects.get(title="Port security training needs assessment, Kingston")
    assert event.history.first().history_user == world.users["program_manager"]
    assert f"recorded event {event.pk}" in output.getvalue()
    # the world already had one held event toward 1.A.1.a in 2012-H1; the script adds one
    assert "1.A.1.a 2 of 4" in output.getvalue()
