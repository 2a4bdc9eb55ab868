"""Read a Master Scenario Events List from a spreadsheet. Pure Python: no Django imports.

Two steps, as planners ask for (OpenAEV #290): :func:`read_sheet` returns the header row and
the data rows; the planner maps the sheet's columns to the MSEL fields (:func:`guess_mapping`
proposes a mapping from the headers); :func:`parse_msel` then reads every row and returns
each problem with its row (as the spreadsheet shows it, the header being row 1) and column.

Scheduled times are either an offset from the start (``00:30``, ``+1:15``, ``T+0:45``,
``90`` minutes, a time-of-day cell read as a duration) or an absolute date and time
(``2012-05-10 09:30``), resolved against the exercise's start; both must fall inside the
exercise window.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cicte.core.exports import unescape_text
from cicte.delivery.parsing.spreadsheet import (
    RowError,
    SpreadsheetError,
    check_xlsx_archive,
    xlsx_error,
)

MAX_ROWS = 2000


@dataclass(frozen=True)
class MselField:
    key: str
    header: str  # the header our export writes
    required: bool
    aliases: tuple[str, ...] = ()


FIELDS: tuple[MselField, ...] = (
    MselField("number", "Number", True, ("no", "nº", "n", "inject", "inject_no", "numero", "#")),
    MselField(
        "time", "Time", True, ("scheduled_time", "scenario_time", "offset", "hora", "tiempo")
    ),
    MselField("module", "Module", False, ("modulo",)),
    MselField("title", "Event synopsis", True, ("synopsis", "title", "titulo", "sinopsis")),
    MselField("sender", "Simulated sender", False, ("from", "sender", "remitente")),
    MselField("teams", "Target teams", True, ("to", "intended_player", "teams", "equipos")),
    MselField("method", "Method", True, ("metodo", "medio", "channel")),
    MselField("content", "Content", True, ("inject_text", "message", "contenido", "texto")),
    MselField(
        "expected_action",
        "Expected player action",
        False,
        ("expected_action", "expected_response", "accion_esperada"),
    ),
    MselField("objective", "Objective", False, ("objetivo",)),
    MselField("capability", "Capability", False, ("core_capability", "capacidad")),
    MselField("controller", "Controller", False, ("responsible_controller", "controlador")),
    MselField("contingency", "Contingency", False, ("contingencia",)),
    MselField("depends_on", "Depends on", False, ("dependencies", "depende_de")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
REQUIRED = tuple(f.key for f in FIELDS if f.required)

METHODS = {
    "email": "email",
    "e_mail": "email",
    "mail": "email",
    "correo": "email",
    "correo_electronico": "email",
    "phone": "phone",
    "phone_verbal": "phone",
    "verbal": "phone",
    "telefono": "phone",
    "document": "document",
    "documento": "document",
    "media": "media",
    "simulated_media": "media",
    "medios": "media",
    "medios_simulados": "media",
}
YES = {"yes", "y", "true", "1", "x", "si", "contingency"}
NO = {"", "no", "n", "false", "0"}

_OFFSET = re.compile(r"^(?:t)?\s*\+?\s*(\d{1,3}):(\d{2})(?::(\d{2}))?$", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::\d{2})?$")


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (row number as shown, values)


@dataclass(frozen=True)
class InjectRow:
    row: int
    number: int
    offset_minutes: int
    title: str
    teams: tuple[str, ...]
    method: str
    content: str
    module: int | None = None
    sender: str = ""
    expected_action: str = ""
    objective: int | None = None
    capability: str = ""
    controller: str = ""
    contingency: bool = False
    depends_on: tuple[int, ...] = ()


class MappingError(ValueError):
    """Mandatory fields not mapped to any column (``missing`` names them)."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__("Map a column to: " + ", ".join(self.missing))


def fold(value: object) -> str:
    text = "" if value is None else str(value)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()
    return re.sub(r"[^a-z0-9#º]+", "_", text).strip("_")


def read_sheet(data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """The first worksheet (or one named ``MSEL``): its header row and data rows."""
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    if not data or not data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError("This file is not an XLSX workbook: save the MSEL as .xlsx.")
    failures: tuple[type[Exception], ...] = (
        BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        ParseError,
        DefusedXmlException,
    )
    check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except failures as exc:
        raise xlsx_error(exc) from None
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        sheet = workbook[names["msel"]] if "msel" in names else workbook.worksheets[0]
        raw = list(sheet.iter_rows(values_only=True, max_row=max_rows + 2))
    except failures as exc:
        raise xlsx_error(exc) from None
    finally:
        workbook.close()
    if not raw:
        raise SpreadsheetError("The sheet is empty.")
    headers = [("" if v is None else str(v).strip()) for v in raw[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise SpreadsheetError("The first row must name the columns.")
    rows = []
    for index, values in enumerate(raw[1:], start=2):
        cells: list[object] = list(values[: len(headers)])
        if all(v is None or str(v).strip() == "" for v in cells):
            continue
        rows.append((index, cells + [None] * (len(headers) - len(cells))))
    if len(rows) > max_rows:
        raise SpreadsheetError(f"The sheet has more than {max_rows} rows: split it.")
    return Sheet(headers=headers, rows=rows)


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """field → column index, from the headers (our export's and common synonyms)."""
    folded = [fold(h) for h in headers]
    mapping: dict[str, int | None] = {}
    for spec in FIELDS:
        names = {fold(spec.header), fold(spec.key), *(fold(a) for a in spec.aliases)}
        mapping[spec.key] = next((i for i, h in enumerate(folded) if h and h in names), None)
    return mapping


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_text(str(value)).strip()


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value).lstrip("#")
    return int(text) if text.isdigit() else None


def parse_time(
    value: object, *, start: dt.datetime, end: dt.datetime, tz: dt.tzinfo | None = None
) -> tuple[int | None, str | None]:
    """Minutes from ``start``, or the reason the value cannot be used. A date and time
    without a zone is read in ``tz`` (the exercise's local time zone)."""
    tz = tz or start.tzinfo
    duration = int((end - start).total_seconds() // 60)
    when: dt.datetime | None = None
    minutes: int | None = None
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.time):
        minutes = value.hour * 60 + value.minute
    elif isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if float(value) != int(value) or value < 0:
            return None, "a number of minutes must be a whole number from 0"
        minutes = int(value)
    else:
        text = _text(value)
        if not text:
            return None, "missing"
        if text.isdigit():
            minutes = int(text)
        elif match := _OFFSET.match(text):
            minutes = int(match.group(1)) * 60 + int(match.group(2))
        elif match := _ABSOLUTE.match(text):
            try:
                day = dt.date.fromisoformat(match.group(1))
                when = dt.datetime.combine(day, dt.time(int(match.group(2)), int(match.group(3))))
            except ValueError:
                return None, f"{text!r} is not a valid date and time"
        else:
            return None, f"{text!r} is not a time (use HH:MM from the start, or YYYY-MM-DD HH:MM)"
    if when is not None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=tz)
        minutes = int((when - start).total_seconds() // 60)
        if when < start or when > end:
            local = [moment.astimezone(tz) for moment in (when, start, end)]
            return None, (
                f"{local[0]:%Y-%m-%d %H:%M} is outside the exercise window "
                f"({local[1]:%Y-%m-%d %H:%M} to {local[2]:%Y-%m-%d %H:%M})"
            )
    assert minutes is not None
    if minutes > duration:
        return None, (
            f"{minutes // 60:02d}:{minutes % 60:02d} from the start is outside the exercise "
            f"window ({duration // 60:02d}:{duration % 60:02d} long)"
        )
    return minutes, None


def split_list(value: object) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", _text(value)) if part.strip()]


def parse_msel(
    sheet: Sheet,
    mapping: Mapping[str, int | None],
    *,
    start: dt.datetime,
    end: dt.datetime,
    tz: dt.tzinfo | None = None,
) -> tuple[list[InjectRow], list[RowError]]:
    missing = [key for key in REQUIRED if mapping.get(key) is None]
    if missing:
        raise MappingError(missing)
    headers = {key: sheet.headers[i] for key, i in mapping.items() if i is not None}
    rows: list[InjectRow] = []
    errors: list[RowError] = []
    seen: dict[int, int] = {}
    for number_row, values in sheet.rows:

        def cell(key: str, values: list[object] = values) -> object:
            index = mapping.get(key)
            return None if index is None else values[index]

        def fail(key: str, reason: str, row: int = number_row) -> None:
            errors.append(RowError(row, headers.get(key, key), reason))

        before = len(errors)
        number = _integer(cell("number"))
        if number is None or number < 1:
            fail("number", "an inject number (1, 2, 3…) is required")
        elif number in seen:
            fail("number", f"inject {number} is already on row {seen[number]}")
        else:
            seen[number] = number_row
        offset, problem = parse_time(cell("time"), start=start, end=end, tz=tz)
        if problem:
            fail("time", "a scheduled time is required" if problem == "missing" else problem)
        values_text = {k: _text(cell(k)) for k in ("title", "content", "sender", "expected_action")}
        for key in ("title", "content"):
            if not values_text[key]:
                fail(key, "required")
        teams = tuple(split_list(cell("teams")))
        if not teams:
            fail("teams", "name at least one target team")
        method = METHODS.get(fold(cell("method")))
        if method is None:
            fail(
                "method",
                f"{_text(cell('method'))!r} is not a method (e-mail, phone, document, media)",
            )
        module = None
        if _text(cell("module")):
            module = _integer(cell("module"))
            if module is None:
                fail("module", "the module's number")
        objective = None
        if _text(cell("objective")):
            objective = _integer(cell("objective"))
            if objective is None:
                fail("objective", "the objective's number")
        flag = fold(cell("contingency"))
        if flag not in YES and flag not in NO:
            fail("contingency", "yes or no")
        depends: list[int] = []
        for part in split_list(cell("depends_on")):
            value = _integer(part)
            if value is None:
                fail("depends_on", f"{part!r} is not an inject number")
            else:
                depends.append(value)
        if len(errors) > before:
            continue
        assert number is not None and offset is not None and method is not None
        rows.append(
            InjectRow(
                row=number_row,
                number=number,
                offset_minutes=offset,
                title=values_text["title"][:300],
                teams=teams,
                method=method,
                content=values_text["content"],
                module=module,
                sender=values_text["sender"][:200],
                expected_action=values_text["expected_action"],
                objective=objective,
                capability=_text(cell("capability")),
                controller=_text(cell("controller")),
                contingency=flag in YES,
                depends_on=tuple(depends),
            )
        )
    numbers = {r.number for r in rows}
    for parsed in rows:
        for other in parsed.depends_on:
            if other not in numbers and other not in seen:
                errors.append(
                    RowError(
                        parsed.row,
                        headers.get("depends_on", "depends_on"),
                        f"inject {other} is not on the sheet",
                    )
                )
            elif other == parsed.number:
                errors.append(
                    RowError(
                        parsed.row, headers.get("depends_on", "depends_on"), "depends on itself"
                    )
                )
    return rows, errors


def format_offset(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
