"""The report's "At a glance" section: the member-state map and the work-area series, in
the HTML fed to WeasyPrint, in the PDF's text, and as tables in DOCX and XLSX."""

from __future__ import annotations

import io
import re

from docx import Document
from openpyxl import load_workbook

from cicte.core.periods import parse_period
from cicte.progress import trends
from cicte.reports.build import report_data
from cicte.reports.renderers import html as html_renderer
from cicte.reports.renderers import render
from tests.progress.test_trends import MARKER, _tiles, two_plans  # noqa: F401  (fixture)
from tests.reports.test_renderers import pdf_text


def _report(plan, period):
    return report_data(plan=plan, period=parse_period(period), language="en")


def test_report_html_has_the_map_and_a_series_up_to_the_period(two_plans):  # noqa: F811
    report = _report(two_plans["plan_2014"], "2014")
    page = html_renderer.render_document(report, inline_css=False)
    section = page.split('id="report-map-title"')[1]
    tiles = _tiles(page)
    assert len(tiles) == 35
    assert tiles["JAM"] == ("tile-e1", "1")  # the 2014 event only: the period is 2014
    assert "<details" not in section.split("</svg>")[0]  # no table inside the figure
    number = two_plans["area"]
    series = trends.work_area_series(years=(2012, 2014), numbers=[number])[number]
    chart = page.split(f'id="report-series-{number}-title"')[1].split("</svg>")[0]
    for point in series.points:
        assert f'data-period="{point.label}" data-value="{point.delivered}"' in chart
    assert 'data-period="2012-H1" data-value="3"' in chart
    early = html_renderer.render_document(_report(two_plans["plan_2012"], "2012-H1"))
    chart = early.split(f'id="report-series-{number}-title"')[1].split("</svg>")[0]
    assert re.findall(r'data-period="([^"]+)"', chart) == ["2012-H1"]  # nothing after the period
    assert MARKER not in page + early


def test_report_pdf_draws_the_map_and_the_chart(two_plans):  # noqa: F811
    report = _report(two_plans["plan_2014"], "2014")
    text = pdf_text(render(report, "pdf"))
    assert "At a glance: the member states and delivery over time" in text
    assert "Events held by member state, 2014" in text
    for code in ("JAM", "BRB", "ARG", "CAN"):  # the tiles' codes are text in the PDF
        assert code in text
    assert "3 H1 3 H2 0 H1 0 H2 0 H1 4 H2 2012 2013 2014" in text  # values and axis
    assert "units delivered per half-year" in text
    assert MARKER not in text


def test_report_docx_and_xlsx_carry_the_series_as_a_table(two_plans):  # noqa: F811
    report = _report(two_plans["plan_2014"], "2014")
    number = two_plans["area"]
    workbook = load_workbook(io.BytesIO(render(report, "xlsx")))
    rows = list(workbook["Over time"].iter_rows(values_only=True))
    column = rows[0].index(f"Area {number}")
    assert [(r[0], r[column]) for r in rows[1:]] == [
        ("2012-H1", 3),
        ("2012-H2", 3),
        ("2013-H1", 0),
        ("2013-H2", 0),
        ("2014-H1", 0),
        ("2014-H2", 4),
    ]
    document = Document(io.BytesIO(render(report, "docx")))
    captions = [t.rows[0].cells[0].text for t in document.tables]
    assert "Half-year" in captions
