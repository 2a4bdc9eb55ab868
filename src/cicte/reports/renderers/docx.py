"""DOCX (python-docx): real Heading 1/2/3 styles and Word tables, so the Secretariat can
edit the report before sending it; charts as PNG images drawn with Pillow."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt

from cicte.reports.charts import chart_png
from cicte.reports.renderers.common import cell_text, number, percent
from cicte.reports.types import Chart, Figures, Heading, Paragraph, ReportData, Table

PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Inches(8.5), Inches(11))}


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _table(document: object, table: Table, language: str) -> None:
    doc = document
    if table.caption:
        caption = doc.add_paragraph(table.caption)  # type: ignore[attr-defined]
        caption.runs[0].bold = True
        caption.paragraph_format.keep_with_next = True
    word_table = doc.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    word_table.style = "Table Grid"
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = word_table.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, table.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(column.label)
        run.bold = True
        if column.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        cells = word_table.add_row().cells
        for cell, value, column in zip(cells, row, table.columns, strict=True):
            cell.text = cell_text(value, column, language)
            if column.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for word_row in word_table.rows:
        for cell in word_row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
    doc.add_paragraph()  # type: ignore[attr-defined]


def render(data: ReportData, *, paper: str = "a4") -> bytes:
    meta = data.meta
    language = meta.language
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAPER.get(paper, PAPER["a4"])
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin = section.bottom_margin = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    with translation.override(language):
        # OAS document header block: organization on the left, symbols on the right.
        header = document.add_table(rows=1, cols=2)
        left, right = header.rows[0].cells
        left.text = ""
        for i, line in enumerate(
            (
                _("ORGANIZATION OF AMERICAN STATES"),
                _("INTER-AMERICAN COMMITTEE AGAINST TERRORISM (CICTE)"),
                _("Secretariat"),
            )
        ):
            paragraph = left.paragraphs[0] if i == 0 else left.add_paragraph()
            run = paragraph.add_run(line)
            run.bold = i < 2
            run.font.size = Pt(9)
        right.text = ""
        lines = [
            meta.plan_series,
            meta.document_symbol,
            meta.issued_label,
            _("Original: %(language)s") % {"language": meta.original_language_label},
        ]
        first = True
        for line in lines:
            if not line:
                continue
            paragraph = right.paragraphs[0] if first else right.add_paragraph()
            first = False
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(line)
            run.font.size = Pt(9)
            run.bold = line == meta.document_symbol
        document.add_heading(meta.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
        subtitle = document.add_paragraph(meta.subtitle)
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        plan_line = document.add_paragraph(
            _("Work Plan %(symbol)s: %(title)s")
            % {"symbol": meta.plan_symbol, "title": meta.plan_title}
        )
        plan_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for number_, report_section in enumerate(data.sections, start=1):
            document.add_heading(f"{number_}. {report_section.title}", level=1)
            for block in report_section.blocks:
                if isinstance(block, Heading):
                    document.add_heading(block.text, level=min(max(block.level - 1, 2), 3))
                elif isinstance(block, Paragraph):
                    paragraph = document.add_paragraph()
                    if block.label:
                        paragraph.add_run(block.label + " ").bold = True
                    run = paragraph.add_run(block.text)
                    run.italic = block.role in ("note", "empty")
                elif isinstance(block, Figures):
                    word_table = document.add_table(rows=0, cols=2)
                    word_table.style = "Table Grid"
                    for figure in block.items:
                        cells = word_table.add_row().cells
                        cells[0].text = figure.label
                        value = (
                            percent(figure.value, language)
                            if figure.percent
                            else number(figure.value, language)
                        )
                        cells[1].text = ""
                        value_run = cells[1].paragraphs[0].add_run(value)
                        value_run.bold = True
                        if figure.detail:
                            cells[1].paragraphs[0].add_run(f" ({figure.detail})")
                    document.add_paragraph()
                elif isinstance(block, Table):
                    _table(document, block, language)
                elif isinstance(block, Chart):
                    document.add_picture(io.BytesIO(chart_png(block)), width=Mm(165))
                    caption = document.add_paragraph(block.description)
                    caption.runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
