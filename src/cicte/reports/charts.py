"""Horizontal bar charts drawn on the server: SVG for HTML/PDF, PNG (Pillow) for DOCX.

The SVG is accessible (``role="img"``, ``<title>``, ``<desc>``) and has no ``style``
attributes (the page passes the Content-Security-Policy): colours are SVG presentation
attributes (``fill``), which WeasyPrint also honours, and classes for report.css.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from cicte.reports.types import Chart

ROW = 18
LABEL_WIDTH = 190
BAR_WIDTH = 380
VALUE_WIDTH = 50
TOP = 8
INK, BRAND, MUTED = "#1b2430", "#0b4f8a", "#4f5b67"


def _scale(chart: Chart) -> int:
    return max((max(bar.values) for bar in chart.bars if bar.values), default=0) or 1


def chart_svg(chart: Chart, *, chart_id: str = "chart") -> str:
    """The chart as an inline SVG element (a string of trusted, escaped markup)."""
    top = max(_scale(chart), 1)
    height = TOP * 2 + ROW * len(chart.bars)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="11">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    for index, bar in enumerate(chart.bars):
        y = TOP + index * ROW
        value = bar.values[0] if bar.values else 0
        length = round(BAR_WIDTH * value / top, 1)
        parts.append('<g class="chart-row">')
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{y + ROW - 5}" '
            f'text-anchor="end" fill="{INK}">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" '
            f'height="{ROW - 6}" fill="{BRAND}"><title>{escape(bar.label)}: {value}</title></rect>'
        )
        parts.append(
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 4}" y="{y + ROW - 5}" '
            f'fill="{INK}">'
            f"{value}</text>"
        )
        parts.append("</g>")
    parts.append(
        f'<line class="chart-axis" x1="{LABEL_WIDTH}" y1="{TOP}" x2="{LABEL_WIDTH}" '
        f'y2="{height - TOP}" stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ):
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def chart_png(chart: Chart, *, scale: int = 2) -> bytes:
    """The same chart as a PNG image (for DOCX), drawn with Pillow."""
    row, label_w, bar_w, value_w = ROW * scale, LABEL_WIDTH * scale, BAR_WIDTH * scale, 60 * scale
    title_h = 26 * scale
    height = title_h + TOP * scale * 2 + row * max(len(chart.bars), 1)
    width = label_w + bar_w + value_w
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(11 * scale)
    bold = _font(12 * scale)
    draw.text((8 * scale, 6 * scale), chart.title, fill="#1b2430", font=bold)
    top = _scale(chart)
    y0 = title_h + TOP * scale
    for index, bar in enumerate(chart.bars):
        y = y0 + index * row
        value = bar.values[0] if bar.values else 0
        length = round(bar_w * value / top)
        label = bar.label
        while draw.textlength(label, font=font) > label_w - 10 * scale and len(label) > 4:
            label = label[:-2] + "…"
        draw.text(
            (label_w - 6 * scale, y + row // 2), label, fill="#1b2430", font=font, anchor="rm"
        )
        if length:
            draw.rectangle(
                (label_w, y + 3 * scale, label_w + length, y + row - 3 * scale), fill="#0b4f8a"
            )
        draw.text(
            (label_w + length + 4 * scale, y + row // 2),
            str(value),
            fill="#1b2430",
            font=font,
            anchor="lm",
        )
    draw.line((label_w, y0, label_w, height - TOP * scale), fill="#4f5b67", width=scale)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
