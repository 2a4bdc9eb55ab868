"""XLSX out: the MSEL (lossless: importing it again gives the same MSEL; attachments and
release history stay in the system) and the exercise statistics. Formula-safe cells through
:mod:`cicte.core.exports`."""

from __future__ import annotations

from cicte.core.exports import Column, Sheet, xlsx_bytes
from cicte.exercises.models import Inject
from cicte.exercises.parsing.msel import FIELDS, format_offset
from cicte.exercises.selectors import Statistics


def msel_rows(injects: list[Inject]) -> list[list[object]]:
    rows = []
    for inject in sorted(injects, key=lambda i: i.number):
        values = {
            "number": inject.number,
            "time": format_offset(inject.offset_minutes),
            "module": inject.module.number if inject.module else None,
            "title": inject.title,
            "sender": inject.sender,
            "teams": "; ".join(t.name for t in inject.teams.all()),
            "method": inject.method,
            "content": inject.content,
            "expected_action": inject.expected_action,
            "objective": inject.objective.number if inject.objective else None,
            "capability": inject.capability.code if inject.capability else "",
            "controller": inject.controller.username if inject.controller else "",
            "contingency": "yes" if inject.contingency else "no",
            "depends_on": ", ".join(str(d.number) for d in inject.depends_on.all()),
        }
        rows.append([values[f.key] for f in FIELDS])
    return rows


def msel_xlsx(injects: list[Inject]) -> bytes:
    columns = [Column(f.header, wrap=f.key in ("content", "expected_action")) for f in FIELDS]
    return xlsx_bytes([Sheet("MSEL", columns, msel_rows(injects))])


def statistics_xlsx(stats: Statistics) -> bytes:
    return xlsx_bytes(
        [
            Sheet("Summary", ["Measure", "Value"], stats.summary),
            Sheet(
                "Injects",
                [
                    "Number",
                    "Scheduled",
                    "Event synopsis",
                    "Status",
                    "Released at",
                    "Delay (minutes)",
                    "Responses",
                    "First response after (minutes)",
                ],
                stats.injects,
            ),
            Sheet(
                "Ratings by capability",
                ["Capability", "P", "S", "M", "U", "Most severe"],
                stats.ratings,
            ),
        ]
    )
