"""The secrecy matrix: exercise role × object × path.

Each secret object of the world carries a unique word. For every role the test gathers what
that role gets on every path a user has — the pages, the API, the iCalendar feed, the
exports (MSEL and statistics XLSX, Situation Manual, Handbook, AAR and debrief DOCX), search
and mail — and asserts that an object outside the role's share (``SEES``) appears on **no**
path, and that an object inside it appears where the role reads it.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core import mail

from cicte.exercises.calendar import feed_token
from tests.exercises.world import ROLES, SEES, WORDS, build_world

pytestmark = pytest.mark.django_db

PATHS = ("pages", "api", "ical", "exports", "search", "mail")
#: Where a role that may see an object must find it.
PRIMARY = {
    "released_alpha": {"pages", "api", "search"},
    "released_bravo": {"pages"},
    "expected_action": {"pages", "api", "exports"},
    "future_inject": {"pages", "api", "exports", "search"},
    "contingency_inject": {"pages", "api", "exports"},
    "observation": {"pages", "api"},
    "hotwash": {"pages"},
    "draft_report": {"pages", "api", "exports"},
    "staff_session": {"ical"},
}
#: Search finds injects (their synopsis and content) and exercise titles.
SEARCHABLE = ("released_alpha", "released_bravo", "future_inject", "contingency_inject")
STAFF = {"director", "planner", "controller", "evaluator", "simulator"}


def _docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )


def _body(response) -> str:
    if response.status_code != 200:
        return ""
    kind = response.get("Content-Type", "")
    if "wordprocessingml" in kind:
        return _docx_text(response.content)
    if "spreadsheetml" in kind:
        return _xlsx_text(response.content)
    return response.content.decode()


def gather(world, role: str) -> dict[str, str]:
    """What ``role`` gets on each path, as text."""
    pk = world.exercise.pk
    seen = dict.fromkeys(PATHS, "")
    if role == "external_bravo":
        client, token = world.client(role), world.bravo_token
        seen["pages"] = _body(client.get(f"/exercises/x/{token}/"))
        seen["ical"] = _body(client.get(f"/exercises/x/{token}/calendar.ics"))
        exports = []
        for doc in ("sitman", "debrief", "handbook", "aar"):
            response = client.get(f"/exercises/x/{token}/{doc}.docx")
            assert response.status_code == (200 if doc == "sitman" else 404), doc
            exports.append(_body(response))
        seen["exports"] = "\n".join(exports)
        email = world.bravo.email
    else:
        client = world.client(role)
        pages = []
        for path in ("", "msel/", "control/", "play/", "evaluate/", "report/"):
            response = client.get(f"/exercises/{pk}/{path}")
            assert response.status_code in {200, 302, 404}, (role, path, response.status_code)
            pages.append(_body(response))
        seen["pages"] = "\n".join(pages)
        api = []
        for path in ("", f"/{pk}", f"/{pk}/injects", f"/{pk}/observations", f"/{pk}/report"):
            response = client.get(f"/api/exercises{path}")
            assert response.status_code in {200, 401, 404}, (role, path, response.status_code)
            if response.status_code == 200:
                api.append(json.dumps(response.json()))
        seen["api"] = "\n".join(api)
        user = world.users.get(role)
        if user is not None:
            seen["ical"] = _body(client.get(f"/exercises/calendar/{feed_token(user)}.ics"))
        exports = []
        for path in ("msel/export.xlsx", "statistics.xlsx"):
            exports.append(_body(client.get(f"/exercises/{pk}/{path}")))
        for doc in ("sitman", "handbook", "aar", "debrief"):
            response = client.get(f"/exercises/{pk}/documents/{doc}.docx")
            expected_handbook = 200 if role in STAFF else (302 if role == "anonymous" else 404)
            if doc == "handbook":
                assert response.status_code == expected_handbook, (role, response.status_code)
            exports.append(_body(response))
        seen["exports"] = "\n".join(exports)
        search = []
        for key in SEARCHABLE:
            response = client.get("/exercises/", {"q": WORDS[key]})
            if response.status_code == 200:
                found = response.context["injects"]
                search.extend(f"{i.title} {i.content}" for i in found)
                search.extend(e.title for e in response.context["exercises"])
        seen["search"] = "\n".join(search)
        email = user.email if user is not None else None
    seen["mail"] = "\n".join(
        f"{m.subject}\n{m.body}" for m in mail.outbox if email and email in m.to
    )
    return seen


def test_secrecy_matrix(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    assert len(mail.outbox) == 2
    failures = []
    for role in ROLES:
        seen = gather(world, role)
        for obj, word in WORDS.items():
            for path in PATHS:
                present = word in seen[path]
                if obj not in SEES[role] and present:
                    failures.append(f"LEAK: {role} sees {obj} on {path}")
                if obj in SEES[role] and path in PRIMARY[obj] and not present:
                    if obj == "released_bravo" and role == "external_bravo" and path != "pages":
                        continue
                    failures.append(f"MISSING: {role} does not see {obj} on {path}")
    assert not failures, "\n".join(failures)


def test_exercise_mail_only_to_the_participant_list_with_a_banner(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        build_world()
    assert mail.outbox, "released e-mail injects are mailed"
    allowed = {
        "player_alpha@ex.test",
        "bravo@ext.test",
    }
    for message in mail.outbox:
        assert message.subject.startswith("[EXERCISE]")
        assert "EXERCISE — EXERCISE — EXERCISE" in message.body
        assert set(message.to) <= allowed
        assert WORDS["expected_action"] not in message.body
    bravo = [m for m in mail.outbox if "bravo@ext.test" in m.to]
    assert bravo and all(WORDS["released_alpha"] not in m.body for m in bravo)
