"""The exercise documents: Situation Manual (players), Controller/Evaluator Handbook (staff),
After-Action Report / Improvement Plan, and the players' debrief.

One pipeline, as the reports do: a builder fills a :class:`Document` (headings, paragraphs,
lists, tables) inside ``translation.override(language)``; one HTML template renders it for
the PDF (WeasyPrint) and one walker writes the same blocks to DOCX (python-docx). English
and Spanish come from the same builders. Builders receive only what the caller may see.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cicte.exercises.models import (
    AfterActionReport,
    Exercise,
    ReportStatus,
)
from cicte.exercises.parsing.msel import format_offset

FORMATS = ("pdf", "docx")
LANGUAGES = ("en", "es", "fr", "pt")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class Block:
    kind: str  # heading, para, list, table
    text: str = ""
    level: int = 2
    items: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str
    marking: str
    language: str
    blocks: list[Block] = field(default_factory=list)

    def h(self, text: str, level: int = 2) -> None:
        self.blocks.append(Block("heading", text=text, level=level))

    def p(self, text: str) -> None:
        if text:
            self.blocks.append(Block("para", text=text))

    def ul(self, items: list[str]) -> None:
        if items:
            self.blocks.append(Block("list", items=items))

    def table(self, columns: list[str], rows: list[list[Any]]) -> None:
        self.blocks.append(
            Block(
                "table",
                columns=columns,
                rows=[["" if c is None else str(c) for c in r] for r in rows],
            )
        )


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _overview(doc: Document, exercise: Exercise) -> None:
    doc.h(_("Exercise overview"))
    facts = [
        (_("Exercise name"), exercise.title),
        (_("Exercise dates"), f"{_when(exercise.starts_at)} – {_when(exercise.ends_at)}"),
        (_("Type"), exercise.get_type_display()),
        (_("Scope"), exercise.scope),
        (_("Mission areas"), exercise.mission_areas),
        (_("Threat or hazard"), exercise.threat),
        (_("Sponsor"), exercise.sponsor),
        (_("Point of contact"), exercise.point_of_contact),
    ]
    doc.table([_("Item"), _("Value")], [[k, v] for k, v in facts if v])


def _objectives(doc: Document, exercise: Exercise) -> None:
    language = translation.get_language() or "en"
    doc.h(_("Objectives and capabilities"))
    rows = []
    for objective in exercise.objectives.prefetch_related("capabilities"):
        caps = ", ".join(c.label(language) for c in objective.capabilities.all())
        rows.append([str(objective.number), objective.text, caps])
    doc.table([_("No."), _("Objective"), _("Capabilities")], rows)


def _modules(doc: Document, exercise: Exercise) -> None:
    for module in exercise.modules.all():
        doc.h(_("Module %(n)s: %(title)s") % {"n": module.number, "title": module.title}, 3)
        doc.p(module.description)
        questions = module.question_list()
        if questions:
            doc.p(_("Discussion questions"))
            doc.ul(questions)


def _schedule(doc: Document, sessions: list[Any]) -> None:
    doc.h(_("Schedule"))
    doc.table(
        [_("Session"), _("Start"), _("End"), _("Location")],
        [[s.title, _when(s.starts_at), _when(s.ends_at), s.location] for s in sessions],
    )


def _doc(exercise: Exercise, title: str, language: str) -> Document:
    return Document(
        title=title,
        subtitle=exercise.title,
        marking=_("EXERCISE ONLY — UNCLASSIFIED"),
        language=language,
    )


def situation_manual(exercise: Exercise, *, language: str) -> Document:
    """The players' manual: scope, objectives, capabilities, agenda, scenario, modules and
    discussion questions. Nothing of the MSEL."""
    with translation.override(language):
        doc = _doc(exercise, _("Situation Manual"), language)
        _overview(doc, exercise)
        doc.h(_("Scenario"))
        doc.p(exercise.scenario)
        _objectives(doc, exercise)
        _schedule(doc, list(exercise.sessions.filter(staff_only=False)))
        doc.h(_("Modules"))
        _modules(doc, exercise)
        doc.h(_("Participating teams"))
        doc.ul(
            [
                f"{t.name} — {t.organization}" if t.organization else t.name
                for t in exercise.teams.all()
            ]
        )
        return doc


def handbook(exercise: Exercise, *, language: str) -> Document:
    """The Controller/Evaluator Handbook: the Situation Manual's content plus the MSEL with
    expected actions, the critical tasks (the evaluation guide) and the staff roles."""
    from cicte.exercises.selectors import critical_tasks

    with translation.override(language):
        doc = _doc(exercise, _("Controller and Evaluator Handbook"), language)
        doc.p(_("Not for players. Do not share."))
        _overview(doc, exercise)
        doc.h(_("Scenario"))
        doc.p(exercise.scenario)
        _objectives(doc, exercise)
        _schedule(doc, list(exercise.sessions.all()))
        doc.h(_("Modules"))
        _modules(doc, exercise)
        doc.h(_("Master Scenario Events List"))
        rows = []
        for inject in exercise.injects.select_related(
            "objective", "capability", "controller"
        ).prefetch_related("teams"):
            rows.append(
                [
                    inject.number,
                    format_offset(inject.offset_minutes),
                    inject.title,
                    inject.sender,
                    ", ".join(t.name for t in inject.teams.all()),
                    inject.get_method_display(),
                    inject.content,
                    inject.expected_action,
                    inject.objective.number if inject.objective else "",
                    inject.capability.label(language) if inject.capability else "",
                    inject.controller.username if inject.controller else "",
                    _("yes") if inject.contingency else "",
                ]
            )
        doc.table(
            [
                _("No."),
                _("Time"),
                _("Event synopsis"),
                _("Simulated sender"),
                _("Target teams"),
                _("Method"),
                _("Content"),
                _("Expected player action"),
                _("Objective"),
                _("Capability"),
                _("Controller"),
                _("Contingency"),
            ],
            rows,
        )
        doc.h(_("Exercise evaluation guide: critical tasks"))
        doc.table(
            [_("Objective"), _("Capability"), _("Critical task")],
            [
                [t.objective.number, t.capability.label(language), t.text]
                for t in critical_tasks(exercise)
            ],
        )
        doc.h(_("Exercise staff"))
        doc.table(
            [_("Name"), _("Role")],
            [
                [m.user.get_full_name() or m.user.username, m.get_role_display()]
                for m in exercise.memberships.exclude(role="player").select_related("user")
            ],
        )
        return doc


def _analysis(doc: Document, report: AfterActionReport, language: str) -> None:
    doc.h(_("Analysis of capabilities"))
    doc.table(
        [_("Objective"), _("Capability"), _("Rating")],
        [
            [
                f"{r.objective.number}. {r.objective.text}",
                r.capability.label(language),
                r.get_rating_display(),
            ]
            for r in report.ratings.select_related("objective", "capability")
        ],
    )
    doc.h(_("Strengths"), 3)
    doc.ul([line.lstrip("- ") for line in report.strengths.splitlines() if line.strip()])
    doc.h(_("Areas for improvement"), 3)
    doc.ul([line.lstrip("- ") for line in report.improvements.splitlines() if line.strip()])


def after_action_report(report: AfterActionReport, *, language: str) -> Document:
    exercise = report.exercise
    with translation.override(language):
        doc = _doc(exercise, _("After-Action Report / Improvement Plan"), language)
        if report.status != ReportStatus.FINAL:
            doc.p(_("DRAFT — for the exercise director and evaluators only."))
        doc.h(_("Exercise overview"))
        doc.p(report.overview)
        _objectives(doc, exercise)
        _analysis(doc, report, language)
        doc.h(_("Appendix A: Improvement Plan"))
        doc.table(
            [
                _("Capability"),
                _("Corrective action"),
                _("Capability element"),
                _("Primary responsible organization"),
                _("Owner"),
                _("Due date"),
                _("Status"),
            ],
            [
                [
                    a.capability.label(language) if a.capability else "",
                    a.text,
                    a.get_element_display(),
                    a.organization,
                    (a.owner.get_full_name() or a.owner.username) if a.owner else "",
                    a.due_date.isoformat() if a.due_date else "",
                    a.status_label,
                ]
                for a in report.actions.select_related("capability", "owner", "recommendation")
            ],
        )
        doc.h(_("Appendix B: Participants"))
        doc.table(
            [_("Team"), _("Organization")],
            [[t.name, t.organization] for t in exercise.teams.all()],
        )
        return doc


def debrief(report: AfterActionReport, *, language: str) -> Document:
    """The players' debrief (final reports only): the overview, the analysis, strengths and
    areas for improvement; no names of people."""
    exercise = report.exercise
    with translation.override(language):
        doc = _doc(exercise, _("Exercise debrief"), language)
        doc.h(_("Exercise overview"))
        doc.p(report.overview)
        _analysis(doc, report, language)
        doc.h(_("What happens next"))
        doc.ul([f"{a.text} — {a.organization}" for a in report.actions.all()])
        return doc


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    with translation.override(doc.language):
        html = render_to_string("exercises/document.html", {"doc": doc})
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_docx(doc: Document) -> bytes:
    from docx import Document as Docx

    out = Docx()
    core = out.core_properties
    core.title, core.language = f"{doc.title}: {doc.subtitle}", doc.language
    out.add_paragraph(doc.marking)
    out.add_heading(doc.title, 0)
    out.add_paragraph(doc.subtitle)
    for block in doc.blocks:
        if block.kind == "heading":
            out.add_heading(block.text, block.level - 1)
        elif block.kind == "para":
            for part in block.text.split("\n"):
                out.add_paragraph(part)
        elif block.kind == "list":
            for item in block.items:
                out.add_paragraph(item, style="List Bullet")
        elif block.kind == "table":
            table = out.add_table(rows=1, cols=len(block.columns))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
                cell.text = text
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
    out.add_paragraph(doc.marking)
    stream = io.BytesIO()
    out.save(stream)
    return stream.getvalue()


def render(doc: Document, fmt: str) -> bytes:
    return render_pdf(doc) if fmt == "pdf" else render_docx(doc)
