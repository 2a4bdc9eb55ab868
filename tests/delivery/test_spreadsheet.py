"""The pure spreadsheet parser: every problem with its row, column and reason."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cicte.delivery.models import EventKind, EventStatus, Modality
from cicte.delivery.parsing.spreadsheet import (
    COLUMNS,
    KINDS,
    MODALITIES,
    REQUIRED_COLUMNS,
    STATUSES,
    SpreadsheetError,
    TargetRef,
    parse_row,
    parse_targets,
    read_events,
)

HEADER = ",".join(REQUIRED_COLUMNS)


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def xlsx_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(REQUIRED_COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = (
    "1.A.1.a,Port workshop,workshop,2012-03-05,2012-03-07,Kingston,JAM,JAM;BRB,30,12,18,CIP,held,1"
)


def test_choices_match_the_models():
    assert tuple(EventKind.values) == KINDS
    assert tuple(EventStatus.values) == STATUSES
    assert tuple(Modality.values) == MODALITIES


def test_reads_a_valid_csv_row():
    sheet = read_events(csv_bytes(GOOD))
    assert sheet.errors == []
    assert sheet.format == "csv"
    (row,) = sheet.rows
    assert row.row == 2
    assert row.targets == [TargetRef("1.A.1.a", 1)]
    assert (row.start_date, row.end_date) == (dt.date(2012, 3, 5), dt.date(2012, 3, 7))
    assert row.country == "JAM"
    assert row.beneficiaries == ["JAM", "BRB"]
    assert (row.participants, row.women, row.men) == (30, 12, 18)
    assert row.partners == ["CIP"]
    assert row.status == "held"


def test_reads_xlsx_with_real_dates_names_and_optional_columns():
    header = [*REQUIRED_COLUMNS, "modality", "cost", "currency", "notes"]
    data = xlsx_bytes(
        [
            [
                "1.A.1.a; 1.A.1.b*2",
                "Misión",
                "Misión",
                dt.datetime(2012, 5, 2),
                dt.date(2012, 5, 4),
                "Lima",
                "Perú",
                "Perú; Bolivia",
                20,
                10,
                8,
                "CIP; ICAO",
                "Realizado",
                1,
                "national",
                12500.5,
                "usd",
                "ok",
            ],
        ],
        header=header,
    )
    sheet = read_events(data)
    assert sheet.errors == []
    (row,) = sheet.rows
    assert row.kind == "mission"
    assert row.status == "held"
    assert row.country == "PER"
    assert row.beneficiaries == ["PER", "BOL"]
    assert row.targets == [TargetRef("1.A.1.a", 1), TargetRef("1.A.1.b", 2)]
    assert row.cost == Decimal("12500.50")
    assert row.currency == "USD"
    assert row.modality == "national"


def test_every_problem_is_reported_with_row_and_column():
    lines = [
        GOOD,
        "1.A.1.a,Bad dates,workshop,2012-03-05,2012-03-01,,,,10,6,6,,held,0",
        ",,party,05/03/2012,,,Narnia,Atlantis,x,,,,maybe,",
    ]
    sheet = read_events(csv_bytes(*lines))
    assert [r.row for r in sheet.rows] == [2]
    messages = [str(e) for e in sheet.errors]
    assert "row 3: end_date 2012-03-01 is before start_date 2012-03-05" in messages
    assert "row 3: women + men (6 + 6) exceed participants (10)" in messages
    assert "row 3: units must be 1 or more, not 0" in messages
    by_column = {(e.row, e.column) for e in sheet.errors}
    for column in (
        "title",
        "kind",
        "start_date",
        "end_date",
        "country",
        "beneficiaries",
        "participants",
        "status",
        "target",
    ):
        assert (4, column) in by_column, column


def test_rows_are_numbered_as_the_spreadsheet_shows_them_skipping_blank_rows():
    sheet = read_events(csv_bytes(GOOD, ",,,,,,,,,,,,,", GOOD.replace("2012-03-07", "x")))
    assert [e.row for e in sheet.errors] == [4]


def test_semicolon_delimited_csv_and_bom():
    header = ";".join(REQUIRED_COLUMNS)
    line = "1.A.1.a;T;workshop;2012-01-01;2012-01-01;;;;0;0;0;;held;1"
    data = "\ufeff".encode() + csv_bytes(line, header=header)
    sheet = read_events(data)
    assert sheet.errors == [] and sheet.rows[0].title == "T"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"%PDF-1.4 blah", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".xls"),
        (b"\x00\x01\x02binary", "not a spreadsheet"),
        (b"PK\x03\x04notreallyazip", "not an XLSX"),
        ("título,fecha\nx,y\n".encode("latin-1"), "not UTF-8"),
        (b"title,kind\nx,y\n", "Missing column(s) in row 1: target, start_date"),
        (HEADER.encode() + b"\n", "no events"),
    ],
)
def test_whole_file_problems(data, message):
    with pytest.raises(SpreadsheetError, match=None) as info:
        read_events(data)
    assert message in str(info.value)


def test_row_limit():
    with pytest.raises(SpreadsheetError, match="Too many rows"):
        read_events(csv_bytes(GOOD, GOOD, GOOD), max_rows=2)


def test_missing_columns_in_xlsx_are_named():
    data = xlsx_bytes([["x"]], header=["target", "title"])
    with pytest.raises(SpreadsheetError) as info:
        read_events(data)
    assert "kind" in str(info.value) and "units" in str(info.value)


def test_parse_targets():
    refs, reasons = parse_targets("1.A.1.a; 1.A.2.b*3;1.A.1.a; x*0", 1)
    assert refs == [TargetRef("1.A.1.a", 1), TargetRef("1.A.2.b", 3)]
    assert any("listed twice" in r for r in reasons)
    assert any("must be 1 or more" in r for r in reasons)


def test_all_member_states_shortcut():
    row, errors = parse_row(
        2,
        dict(zip(REQUIRED_COLUMNS, GOOD.split(","), strict=True)) | {"beneficiaries": "ALL"},
    )
    assert errors == [] and row is not None
    assert len(row.beneficiaries) == 35


# --- property-based ---------------------------------------------------------------------

cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries(dict.fromkeys(COLUMNS, cells)), st.integers(2, 10**5))
def test_parse_row_never_crashes_and_reports_its_row(record, number):
    row, errors = parse_row(number, record)
    assert (row is None) == bool(errors)
    assert all(e.row == number and e.column in COLUMNS and e.reason for e in errors)


valid_rows = st.builds(
    lambda kind, status, start, days, women, men, extra, units: {
        "target": "1.A.1.a" if units == 1 else f"1.A.1.a*{units}",
        "title": "Event",
        "kind": kind,
        "start_date": start,
        "end_date": start + dt.timedelta(days=days),
        "participants": women + men + extra,
        "women": women,
        "men": men,
        "status": status,
        "units": "",
        "country": "Jamaica",
    },
    st.sampled_from(KINDS),
    st.sampled_from(STATUSES),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 1, 1)),
    st.integers(0, 30),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(1, 50),
)


@settings(max_examples=200, deadline=None)
@given(valid_rows)
def test_valid_rows_round_trip(record):
    row, errors = parse_row(7, record)
    assert errors == []
    assert row is not None
    assert row.kind == record["kind"] and row.status == record["status"]
    assert row.end_date >= row.start_date
    assert row.women + row.men <= row.participants
    assert row.targets[0].units >= 1
    assert row.country == "JAM"


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 2)), st.integers(1, 400))
def test_end_before_start_is_always_reported(start, days):
    end = start - dt.timedelta(days=days)
    record = dict(zip(REQUIRED_COLUMNS, GOOD.split(","), strict=True))
    record |= {"start_date": start.isoformat(), "end_date": end.isoformat()}
    row, errors = parse_row(5, record)
    assert row is None
    assert [e.column for e in errors] == ["end_date"]
    assert str(errors[0]) == (
        f"row 5: end_date {end.isoformat()} is before start_date {start.isoformat()}"
    )
