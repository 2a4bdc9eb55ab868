"""Read events from a spreadsheet (XLSX or CSV). Pure Python: no Django imports.

``read_events(data)`` returns every row it could read as an :class:`EventRow` and every
problem as a :class:`RowError` (row number as the spreadsheet shows it, the header being
row 1; the column; the reason). Problems with the whole file (not a spreadsheet, missing
columns, empty, too many rows) raise :class:`SpreadsheetError`.

Codes, partners and the plan are resolved later, against the database, by
``cicte.delivery.services.events_import``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from cicte.core.bounds import INT_MAX, integer_problem
from cicte.core.exports import unescape_text
from cicte.delivery.rules import event_problems
from cicte.directory.countries import resolve_member_state
from cicte.directory.data import MEMBER_STATES

REQUIRED_COLUMNS: tuple[str, ...] = (
    "target",
    "title",
    "kind",
    "start_date",
    "end_date",
    "city",
    "country",
    "beneficiaries",
    "participants",
    "women",
    "men",
    "partners",
    "status",
    "units",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("modality", "cost", "currency", "notes")
COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Kept equal to the model choices (tests/delivery/test_spreadsheet.py checks it).
KINDS: tuple[str, ...] = (
    "workshop",
    "course",
    "mission",
    "exercise",
    "needs_assessment",
    "evaluation",
    "meeting",
    "scholarship",
    "other",
)
STATUSES: tuple[str, ...] = ("planned", "confirmed", "held", "postponed", "cancelled")
MODALITIES: tuple[str, ...] = ("national", "binational", "subregional", "regional", "virtual")
DEFAULT_STATUS = "planned"
MAX_ROWS = 100_000

# Labels people type (English and Spanish) for the stored values.
_KIND_ALIASES = {
    "scholarship_award": "scholarship",
    "assessment": "needs_assessment",
    "training_needs_assessment": "needs_assessment",
    "taller": "workshop",
    "curso": "course",
    "mision": "mission",
    "ejercicio": "exercise",
    "evaluacion_de_necesidades": "needs_assessment",
    "evaluacion": "evaluation",
    "reunion": "meeting",
    "beca": "scholarship",
    "otro": "other",
}
_STATUS_ALIASES = {
    "planificado": "planned",
    "planificada": "planned",
    "previsto": "planned",
    "confirmado": "confirmed",
    "confirmada": "confirmed",
    "realizado": "held",
    "realizada": "held",
    "aplazado": "postponed",
    "aplazada": "postponed",
    "postergado": "postponed",
    "cancelado": "cancelled",
    "cancelada": "cancelled",
    "canceled": "cancelled",
}
_MODALITY_ALIASES = {
    "bi_national": "binational",
    "sub_regional": "subregional",
    "nacional": "national",
    "binacional": "binational",
    "subregional": "subregional",
    "regional": "regional",
    "virtual": "virtual",
}
_ALL_STATES = ("all", "todos", "all_member_states")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_TARGET_PART = re.compile(r"^(?P<code>[^*×]+?)\s*(?:[*×]\s*(?P<units>-?\d+))?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (the message says why)."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it; the header is row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass(frozen=True)
class TargetRef:
    code: str
    units: int = 1


@dataclass
class EventRow:
    row: int
    targets: list[TargetRef]
    title: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    status: str = DEFAULT_STATUS
    city: str = ""
    country: str | None = None  # ISO alpha-3
    beneficiaries: list[str] = field(default_factory=list)  # ISO alpha-3
    participants: int = 0
    women: int = 0
    men: int = 0
    partners: list[str] = field(default_factory=list)  # names or acronyms, as written
    modality: str = ""
    cost: Decimal | None = None
    currency: str = ""
    notes: str = ""


@dataclass
class ParsedSheet:
    rows: list[EventRow]
    errors: list[RowError]
    format: str  # "xlsx" or "csv"
    data_rows: int  # non-empty rows below the header

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading the file -------------------------------------------------------------------


def normalize_header(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.strip().lower().replace("-", "_").replace(" ", "_")
    return text.rstrip("*")


def detect_format(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"``; SpreadsheetError for anything else."""
    if not data or not data.strip():
        raise SpreadsheetError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            "This is an old Excel .xls file: save it as .xlsx (Excel Workbook) or CSV UTF-8."
        )
    if data.startswith(b"%PDF"):
        raise SpreadsheetError("This is a PDF document, not a spreadsheet: use XLSX or CSV.")
    if b"\x00" in data[:4096]:
        raise SpreadsheetError("This file is not a spreadsheet: use XLSX or CSV (UTF-8).")
    return "csv"


#: Unpacked size above which an XLSX is refused (a "zip bomb" guard; real sheets are far smaller).
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024
XML_ENTITIES_REFUSED = (
    "The XLSX file declares XML entities (a DOCTYPE), which are refused for safety: open it "
    "in Excel or LibreOffice and save it again as .xlsx."
)


def _xml_refused(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is an XML parser refusing entities or a DTD:
    defusedxml's errors (openpyxl uses defusedxml when it is installed), expat's own
    amplification limit, or calamine's XML reader, which expands no entity and names it."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from python_calamine import XmlError

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        if isinstance(exc, ParseError | XmlError) and any(
            word in str(exc) for word in ("entit", "amplification", "DTD")
        ):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def check_xlsx_archive(data: bytes) -> None:
    """Refuse, before openpyxl reads anything, a ZIP that unpacks to a huge size or whose XML
    parts declare a DOCTYPE (entity expansion, external entities)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(
            "This file is not an XLSX workbook (is it a Word or other ZIP file?): "
            f"{exc.__class__.__name__}."
        ) from None
    with archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED_BYTES:
            raise SpreadsheetError(
                "The XLSX file unpacks to more than "
                f"{MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MB: split it into smaller files."
            )
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(member) as stream:
                    head = stream.read(65536)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                continue  # openpyxl reports the broken part below
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise SpreadsheetError(XML_ENTITIES_REFUSED)


def xlsx_error(exc: Exception) -> SpreadsheetError:
    if _xml_refused(exc):
        return SpreadsheetError(XML_ENTITIES_REFUSED)
    return SpreadsheetError(
        "This file is not an XLSX workbook (is it a Word or other ZIP file?): "
        f"{exc.__class__.__name__}."
    )


def _cell(value: object) -> object:
    """A calamine cell as openpyxl's ``values_only`` gives it: an empty cell is None and a
    whole number an int (calamine reads every number as a float)."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _xlsx_rows(data: bytes) -> Iterator[Sequence[object]]:
    """The rows of the sheet named "Events" (else the first), read with python-calamine
    (Rust; about ten times openpyxl's read-only mode), after the archive check."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

    failures = (
        CalamineError,
        PasswordError,
        XmlError,
        ZipError,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        IndexError,
    )
    check_xlsx_archive(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = {name.strip().lower(): name for name in workbook.sheet_names}
        name = names.get("events") or workbook.sheet_names[0]
        sheet = workbook.get_sheet_by_name(name)
        for row in sheet.iter_rows():
            yield [_cell(value) for value in row]
    except failures as exc:
        raise xlsx_error(exc) from None


def _csv_rows(data: bytes) -> Iterator[Sequence[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            f"The CSV file is not UTF-8 (byte {exc.start + 1}): save it as 'CSV UTF-8'."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _is_blank(values: Iterable[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_events(data: bytes, *, max_rows: int = MAX_ROWS) -> ParsedSheet:
    """Parse a whole XLSX/CSV file given as bytes."""
    file_format = detect_format(data)
    raw = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)
    try:
        header = next(raw)
    except StopIteration:
        raise SpreadsheetError("The spreadsheet is empty: it has no header row.") from None
    except csv.Error as exc:
        raise SpreadsheetError(f"The CSV file cannot be read: {exc}.") from None
    columns = [normalize_header(v) for v in header]
    if _is_blank(header):
        raise SpreadsheetError(
            "Row 1 must be the header row (target, title, kind, ...); it is empty."
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise SpreadsheetError(
            "Missing column(s) in row 1: "
            + ", ".join(missing)
            + ". Download the template for the expected columns."
        )
    index = {name: columns.index(name) for name in COLUMNS if name in columns}
    rows: list[EventRow] = []
    errors: list[RowError] = []
    data_rows = 0
    try:
        for number, values in enumerate(raw, start=2):
            if _is_blank(values):
                continue
            data_rows += 1
            if data_rows > max_rows:
                raise SpreadsheetError(
                    f"Too many rows: at most {max_rows:,} events per file; split the file."
                )
            record = {name: (values[i] if i < len(values) else None) for name, i in index.items()}
            row, problems = parse_row(number, record)
            errors.extend(problems)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        raise SpreadsheetError(f"The CSV file cannot be read: {exc}.") from None
    if data_rows == 0:
        raise SpreadsheetError("The spreadsheet has a header row but no events.")
    return ParsedSheet(rows=rows, errors=errors, format=file_format, data_rows=data_rows)


# --- one row ----------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Our exports put a quote before text a spreadsheet would run as a formula: drop it.
    return unescape_text(str(value).strip())


def _choice(value: object, allowed: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    text = _text(value)
    if text in allowed:  # the common case: the stored value itself
        return text
    return _choice_key(text, tuple(allowed), tuple(sorted(aliases.items())))


@lru_cache(maxsize=1024)
def _choice_key(
    text: str, allowed: tuple[str, ...], aliases: tuple[tuple[str, str], ...]
) -> str | None:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    key = re.sub(r"[\s\-/]+", "_", folded)
    if key in allowed:
        return key
    return dict(aliases).get(key)


@lru_cache(maxsize=4096)
def _member_state(text: str) -> str | None:
    return resolve_member_state(text)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _ISO_DATE.match(_text(value))
    if match:
        try:
            return dt.date.fromisoformat(match[1])
        except ValueError:
            return None
    return None


def _integer(value: object) -> int | None:
    """An integer from a number cell or text; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.0+", text):
        return int(text.split(".")[0])
    return None


def split_list(value: object) -> list[str]:
    """``"a; b;;c"`` → ``["a", "b", "c"]`` (semicolons or line breaks)."""
    return [part.strip() for part in re.split(r"[;\n]", _text(value)) if part.strip()]


def parse_targets(value: object, default_units: int) -> tuple[list[TargetRef], list[str]]:
    """``"1.A.1.a; 1.A.2.b*2"`` → target references, plus reasons for bad parts."""
    refs: list[TargetRef] = []
    reasons: list[str] = []
    seen: set[str] = set()
    for part in split_list(value):
        match = _TARGET_PART.match(part)
        if not match or not match["code"].strip():
            reasons.append(f"target {part!r} is not a target code (e.g. 1.A.1.a or 1.A.1.a*2)")
            continue
        code = match["code"].strip()
        units = int(match["units"]) if match["units"] is not None else default_units
        problem = integer_problem(units, field=f"units for target {code}", minimum=1)
        if problem is not None:
            reasons.append(problem)
            continue
        if code.casefold() in seen:
            reasons.append(f"target {code} is listed twice")
            continue
        seen.add(code.casefold())
        refs.append(TargetRef(code=code, units=units))
    return refs, reasons


def parse_row(number: int, record: Mapping[str, object]) -> tuple[EventRow | None, list[RowError]]:
    """One data row (column name → cell value) → an EventRow, or None and its problems."""
    errors: list[RowError] = []

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(number, column, reason))

    title = _text(record.get("title"))
    if not title:
        fail("title", "title is empty")
    elif len(title) > 300:
        fail("title", f"title is longer than 300 characters ({len(title)})")

    raw_kind = record.get("kind")
    kind = _choice(raw_kind, KINDS, _KIND_ALIASES)
    if kind is None:
        if _text(raw_kind):
            fail("kind", f"kind {_text(raw_kind)!r} is not one of: {', '.join(KINDS)}")
        else:
            fail("kind", "kind is empty")

    raw_status = record.get("status")
    status = _choice(raw_status, STATUSES, _STATUS_ALIASES) if _text(raw_status) else None
    if status is None and _text(raw_status):
        fail("status", f"status {_text(raw_status)!r} is not one of: {', '.join(STATUSES)}")

    raw_modality = record.get("modality")
    modality = _choice(raw_modality, MODALITIES, _MODALITY_ALIASES) if _text(raw_modality) else ""
    if modality is None:
        fail(
            "modality",
            f"modality {_text(raw_modality)!r} is not one of: {', '.join(MODALITIES)}",
        )

    dates: dict[str, dt.date | None] = {}
    for column in ("start_date", "end_date"):
        raw = record.get(column)
        day = _date(raw)
        if day is None:
            if _text(raw):
                fail(column, f"{column} {_text(raw)!r} is not a date (use YYYY-MM-DD)")
            else:
                fail(column, f"{column} is empty")
        dates[column] = day

    numbers: dict[str, int] = {}
    for column in ("participants", "women", "men", "units"):
        raw = record.get(column)
        default = 1 if column == "units" else 0
        if not _text(raw):
            numbers[column] = default
            continue
        value = _integer(raw)
        if value is None:
            fail(column, f"{column} {_text(raw)!r} is not a whole number")
            numbers[column] = default
        elif value < 0 and column != "units":
            fail(column, f"{column} must be 0 or more, not {value}")
            numbers[column] = 0
        elif value > INT_MAX:
            fail(column, str(integer_problem(value, field=column)))
            numbers[column] = default
        else:
            numbers[column] = value
    if numbers["units"] <= 0:
        fail("units", f"units must be 1 or more, not {numbers['units']}")

    targets, reasons = parse_targets(record.get("target"), max(numbers["units"], 1))
    for reason in reasons:
        fail("target", reason)
    if not targets and not reasons:
        fail("target", "target is empty (give a target code such as 1.A.1.a)")

    country: str | None = None
    raw_country = _text(record.get("country"))
    if raw_country:
        country = _member_state(raw_country)
        if country is None:
            fail("country", f"country {raw_country!r} is not an OAS member state")

    beneficiaries: list[str] = []
    for name in split_list(record.get("beneficiaries")):
        if name.strip().lower().replace(" ", "_") in _ALL_STATES:
            beneficiaries.extend(code for code, *_rest in MEMBER_STATES)
            continue
        code = _member_state(name)
        if code is None:
            fail("beneficiaries", f"beneficiary {name!r} is not an OAS member state")
        elif code not in beneficiaries:
            beneficiaries.append(code)
    beneficiaries = list(dict.fromkeys(beneficiaries))

    cost: Decimal | None = None
    raw_cost = _text(record.get("cost"))
    if raw_cost:
        try:
            cost = Decimal(raw_cost.replace(",", "").replace(" ", ""))
        except InvalidOperation:
            fail("cost", f"cost {raw_cost!r} is not a number")
        else:
            if not cost.is_finite() or cost < 0 or cost >= Decimal("1e12"):
                fail("cost", f"cost {raw_cost!r} must be 0 or more (and less than 10^12)")
                cost = None
            else:
                cost = cost.quantize(Decimal("0.01"))
    currency = _text(record.get("currency")).upper()
    if currency and not _CURRENCY.match(currency):
        fail("currency", f"currency {currency!r} is not a 3-letter code such as USD")
    if cost is not None and not currency:
        currency = "USD"

    for problem in event_problems(
        start_date=dates["start_date"],
        end_date=dates["end_date"],
        participants_total=numbers["participants"],
        participants_women=numbers["women"],
        participants_men=numbers["men"],
    ):
        if problem.code != "negative":
            column = {"participants_women": "women"}.get(problem.field, problem.field)
            fail(column, problem.message)

    if errors:
        return None, errors
    assert kind is not None and modality is not None
    start, end = dates["start_date"], dates["end_date"]
    assert start is not None and end is not None
    return (
        EventRow(
            row=number,
            targets=targets,
            title=title,
            kind=kind,
            start_date=start,
            end_date=end,
            status=status or DEFAULT_STATUS,
            city=_text(record.get("city"))[:120],
            country=country,
            beneficiaries=beneficiaries,
            participants=numbers["participants"],
            women=numbers["women"],
            men=numbers["men"],
            partners=list(dict.fromkeys(split_list(record.get("partners")))),
            modality=modality,
            cost=cost,
            currency=currency,
            notes=_text(record.get("notes")),
        ),
        [],
    )
