"""The rules an event must satisfy, in one place. Pure Python (no Django imports).

The services (web form, spreadsheet import, demo) and the spreadsheet parser all ask
:func:`event_problems`; each problem names the field it concerns and carries a stable
``code`` so interfaces can translate the message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str  # "end_date", "participants_women", "targets", ...
    code: str  # stable: "end_before_start", "sex_exceeds_total", "units_not_positive", ...
    message: str  # English, for logs and the command line

    def __str__(self) -> str:
        return self.message


def event_problems(
    *,
    start_date: dt.date | None,
    end_date: dt.date | None,
    participants_total: int = 0,
    participants_women: int = 0,
    participants_men: int = 0,
    units: Iterable[int] = (),
    country_totals: Iterable[int] = (),
) -> list[Problem]:
    """Problems with one event's values (empty list when it is valid)."""
    problems: list[Problem] = []
    if start_date is not None and end_date is not None and end_date < start_date:
        problems.append(
            Problem(
                "end_date",
                "end_before_start",
                f"end_date {end_date.isoformat()} is before start_date {start_date.isoformat()}",
            )
        )
    for name, value in (
        ("participants_total", participants_total),
        ("participants_women", participants_women),
        ("participants_men", participants_men),
    ):
        if value < 0:
            problems.append(Problem(name, "negative", f"{name} must be 0 or more, not {value}"))
    if participants_women + participants_men > participants_total:
        problems.append(
            Problem(
                "participants_women",
                "sex_exceeds_total",
                f"women + men ({participants_women} + {participants_men}) exceed "
                f"participants ({participants_total})",
            )
        )
    for value in units:
        if value <= 0:
            problems.append(
                Problem("units", "units_not_positive", f"units must be 1 or more, not {value}")
            )
            break
    by_country = sum(country_totals)
    if by_country > participants_total:
        problems.append(
            Problem(
                "country_participation",
                "countries_exceed_total",
                f"participants by member state ({by_country}) exceed "
                f"participants ({participants_total})",
            )
        )
    return problems
