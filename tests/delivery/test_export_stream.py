"""Streamed event exports: one query read in chunks, a write-only workbook, the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from cicte.core.exports import FORMULA_PREFIXES
from cicte.delivery import exporting, selectors
from cicte.delivery.models import Event
from cicte.delivery.selectors import event_rows, export_chunks, export_rows
from tests.factories import EventFactory, EventTargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_events(plan_2012):
    target = plan_2012.targets.order_by("position").first()
    # Ties on the start date: no event skipped or repeated at a chunk edge.
    for index in range(11):
        event = EventFactory(
            plan=plan_2012,
            title=f"=Event {index}" if index == 3 else f"Event {index}",
            start_date=dt.date(2012, 3, 1 + index // 4),
        )
        EventTargetFactory(event=event, target=target, units=1 + index % 2)
    return plan_2012


def test_chunks_give_the_rows_of_one_read(many_events):
    events = Event.objects.filter(plan=many_events)
    whole = event_rows(events.order_by("start_date", "id"))
    for size in (1, 2, 3, 5, 11, 12, 2000):
        assert list(export_chunks(events, chunk=size)) == whole


def test_one_query_whatever_the_number_of_chunks(many_events, django_assert_num_queries):
    events = Event.objects.filter(plan=many_events)
    # 11 events read 4 rows at a time from one statement (the read model aggregates
    # beneficiaries, partners and targets in SQL, once per event)
    with django_assert_num_queries(1):
        assert len(list(export_chunks(events, chunk=4))) == 11


def test_the_stream_is_lazy(many_events, django_assert_num_queries):
    stream = export_chunks(Event.objects.filter(plan=many_events), chunk=4)
    with django_assert_num_queries(1):  # the first row needs the first chunk only
        next(stream)


def test_export_rows_equal_the_unchunked_export(many_events, monkeypatch):
    before = list(export_rows(plan=many_events))
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 3)
    assert list(export_rows(plan=many_events)) == before
    assert [r.title for r in before] == [
        f"=Event {i}" if i == 3 else f"Event {i}" for i in range(11)
    ]


def test_the_xlsx_view_uses_a_write_only_workbook_and_streams(
    client, staff_user, many_events, monkeypatch
):
    modes: list[bool] = []
    real = openpyxl.Workbook

    def spy(*args, **kwargs):
        modes.append(bool(kwargs.get("write_only")))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "Workbook", spy)
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 4)
    client.force_login(staff_user)
    response = client.get(reverse("workspace:event-export"), {"plan": many_events.pk})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="events-2012.xlsx"'
    assert modes == [True]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Events"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 12
    titles = [row[1] for row in rows[1:]]
    assert titles[3] == "'=Event 3"  # formula safety kept


def test_the_csv_view_streams_every_row_escaped(client, staff_user, many_events, monkeypatch):
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 4)
    client.force_login(staff_user)
    response = client.get(
        reverse("workspace:event-export"), {"plan": many_events.pk, "format": "csv"}
    )
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    _header, *rows = list(csv.reader(io.StringIO(body, newline="")))
    assert len(rows) == 11
    assert not any(cell.startswith(FORMULA_PREFIXES) for row in rows for cell in row)
    unchunked = exporting.events_csv(export_rows(plan=many_events)).decode("utf-8-sig")
    assert body == unchunked


def test_background_export_writes_the_same_file(many_events, staff_user):
    from cicte.delivery.tasks import export_events

    job = export_events.enqueue(
        label="export", actor=staff_user, plan_id=many_events.pk, period="", file_format="csv"
    )
    job.refresh_from_db()
    with job.result_file.open("rb") as handle:
        content = handle.read()
    assert content == exporting.events_csv(export_rows(plan=many_events))
    assert job.result_message == "11 events exported"
