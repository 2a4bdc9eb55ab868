"""The MSEL spreadsheet: the column-mapping step, errors by row and column (nothing written),
and a lossless XLSX round trip."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cicte.core.errors import ApplicationError
from cicte.exercises import services
from cicte.exercises.exporting import msel_rows, msel_xlsx
from cicte.exercises.models import Inject
from cicte.exercises.parsing import msel as parser
from tests.accounts.factories import user_with_role
from tests.factories import EventFactory, EventTargetFactory

pytestmark = pytest.mark.django_db

HEADERS = ["No.", "Scheduled time", "Synopsis", "To", "Método", "Message", "Expected action"]


def workbook(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


ROWS = [
    [1, "00:00", "Container alarm", "Alpha", "e-mail", "Scanner shows an anomaly", "Notify"],
    [2, "00:45", "Press call", "Alpha; Bravo", "phone", "A journalist calls", "Hold line"],
    [3, "01:30", "Ministry asks", "Bravo", "document", '\'=HYPERLINK("x")', ""],
]


@pytest.fixture
def exercise(db):
    planner = user_with_role("secretariat", username="planner")
    event = EventFactory(kind="exercise", status="planned")
    EventTargetFactory(event=event)
    start = timezone.make_aware(dt.datetime(2012, 5, 10, 9, 0))
    item = services.exercise_create(
        actor=planner,
        title="Port TTX",
        event=event,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
    )
    services.team_add(actor=planner, exercise=item, name="Alpha")
    services.team_add(actor=planner, exercise=item, name="Bravo")
    return item


def planner_of(exercise):
    return exercise.created_by


def test_guess_mapping_reads_synonyms_in_english_and_spanish():
    mapping = parser.guess_mapping(HEADERS)
    assert mapping["number"] == 0 and mapping["time"] == 1 and mapping["title"] == 2
    assert mapping["teams"] == 3 and mapping["method"] == 4 and mapping["content"] == 5
    assert mapping["expected_action"] == 6 and mapping["module"] is None


def test_import_through_the_mapping_page(client, exercise):
    client.force_login(planner_of(exercise))
    upload = io.BytesIO(workbook(ROWS))
    upload.name = "msel.xlsx"
    response = client.post(f"/exercises/{exercise.pk}/msel/import/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Mandatory: choose its column" not in page.content
    # The planner maps the columns (here: the proposal) and imports.
    form = {
        f"map-{f['key']}": "" if f["column"] is None else f["column"]
        for f in page.context["fields"]
    }
    done = client.post(response["Location"], form)
    assert done.status_code == 302
    injects = list(exercise.injects.order_by("number"))
    assert [i.offset_minutes for i in injects] == [0, 45, 90]
    assert [sorted(t.name for t in i.teams.all()) for i in injects] == [
        ["Alpha"],
        ["Alpha", "Bravo"],
        ["Bravo"],
    ]
    assert injects[2].content == '=HYPERLINK("x")'  # kept as text, never run


def test_missing_mandatory_columns_are_flagged_and_nothing_is_written(client, exercise):
    client.force_login(planner_of(exercise))
    data = workbook([row[:4] for row in ROWS], headers=HEADERS[:4])  # no method, no content
    upload = io.BytesIO(data)
    upload.name = "msel.xlsx"
    response = client.post(f"/exercises/{exercise.pk}/msel/import/", {"file": upload})
    page = client.get(response["Location"])
    missing = {f["key"] for f in page.context["fields"] if f["missing"]}
    assert missing == {"method", "content"}
    assert page.content.count(b"Mandatory: choose its column") == 2
    form = {
        f"map-{f['key']}": "" if f["column"] is None else f["column"]
        for f in page.context["fields"]
    }
    answer = client.post(response["Location"], form)
    assert answer.status_code == 200
    assert "Method, Content" in answer.context["error"]
    assert not exercise.injects.exists()


def test_errors_name_row_and_column_and_nothing_is_written(exercise):
    rows = [
        ROWS[0],
        [2, "05:00", "Too late", "Alpha", "e-mail", "x", ""],  # outside the 3-hour window
        [3, "2012-05-09 08:00", "Too early", "Alpha", "e-mail", "x", ""],
        [4, "00:10", "Stranger", "Charlie", "e-mail", "x", ""],  # not a team of the exercise
        [5, "00:10", "Bad method", "Alpha", "pigeon", "x", ""],
        [6, "00:20", "", "Alpha", "e-mail", "x", ""],
    ]
    data = workbook(rows)
    with pytest.raises(ApplicationError) as caught:
        services.msel_import(
            actor=planner_of(exercise),
            exercise=exercise,
            data=data,
            mapping=parser.guess_mapping(HEADERS),
        )
    details = caught.value.details
    assert any(
        "Row 3" in d and "Scheduled time" in d and "outside the exercise window" in d
        for d in details
    )
    assert any("Row 4" in d and "outside the exercise window" in d for d in details)
    assert any("Row 5" in d and "“To”" in d and "Charlie" in d for d in details)
    assert any("Row 6" in d and "“Método”" in d and "pigeon" in d for d in details)
    assert any("Row 7" in d and "“Synopsis”" in d for d in details)
    assert not exercise.injects.exists()


def test_absolute_times_resolve_against_the_start(exercise):
    data = workbook([[1, "2012-05-10 10:15", "Call", "Alpha", "phone", "Ring", ""]])
    (inject,) = services.msel_import(
        actor=planner_of(exercise),
        exercise=exercise,
        data=data,
        mapping=parser.guess_mapping(HEADERS),
    )
    assert inject.offset_minutes == 75


def test_export_then_import_is_lossless(exercise):
    planner = planner_of(exercise)
    services.module_add(actor=planner, exercise=exercise, title="Detection")
    services.objective_add(actor=planner, exercise=exercise, text="Coordinate")
    controller = user_with_role(None, username="ctl")
    services.role_add(actor=planner, exercise=exercise, user=controller, role="controller")
    services.msel_import(
        actor=planner, exercise=exercise, data=workbook(ROWS), mapping=parser.guess_mapping(HEADERS)
    )
    first = exercise.injects.get(number=1)
    first.module = exercise.modules.get()
    first.objective = exercise.objectives.get()
    first.controller = controller
    first.contingency = True
    first.sender = "Harbour master"
    first.save()
    first.depends_on.set([exercise.injects.get(number=2)])
    before = msel_rows(list(Inject.objects.filter(exercise=exercise)))
    exported = msel_xlsx(list(Inject.objects.filter(exercise=exercise)))
    sheet = parser.read_sheet(exported)
    services.msel_import(
        actor=planner, exercise=exercise, data=exported, mapping=parser.guess_mapping(sheet.headers)
    )
    after = msel_rows(list(Inject.objects.filter(exercise=exercise)))
    assert after == before
    assert exercise.injects.get(number=1).depends_on.get().number == 2


def test_a_file_that_is_not_a_workbook_is_refused(client, exercise):
    client.force_login(planner_of(exercise))
    upload = io.BytesIO(b"%PDF-1.4 not a sheet")
    upload.name = "msel.xlsx"
    response = client.post(f"/exercises/{exercise.pk}/msel/import/", {"file": upload})
    assert response.status_code == 200
    assert b"not an XLSX workbook" in response.content


@settings(max_examples=25, deadline=None)
@given(minutes=st.integers(min_value=0, max_value=180))
def test_offsets_round_trip(minutes):
    start = dt.datetime(2012, 5, 10, 9, 0, tzinfo=dt.UTC)
    end = start + dt.timedelta(hours=3)
    assert parser.parse_time(parser.format_offset(minutes), start=start, end=end) == (minutes, None)
    when = (start + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")
    assert parser.parse_time(when, start=start, end=end) == (minutes, None)
