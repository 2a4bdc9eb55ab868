"""``cicte import-strategies``: all or nothing, errors by row and column; the CSV export
reads back."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from cicte.strategies.models import PolicyDocument

pytestmark = pytest.mark.django_db

GOOD = (  # the successor comes first: the import orders predecessors first
    "jurisdiction,kind,title,status,language,title_en,adopted_on,identifier,dimensions,supersedes\n"
    "JAM,strategy,National Cyber Security Strategy 2022,in_progress,en,,,NCS-2022,D1,NCS-2015\n"
    "JAM,strategy,National Cyber Security Strategy,adopted,en,,2015-03-01,NCS-2015,D1;D4,\n"
    "COL,policy,Política Nacional de Seguridad Digital,adopted,es,National Digital Security Policy,"
    "2016-04-11,CONPES 3854,,\n"
)


def _run(tmp_path, text, *args, name="s.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_strategies", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_publish_and_read_back(tmp_path):
    out, _ = _run(tmp_path, GOOD, "--publish")
    assert "Imported 3 document(s), published" in out
    second = PolicyDocument.objects.get(identifier="NCS-2022")
    assert second.supersedes.identifier == "NCS-2015"
    colombia = PolicyDocument.objects.get(identifier="CONPES 3854")
    assert colombia.translations == {"en": "National Digital Security Policy"}
    assert colombia.tlp == "clear"
    # The CSV export reads back (extra columns ignored) — into an empty database.
    exported = Client().get(reverse("strategies:documents-csv")).content
    PolicyDocument.objects.filter(supersedes__isnull=False).delete()
    PolicyDocument.objects.all().delete()
    _run(tmp_path, exported, name="back.csv")
    assert PolicyDocument.objects.count() == 3


def test_all_or_nothing_with_row_and_column(tmp_path):
    bad = GOOD + (
        "XXX,strategy,Nowhere,adopted,en,,,,,\n"
        "PAN,treaty,Tratado,adopted,es,,,,,\n"
        "PAN,law,Ley 81,adopted,es,,31-12-2019,,,\n"
        "PAN,law,Ley 82,adopted,es,,,,D9,\n"
        "JAM,law,Act,adopted,en,,,,,NOPE\n"
    )
    with pytest.raises(CommandError) as caught:
        _run(tmp_path, bad)
    assert "nothing was imported" in str(caught.value)
    assert not PolicyDocument.objects.exists()
    _, err = _run_err(tmp_path, bad)
    assert "row 5: jurisdiction: unknown code XXX" in err
    assert "row 6: kind: treaty is not one of" in err
    assert "row 7: adopted_on: not a date" in err
    assert "row 8: dimensions: Unknown code D9" in err
    assert "row 9: supersedes: no document NOPE of JAM" in err


def _run_err(tmp_path, text):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_strategies", str(path), stdout=io.StringIO(), stderr=err)
    return "", err.getvalue()


def test_xlsx_and_file_errors(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Jurisdiction", "Kind", "Title", "Status"])
    sheet.append(["PAN", "strategy", "Estrategia Nacional de Ciberseguridad", "adopted"])
    stream = io.BytesIO()
    book.save(stream)
    out, _ = _run(tmp_path, stream.getvalue(), name="s.xlsx")
    assert "Imported 1 document(s), waiting for verification" in out
    with pytest.raises(CommandError, match="Missing column"):
        _run(tmp_path, "jurisdiction,title\nJAM,x\n")
    with pytest.raises(CommandError, match="PDF"):
        _run(tmp_path, b"%PDF-1.4 nope")
    out, _ = _run(tmp_path, GOOD, "--dry-run")
    assert "Dry run" in out and PolicyDocument.objects.count() == 1
