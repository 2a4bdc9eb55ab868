"""events_import: resolution against the database, all or nothing, idempotent re-import."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.core.periods import parse_period
from cicte.core.types import SYSTEM
from cicte.delivery.exporting import events_csv, events_xlsx
from cicte.delivery.models import Event, EventTarget
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS, read_events
from cicte.delivery.selectors import export_rows
from cicte.delivery.services import events_import

pytestmark = pytest.mark.django_db

HEADER = ",".join([*REQUIRED_COLUMNS, "cost", "notes"])


def sheet(*lines: str):
    return read_events(("\n".join([HEADER, *lines]) + "\n").encode())


ROW_A = (
    "1.A.1.a,Workshop A,workshop,2012-03-05,2012-03-07,Kingston,JAM,JAM;BRB,30,12,18,CIP,"
    "held,1,1500,n"
)
ROW_B = (
    "1.A.1.b*2;1.B.1.a,Mission B,mission,2012-08-01,2012-08-02,Lima,Peru,PER,4,1,2,ICAO;CIP,"
    "planned,1,,"
)


def run(plan, parsed, **kwargs):
    return events_import(
        actor=SYSTEM, plan=plan, rows=parsed.rows, parse_errors=parsed.errors, **kwargs
    )


def test_import_creates_events_with_relations_and_history(plan, officer):
    parsed = sheet(ROW_A, ROW_B)
    result = events_import(actor=officer, plan=plan, rows=parsed.rows)
    assert (result.created, result.updated, result.unchanged, result.errors) == (2, 0, 0, [])
    assert result.written
    b = Event.objects.get(title="Mission B")
    assert dict(b.contributions.values_list("target__code", "units")) == {
        "1.A.1.b": 2,
        "1.B.1.a": 1,
    }
    assert sorted(b.partners.values_list("acronym", flat=True)) == ["CIP", "ICAO"]
    assert b.host_state.code == "PER" and b.status == "planned"
    a = Event.objects.get(title="Workshop A")
    assert str(a.cost) == "1500.00" and a.notes == "n"
    assert sorted(a.beneficiaries.values_list("code", flat=True)) == ["BRB", "JAM"]
    # Audit: creation records for events and contributions, with the historical M2M rows.
    assert a.history.get().history_user == officer
    assert EventTarget.history.count() == 3
    contribution_record = EventTarget.history.filter(event_id=a.pk).get()
    assert contribution_record.history_user == officer
    assert contribution_record.history_type == "+"
    assert contribution_record.target.code == "1.A.1.a"
    assert contribution_record.history_date == a.history.get().history_date
    record = a.history.get()
    assert (record.title, record.start_date, str(record.cost), record.host_state.code) == (
        "Workshop A",
        dt.date(2012, 3, 5),
        "1500.00",
        "JAM",
    )
    assert record.history_type == "+" and record.import_key == a.import_key
    assert record.instance.participants_women == 12
    assert sorted(record.beneficiaries.values_list("memberstate__code", flat=True)) == [
        "BRB",
        "JAM",
    ]


def test_nothing_is_written_unless_every_row_is_valid(plan):
    parsed = sheet(
        ROW_A,
        "9.Z.9.z,Unknown target,workshop,2012-03-05,2012-03-07,,,,0,0,0,,held,1,,",
        "1.A.1.a,Unknown partner,workshop,2012-03-05,2012-03-07,,,,0,0,0,Nobody Inc,held,1,,",
        "1.A.1.a,Bad dates,workshop,2012-03-05,2012-03-01,,,,0,0,0,,held,1,,",
    )
    result = run(plan, parsed)
    assert not result.written
    assert Event.objects.count() == 0
    assert [str(e) for e in result.errors] == [
        "row 3: unknown target code '9.Z.9.z' in the 2012 plan",
        "row 4: unknown partner 'Nobody Inc' (add the organization in the workspace first, "
        "or use its name or acronym as the directory spells it)",
        "row 5: end_date 2012-03-01 is before start_date 2012-03-05",
    ]
    assert result.error_rows == 3


def test_import_valid_rows_only(plan):
    parsed = sheet(
        ROW_A, "9.Z.9.z,Unknown target,workshop,2012-03-05,2012-03-07,,,,0,0,0,,held,1,,"
    )
    result = run(plan, parsed, import_valid_only=True)
    assert result.written and result.created == 1 and result.error_rows == 1
    assert list(Event.objects.values_list("title", flat=True)) == ["Workshop A"]


def test_reimport_does_not_duplicate_and_updates_changes(plan):
    assert run(plan, sheet(ROW_A, ROW_B)).created == 2
    again = run(plan, sheet(ROW_A, ROW_B))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Event.objects.count() == 2
    changed = run(plan, sheet(ROW_A.replace(",held,", ",cancelled,"), ROW_B))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Event.objects.get(title="Workshop A").status == "cancelled"
    assert Event.objects.count() == 2


def test_same_event_twice_in_one_file(plan):
    result = run(plan, sheet(ROW_A, ROW_A))
    assert [str(e) for e in result.errors] == [
        "row 3: same event as row 2 (title, dates, targets and country)"
    ]
    assert Event.objects.count() == 0


def test_parse_errors_block_the_import(plan):
    parsed = sheet(ROW_A, "1.A.1.a,,workshop,2012-03-05,2012-03-07,,,,0,0,0,,held,1,,")
    assert parsed.errors
    result = run(plan, parsed)
    assert not result.written and Event.objects.count() == 0


def test_dry_run_counts_without_writing(plan):
    result = run(plan, sheet(ROW_A, ROW_B), dry_run=True)
    assert not result.written and result.created == 2
    assert Event.objects.count() == 0


def test_bulk_import_query_count_does_not_grow_with_rows(plan, django_assert_max_num_queries):
    lines = [
        f"1.A.1.a,Workshop {i},workshop,2012-03-05,2012-03-07,,JAM,JAM,3,1,1,CIP,held,1,,"
        for i in range(120)
    ]
    parsed = sheet(*lines)
    with django_assert_max_num_queries(27):  # +2: the data version (plan, every plan)
        result = run(plan, parsed)
    assert result.created == 120


@pytest.mark.parametrize("renderer", [events_xlsx, events_csv])
def test_export_is_reimportable(plan, renderer):
    run(plan, sheet(ROW_A, ROW_B))
    data = renderer(export_rows(plan=plan))
    parsed = read_events(data)
    assert parsed.errors == []
    assert [r.title for r in parsed.rows] == ["Workshop A", "Mission B"]
    result = run(plan, parsed)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_export_period_filter(plan):
    run(plan, sheet(ROW_A, ROW_B))
    rows = list(export_rows(plan=plan, period=parse_period("2012-H1")))
    assert [r.title for r in rows] == ["Workshop A"]
    assert rows[0].start_date == dt.date(2012, 3, 5)
    assert rows[0].beneficiaries == "BRB; JAM"


def test_reimport_query_count_does_not_grow_with_rows(plan, django_assert_max_num_queries):
    lines = [
        f"1.A.1.a,Workshop {i},workshop,2012-03-05,2012-03-07,,JAM,JAM,3,1,1,CIP,held,1,,"
        for i in range(120)
    ]
    run(plan, sheet(*lines))
    with django_assert_max_num_queries(15):
        result = run(plan, sheet(*lines))
    assert result.unchanged == 120
