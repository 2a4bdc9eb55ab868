"""Which programs implement which mandate clause, inferred from keywords.

The Work Plan does not say which program carries out which mandate, so the parser infers
a first proposal that the Secretariat reviews. Two pure rules, applied to the clause text
together with its relevant subparagraphs (case-insensitive):

1. ``LINK_RULES``: a keyword in the clause links every program whose title matches the
   rule's program pattern, and every program of a work area whose title matches the
   rule's work-area pattern.
2. A program whose whole title appears in the clause ("critical infrastructure
   protection", "legislative assistance") is linked too.

Codes come out in plan order. The table is reproduced in docs/data-formats.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .lines import normalize_space
from .types import MandateClauseData, MandateSourceData, ProgramData, WorkAreaData


@dataclass(frozen=True)
class LinkRule:
    topic: str
    clause: re.Pattern[str]  # searched in the clause text
    programs: re.Pattern[str] | None = None  # searched in program titles
    work_areas: re.Pattern[str] | None = None  # searched in work-area titles (all programs)


def _rule(topic: str, clause: str, *, programs: str = "", work_areas: str = "") -> LinkRule:
    return LinkRule(
        topic,
        re.compile(clause, re.IGNORECASE),
        re.compile(programs, re.IGNORECASE) if programs else None,
        re.compile(work_areas, re.IGNORECASE) if work_areas else None,
    )


LINK_RULES: tuple[LinkRule, ...] = (
    _rule("ports", r"\b(?:sea)?ports?\b|maritime|port facilit", programs=r"maritime|\bports?\b"),
    _rule("aviation", r"airports?|aviation", programs=r"aviation|airport"),
    _rule("documents", r"travel documents?|document security|identity|fraud", programs=r"document"),
    _rule(
        "migration", r"immigration|customs|migrants?\b", programs=r"immigration|customs|migration"
    ),
    _rule("borders", r"\bborders?\b", work_areas=r"border"),
    _rule(
        "weapons of mass destruction",
        r"\b1540\b|nuclear|chemical|biological|radiological|weapons of mass destruction",
        programs=r"\b1540\b|proliferation",
    ),
    _rule(
        "legislation",
        r"legislati|legal frameworks?|ratification|prosecutors|judges|victims of terrorism"
        r"|human rights",
        programs=r"legislati|legal",
    ),
    _rule(
        "terrorism financing",
        r"terrorism financing|terrorist financing|financing of terrorism|money laundering",
        programs=r"financing",
    ),
    _rule(
        "cybersecurity",
        r"cyber|information and communications technolog|\bcsirts?\b|technology-related crime"
        r"|\bcitel\b",
        programs=r"cyber",
    ),
    _rule("tourism", r"touris|recreational facilit|major events", programs=r"touris"),
    _rule(
        "critical infrastructure",
        r"critical infrastructure",
        programs=r"critical infrastructure",
        work_areas=r"critical infrastructure",
    ),
    _rule(
        "supply chain",
        r"supply chain|movement of goods|transportation security",
        programs=r"supply chain",
    ),
    _rule(
        "crisis management",
        r"disaster|crisis|simulation|emergenc|emerging (?:terrorist )?threats",
        programs=r"crisis",
        work_areas=r"emerging",
    ),
    _rule(
        "cooperation",
        r"cooperation|coordination|partnerships?|exchange of information|duplication",
        programs=r"partnership|cooperation",
        work_areas=r"cooperation|coordination",
    ),
)


def infer_links(clause: MandateClauseData, work_areas: list[WorkAreaData]) -> list[str]:
    """Program codes that implement ``clause``, in plan order."""
    text = _clause_text(clause)
    linked: set[str] = set()
    for rule in LINK_RULES:
        if rule.clause.search(text):
            linked.update(program.code for program in _rule_programs(rule, work_areas))
    for program in _programs(work_areas):
        if normalize_space(program.title).lower() in text:
            linked.add(program.code)
    return [program.code for program in _programs(work_areas) if program.code in linked]


def with_inferred_links(
    mandates: list[MandateSourceData], work_areas: list[WorkAreaData]
) -> list[MandateSourceData]:
    """Copies of ``mandates`` whose clauses have ``implemented_by`` filled in."""
    return [
        replace(
            source,
            clauses=[
                replace(clause, implemented_by=infer_links(clause, work_areas))
                for clause in source.clauses
            ],
        )
        for source in mandates
    ]


def _clause_text(clause: MandateClauseData) -> str:
    parts = [clause.text, *(sub.text for sub in clause.subparagraphs if sub.relevant)]
    return normalize_space(" ".join(parts)).lower()


def _programs(work_areas: list[WorkAreaData]) -> Iterable[ProgramData]:
    for work_area in work_areas:
        yield from work_area.programs


def _rule_programs(rule: LinkRule, work_areas: list[WorkAreaData]) -> Iterable[ProgramData]:
    for work_area in work_areas:
        whole_area = rule.work_areas is not None and rule.work_areas.search(work_area.title)
        for program in work_area.programs:
            if whole_area or (rule.programs is not None and rule.programs.search(program.title)):
                yield program
