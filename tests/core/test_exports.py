"""The export rule (issue 10, item 7): no cell written through ``cicte.core.exports`` starts
with a formula prefix when read back, and no XLSX cell is a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cicte.core.exports import (
    FORMULA_PREFIXES,
    Sheet,
    csv_bytes,
    escape_text,
    unescape_text,
    xlsx_bytes,
)

HOSTILE = '=HYPERLINK("http://evil.example","x")'

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(["=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x", HOSTILE, "'=x"])
cells = st.one_of(
    text,
    st.integers(min_value=-(2**53), max_value=2**53),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**12),
    st.dates(),
    st.none(),
)
tables = st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8)


def _read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@given(tables)
def test_csv_text_cells_never_start_with_a_formula_prefix(rows):
    read = _read_csv(csv_bytes(["a", "b", "c"], rows))
    assert read[0] == ["a", "b", "c"]
    for written, back in zip(rows, read[1:], strict=True):
        for value, cell in zip(written, back, strict=True):
            if isinstance(value, str):
                assert not cell.startswith(FORMULA_PREFIXES), (value, cell)
            elif isinstance(value, int | Decimal):
                assert Decimal(cell) == value  # numbers stay numbers, negative ones too


@given(tables)
@example([["\x1c=1+1", "\x00-2", "@\x1fSUM(A1)"]])  # a control character hid the prefix
def test_xlsx_cells_are_never_formulas(rows):
    workbook = load_workbook(io.BytesIO(xlsx_bytes([Sheet("T", ["a", "b", "c"], rows)])))
    for written, back in zip(rows, workbook["T"].iter_rows(min_row=2), strict=False):
        for value, cell in zip(written, back, strict=False):
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_PREFIXES), (value, cell.value)
            if isinstance(value, int) and not isinstance(value, bool):
                assert cell.value == value and cell.data_type == "n"


@given(text)
def test_escape_round_trips(value):
    assert unescape_text(escape_text(value)) == value


def test_write_only_workbooks_follow_the_rule_too():
    data = xlsx_bytes(
        [Sheet("T", ["a"], [[HOSTILE], [-5], [dt.date(2012, 1, 2)]])], write_only=True
    )
    sheet = load_workbook(io.BytesIO(data))["T"]
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2, max_row=3)] == [
        ("'" + HOSTILE, "s"),
        (-5, "n"),
    ]
