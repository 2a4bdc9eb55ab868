"""The ``cicte`` command's own messages (errors, results, progress, ``--help``) in the language
of ``CICTE_LANGUAGE``: Spanish, French and Portuguese. Machine output stays as it is."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.conftest import PLAN_2012

SUCCESS = {
    "es": "plan de trabajo CICTE/doc.5/12 rev. 1 válido (no se escribió nada).",
    "fr": "plan de travail CICTE/doc.5/12 rev. 1 valide (rien n’a été écrit).",
    "pt": "plano de trabalho CICTE/doc.5/12 rev. 1 válido (nada foi gravado).",
}
MISSING = {
    "es": "El archivo no existe: ",
    "fr": "Fichier introuvable\u00a0: ",
    "pt": "O arquivo não existe: ",
}
BAD_PLAN = {"es": "advertencia", "fr": "avertissement", "pt": "aviso"}
UNKNOWN_PLAN = {
    "es": "No hay ningún plan de trabajo '1850'.",
    "fr": "Aucun plan de travail '1850'.",
    "pt": "Nenhum plano de trabalho '1850'.",
}
IMPORTED = {
    "es": "Importado CICTE/doc.5/12 rev. 1 (2012): 5 áreas de trabajo, 13 programas",
    "fr": "CICTE/doc.5/12 rev. 1 (2012) importé\u00a0: 5 domaines de travail, 13 programmes",
    "pt": "CICTE/doc.5/12 rev. 1 (2012) importado: 5 áreas de trabalho, 13 programas",
}


def _cicte(*args: str, language: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "cicte", *args],
        env={**environ, "CICTE_LANGUAGE": language},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_a_check_and_a_bad_input_in_the_users_language(language, tmp_path: Path):
    checked = _cicte("import-plan", "--dry-run", str(PLAN_2012), language=language)
    assert checked.returncode == 0, checked.stderr
    colon = "\u00a0: " if language == "fr" else ": "  # French typography
    assert checked.stdout.strip() == f"{PLAN_2012}{colon}{SUCCESS[language]}"
    assert BAD_PLAN[language] in checked.stderr  # the plan's warnings
    missing = tmp_path / "none.xlsx"
    refused = _cicte("import-events", str(missing), language=language)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"CommandError: {MISSING[language]}{missing}"
    assert "Traceback" not in refused.stderr


def test_help_in_french():
    shown = _cicte("import-events", "--help", language="fr")
    assert shown.returncode == 0
    assert "Importe des événements depuis un fichier XLSX ou CSV" in shown.stdout
    assert "importer les lignes valides, ignorer les autres" in shown.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_results_and_errors_of_commands_that_read_the_database(language, tmp_path: Path):
    with translation.override(language):
        with pytest.raises(CommandError) as refused:
            call_command("export_iati", plan="1850", stdout=StringIO())
        assert str(refused.value) == UNKNOWN_PLAN[language]
        out = StringIO()
        call_command("import_plan", str(PLAN_2012), stdout=out, stderr=StringIO())
        assert IMPORTED[language] in out.getvalue()
        absent = tmp_path / "plan.json"
        with pytest.raises(CommandError) as refused:
            call_command("import_plan", str(absent), stdout=StringIO())
        assert (
            str(refused.value)
            == {
                "es": f"{absent}: el archivo no existe.",
                "fr": f"{absent}\u00a0: fichier introuvable.",
                "pt": f"{absent}: o arquivo não existe.",
            }[language]
        )
        out = StringIO()
        call_command("export_events", plan="2012", output=str(tmp_path / "e.csv"), stdout=out)
        assert (
            out.getvalue().strip()
            == {
                "es": f"Se escribieron 0 evento(s) en {tmp_path / 'e.csv'}.",
                "fr": f"0 événement(s) écrit(s) dans {tmp_path / 'e.csv'}.",
                "pt": f"0 evento(s) gravado(s) em {tmp_path / 'e.csv'}.",
            }[language]
        )
    header = (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.isascii()  # the file is machine output: its columns stay as they are
