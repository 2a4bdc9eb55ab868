"""Each format carries the same figures; no personal data reaches any of them."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from cicte.reports.renderers import default_filename, render
from cicte.reports.renderers import html as html_renderer

PERSONAL = ("Jane Secretperson", "jane.secret@example.org")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_html_document(report_en):
    page = html_renderer.render_document(report_en)
    assert page.startswith("<!DOCTYPE html>")
    assert 'lang="en"' in page
    assert "CICTE/INF. 1/12" in page
    assert "Original: English" in page
    assert "Four port facilities asked for assessments" in page
    assert "<title id=" in page and "<desc id=" in page  # accessible SVG chart
    for secret in PERSONAL:
        assert secret not in page


def test_html_fragment_has_no_inline_script_or_style(report_en):
    fragment = html_renderer.render_fragment(report_en)
    assert "<script" not in fragment
    assert "<style" not in fragment
    assert not re.search(r"\sstyle=", fragment)
    headings = re.findall(r"<h([1-6])", fragment)
    assert headings[0] == "1"
    # Headings never skip a level going down.
    levels = [int(h) for h in headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_pdf_contains_headline_figures(scenario, report_en):
    content = render(report_en, "pdf")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    summary = report_en.section("summary").data
    assert "CICTE/INF. 1/12" in text
    assert "Original: English" in text
    assert re.search(r"Page 1 of \d+", text)
    for label, value in (
        ("Events held", summary.events_held),
        ("Member states reached", summary.member_states_reached),
        ("Participants", summary.participants_total),
        ("Scholarships awarded", summary.scholarships),
    ):
        assert re.search(rf"{label}\s*{value}\b", text), label
    assert "67%" in text
    for event in ("Port security workshop", "Evaluation of cyber missions"):
        assert event in text
    assert "July workshop" not in text
    for secret in PERSONAL:
        assert secret not in text


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_pdf_paper_sizes(report_en, paper, size):
    reader = PdfReader(io.BytesIO(render(report_en, "pdf", paper=paper)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_docx_headings_tables_and_chart(report_en):
    document = Document(io.BytesIO(render(report_en, "docx")))
    styles = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    heading1 = [text for style, text in styles if style == "Heading 1"]
    assert heading1 == [f"{i}. {s.title}" for i, s in enumerate(report_en.sections, start=1)]
    assert any(style == "Heading 2" for style, _ in styles)
    assert any(style == "Heading 3" for style, _ in styles)
    # Header block table + summary figures + tables of the sections.
    assert len(document.tables) >= 8
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells][:2] == ["Dates", "Event"]
    assert len(annex.rows) == 1 + 3
    assert annex.rows[1].cells[1].text == "Port security workshop"
    assert len(document.inline_shapes) == 1  # the coverage chart (PNG)
    body = "\n".join(p.text for p in document.paragraphs)
    body += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for secret in PERSONAL:
        assert secret not in body


def test_xlsx_sheets_and_rows(scenario, report_en):
    workbook = load_workbook(io.BytesIO(render(report_en, "xlsx")))
    expected = [
        "Report",
        "Summary",
        "Mandates",
        "Work areas",
        "Targets",
        "Evaluations",
        "Subregions",
        "Member states",
        "Funding gaps",
        "Annex - events",
    ]
    # Sheets of sections registered by other apps may sit between these.
    assert [name for name in workbook.sheetnames if name in expected] == expected
    summary = workbook["Summary"]
    assert summary.freeze_panes == "A2"
    assert summary["A1"].font.bold
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert values["Events held"] == 3
    assert values["Participants"] == 28
    targets = list(workbook["Targets"].iter_rows(min_row=2, values_only=True))
    assert len(targets) == len(scenario.targets) == 5
    states = list(workbook["Member states"].iter_rows(min_row=2, values_only=True))
    assert len(states) == 35
    annex = list(workbook["Annex - events"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in annex] == [
        "Port security workshop",
        "Evaluation of cyber missions",
        "ICAO aviation security scholarship",
    ]
    cells = " ".join(
        str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row
    )
    for secret in PERSONAL:
        assert secret not in cells


def test_spanish_headings_are_translated(report_en, report_es):
    english = report_en.headings()
    spanish = report_es.headings()
    assert len(english) == len(spanish)
    # Data (plan titles, program and project titles) keeps its language; every heading
    # written by the report itself must differ from the English one.
    data_headings = {
        h
        for h in english
        if any(
            t in h
            for t in (
                "Border Controls",
                "Critical Infrastructure",
                "Maritime Security",
                "Cyber Security",
                "Declaration on Strengthening",
            )
        )
    }
    for en, es in zip(english, spanish, strict=True):
        if en in data_headings:
            continue
        assert en != es, en
    assert "Resumen" in spanish
    es_html = html_renderer.render_fragment(report_es)
    for word in ("Events held", "Participants", "Summary", "Annex", "On track", "Behind"):
        assert f">{word}<" not in es_html, word
    assert "Estados Unidos" in es_html  # country names localized
    assert "16 de julio de 2012" in es_html


def test_spanish_docx_headings(report_en, report_es):
    def heading_texts(data):
        document = Document(io.BytesIO(render(data, "docx")))
        return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]

    english, spanish = heading_texts(report_en), heading_texts(report_es)
    assert len(english) == len(spanish)
    assert not set(english) & set(spanish)


def test_default_filename(report_en):
    assert default_filename(report_en, "pdf") == "cicte-report-2012-H1-en.pdf"


def test_document_tables_are_capped_but_xlsx_has_every_event(scenario, monkeypatch):
    from cicte.core.periods import parse_period
    from cicte.reports import sections
    from cicte.reports.build import report_data

    monkeypatch.setattr(sections, "DOCUMENT_ROWS", 2)
    data = report_data(plan=scenario.plan, period=parse_period("2012-H1"), language="en")
    annex = data.section("annex")
    note, table = annex.blocks
    assert "first 2 of 3 events" in note.text
    assert len(table.rows) == 2
    workbook = load_workbook(io.BytesIO(render(data, "xlsx")))
    assert workbook["Annex - events"].max_row == 1 + 3
