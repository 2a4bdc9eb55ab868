"""Reading a strategies spreadsheet (XLSX or CSV) into plain rows, with every problem named
by row and column. Pure: no models. The file-level reading (format detection, the XLSX
safety checks, CSV dialects) is the events import's (``delivery.parsing.spreadsheet``).

Columns (row 1; case and spaces ignored, extra columns ignored — so the CSV export of the
database reads back): ``jurisdiction``, ``kind``, ``title``, ``status`` (required);
``language``, ``title_en``, ``title_es``, ``title_fr``, ``title_pt``, ``adopted_on``,
``in_force_on``, ``review_on``, ``lead_agency``, ``identifier``, ``version``,
``official_url``, ``summary``, ``dimensions`` and ``pillars`` (separated by ``;``),
``supersedes`` (the official number of an earlier document of the same jurisdiction, in the
database or above in the file).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field

from cicte.delivery.parsing.spreadsheet import (
    RowError,
    SpreadsheetError,
    _csv_rows,
    _xlsx_rows,
    detect_format,
    normalize_header,
)

REQUIRED = ("jurisdiction", "kind", "title", "status")
OPTIONAL = (
    "language",
    "title_en",
    "title_es",
    "title_fr",
    "title_pt",
    "adopted_on",
    "in_force_on",
    "review_on",
    "lead_agency",
    "identifier",
    "version",
    "official_url",
    "summary",
    "dimensions",
    "pillars",
    "supersedes",
)
KINDS = ("strategy", "law", "policy", "action_plan", "regulation", "csirt_mandate")
STATUSES = ("draft", "in_progress", "adopted", "in_force", "superseded", "repealed")
LANGUAGES = ("en", "es", "fr", "pt", "nl")
MAX_ROWS = 5000

__all__ = ["RowError", "SpreadsheetError", "StrategyRow", "read_strategies"]


@dataclass
class StrategyRow:
    row: int
    jurisdiction: str
    kind: str
    title: str
    status: str
    language: str = "en"
    translations: dict[str, str] = field(default_factory=dict)
    adopted_on: dt.date | None = None
    in_force_on: dt.date | None = None
    review_on: dt.date | None = None
    lead_agency: str = ""
    identifier: str = ""
    version: str = ""
    official_url: str = ""
    summary: str = ""
    dimensions: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    supersedes: str = ""


@dataclass
class ParsedStrategies:
    rows: list[StrategyRow]
    errors: list[RowError]
    data_rows: int


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)[:10]
    return dt.date.fromisoformat(text) if text else None


def _list(value: object) -> list[str]:
    return [p.strip() for p in _text(value).replace(",", ";").split(";") if p.strip()]


def parse_row(number: int, record: dict[str, object]) -> tuple[StrategyRow | None, list[RowError]]:
    errors: list[RowError] = []

    def choice(column: str, allowed: tuple[str, ...], default: str = "") -> str:
        value = _text(record.get(column)).lower().replace(" ", "_").replace("-", "_") or default
        if value not in allowed:
            errors.append(
                RowError(
                    number,
                    column,
                    f"{column}: {value or '(empty)'} is not one of {', '.join(allowed)}",
                )
            )
        return value

    jurisdiction = _text(record.get("jurisdiction")).upper()
    if not jurisdiction:
        errors.append(RowError(number, "jurisdiction", "jurisdiction: required (ISO alpha-3)"))
    title = _text(record.get("title"))
    if not title:
        errors.append(RowError(number, "title", "title: required"))
    elif len(title) > 400:
        errors.append(RowError(number, "title", "title: at most 400 characters"))
    kind = choice("kind", KINDS)
    status = choice("status", STATUSES)
    language = choice("language", LANGUAGES, "en")
    dates: dict[str, dt.date | None] = {}
    for column in ("adopted_on", "in_force_on", "review_on"):
        try:
            dates[column] = _date(record.get(column))
        except ValueError:
            errors.append(RowError(number, column, f"{column}: not a date (use YYYY-MM-DD)"))
            dates[column] = None
    url = _text(record.get("official_url"))
    if url and not url.startswith(("https://", "http://")):
        errors.append(RowError(number, "official_url", "official_url: must start with https://"))
    if errors:
        return None, errors
    translations = {
        code: _text(record.get(f"title_{code}"))
        for code in ("en", "es", "fr", "pt")
        if _text(record.get(f"title_{code}")) and code != language
    }
    return (
        StrategyRow(
            row=number,
            jurisdiction=jurisdiction,
            kind=kind,
            title=title,
            status=status,
            language=language,
            translations=translations,
            adopted_on=dates["adopted_on"],
            in_force_on=dates["in_force_on"],
            review_on=dates["review_on"],
            lead_agency=_text(record.get("lead_agency"))[:300],
            identifier=_text(record.get("identifier"))[:200],
            version=_text(record.get("version"))[:60],
            official_url=url,
            summary=str(record.get("summary") or "").strip(),
            dimensions=_list(record.get("dimensions")),
            pillars=_list(record.get("pillars")),
            supersedes=_text(record.get("supersedes")),
        ),
        [],
    )


def read_strategies(data: bytes, *, max_rows: int = MAX_ROWS) -> ParsedStrategies:
    file_format = detect_format(data)
    raw = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)
    try:
        header = next(raw)
    except StopIteration:
        raise SpreadsheetError("The spreadsheet is empty: it has no header row.") from None
    except csv.Error as exc:
        raise SpreadsheetError(f"The CSV file cannot be read: {exc}.") from None
    columns = [normalize_header(v) for v in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise SpreadsheetError(
            "Missing column(s) in row 1: " + ", ".join(missing) + " (see docs/strategies.md)."
        )
    index = {name: columns.index(name) for name in (*REQUIRED, *OPTIONAL) if name in columns}
    rows: list[StrategyRow] = []
    errors: list[RowError] = []
    data_rows = 0
    try:
        for number, values in enumerate(raw, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            data_rows += 1
            if data_rows > max_rows:
                raise SpreadsheetError(f"Too many rows: at most {max_rows:,} per file.")
            record = {name: (values[i] if i < len(values) else None) for name, i in index.items()}
            row, problems = parse_row(number, record)
            errors.extend(problems)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        raise SpreadsheetError(f"The CSV file cannot be read: {exc}.") from None
    if data_rows == 0:
        raise SpreadsheetError("The spreadsheet has a header row but no documents.")
    return ParsedStrategies(rows=rows, errors=errors, data_rows=data_rows)
