"""Every table users see has "Download CSV / XLSX" (issue 10, item 7), checked like the
pages themselves: the permission matrix's walk (every URL pattern, every role, the world
fixture) follows each download link a page shows and asserts that

* the download answers 200 with a CSV or XLSX attachment, never a server error;
* it holds exactly the table the page shows (same header, same rows) — so no personal data
  the page would not show; and the participant marker only for roles that may see it;
* no CSV text cell starts with a formula prefix and no XLSX cell is a formula;
* a role the page refuses is refused the download too.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from cicte.core.exports import FORMULA_PREFIXES
from cicte.core.tables import tables_from_html
from tests.security.matrix import DENY, ROLES, rule_for, walk
from tests.security.test_permission_matrix import _url, client_for, outcome, values_for
from tests.security.world import MARKER

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="(\?[^"]*format=(csv|xlsx)[^"]*)"')

#: The tables the world fills (the others: tests/core/test_table_download_pages.py).
TABLES = {
    "participants-by-country",
    "progress-member-states",
    "events",
    "my-requests",
    "request-queue",
    "project-contributions",
    "project-needs",
    "funding-projects",
    "funding-waiting-targets",
    "donor-projects",
    "donors",
    "published-reports",
    "api-tokens",
    "my-country-events",
    "activity",
    "versions",
    "users",
    "evaluations",
    "questionnaires",
    "recommendation-tracker",
    # the newer apps' tables the world fills (issue 17 item 6)
    "completions",
    "exercises",
    "experts",
    "forum-directory",
    "membership-requests",
    "missions-by-state",
    "received-programs-2012",
    "reshare-requests",
    "scholarship-calls",
    "strategies-queue",
    "strategy-documents",
    "submissions",
    "threads",
}
SEEN: dict[str, set[str]] = {}


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _text(value: object) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("role", ROLES)
def test_every_table_download(world, role):
    values, by_segment = values_for(world)
    client = client_for(world, role)
    problems: list[str] = []
    for route in walk():
        url = _url(route.route, values, by_segment)
        if url is None or route.name.startswith(("api:", "admin:")):
            continue
        rule = rule_for(route.name)
        page = client.get(url)
        if rule.expectations[role] == DENY or outcome(page) == "deny":
            denied = client.get(url + "?format=csv")
            if outcome(denied) not in {"deny", "missing", "method"} and outcome(page) == "deny":
                problems.append(f"{url}?format=csv answers {denied.status_code} to {role}")
            continue
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        html = page.content.decode()
        shown = {t.id: t for t in tables_from_html(html)}
        problems.extend(f"{url} ({role}): {p}" for p in tables_without_links(html))
        for href, file_format in LINK.findall(html):
            href = href.replace("&amp;", "&")
            table_id = re.search(r"table=([^&]+)", href)[1]
            SEEN.setdefault(table_id, set()).add(role)
            response = client.get(url.split("?")[0] + href)
            where = f"{url}{href} ({role})"
            if response.status_code != 200:
                problems.append(f"{where} → {response.status_code}")
                continue
            data = b"".join(response.streaming_content) if response.streaming else response.content
            if not response["Content-Disposition"].startswith("attachment;"):
                problems.append(f"{where}: not an attachment")
            if MARKER.lower().encode() in data.lower() and role not in rule.personal_data:
                problems.append(f"{where}: personal data")
            table = shown[table_id]
            if file_format == "csv":
                rows = _csv(data)
                if rows[0] != table.header:
                    problems.append(f"{where}: header {rows[0]} != page {table.header}")
                page_rows = [[_text(v) for v in row] for row in table.rows]
                if [
                    [c.lstrip("'") if c[1:2] in FORMULA_PREFIXES else c for c in r]
                    for r in rows[1:]
                ] != page_rows:
                    problems.append(f"{where}: rows differ from the page")
                if any(c.startswith(FORMULA_PREFIXES) and not _number(c) for r in rows for c in r):
                    problems.append(f"{where}: a formula prefix")
            else:
                workbook = load_workbook(io.BytesIO(data))
                cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
                if any(c.data_type == "f" for c in cells):
                    problems.append(f"{where}: a formula")
                header = [c.value or "" for c in next(workbook.worksheets[0].iter_rows())]
                if header != table.header:
                    problems.append(f"{where}: header {header} != page {table.header}")
    assert not problems, "\n".join(problems)


TABLE_TAG = re.compile(r"<table\b[^>]*>")
TABLE_ID = re.compile(r'\bid="([^"]+)"')


def tables_without_links(html: str) -> list[str]:
    """Every ``<table>`` a page shows needs an id and a download link for that id, unless it
    is marked ``data-no-download="<why>"`` (layout, a chart's or map's text alternative, the
    report document itself). So no future table is missed."""
    linked = {
        re.search(r"table=([^&]+)", h.replace("&amp;", "&"))[1] for h, _f in LINK.findall(html)
    }
    found = []
    for tag in TABLE_TAG.findall(html):
        if "data-no-download=" in tag:
            continue
        ident = TABLE_ID.search(tag)
        if ident is None:
            found.append(f"a table without an id: {tag}")
        elif ident[1] not in linked:
            found.append(f"table {ident[1]!r} has no CSV/XLSX download link")
    return found


def test_every_template_table_has_downloads_or_says_why_not():
    """The templates themselves: each ``<table`` has an id and its template a
    ``{% table_download_links %}``, or a ``data-no-download`` reason (pages the world does not
    fill are covered too)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "cicte"
    problems = []
    for template in sorted(root.glob("*/templates/**/*.html")):
        text = template.read_text()
        for tag in re.findall(r"<table\b[^>]*>", text):
            if "data-no-download=" in tag:
                continue
            if 'id="' not in tag:
                problems.append(f"{template.relative_to(root)}: a table without an id")
            elif "table_download_links" not in text:
                problems.append(f"{template.relative_to(root)}: {tag} has no download links")
    assert not problems, "\n".join(problems)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_every_table_was_downloaded():
    """Runs after the walk (same module): each linked table was seen by at least one role."""
    if not SEEN:
        pytest.skip("run with the walk above")
    missing = sorted(TABLES - set(SEEN))
    assert missing == [], f"not seen: {missing}; seen: {sorted(SEEN)}"
