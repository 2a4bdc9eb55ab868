"""The ``cicte`` command's own messages (errors, results, progress, ``--help``) in the language
of ``CICTE_LANGUAGE``: Spanish, French and Portuguese. Machine output stays as it is."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.functional import Promise

from cicte.core.commands import TranslatedCommand
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


# --- every command: its messages and its --help in the user's language ----------------------

COMMANDS_DIRS = sorted(
    (Path(__file__).resolve().parents[2] / "src/cicte").glob("*/management/commands")
)
DJANGO_OPTIONS = {
    "help",
    "version",
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
}


def _command_modules() -> list[str]:
    return sorted(
        f"cicte.{folder.parents[1].name}.management.commands.{path.stem}"
        for folder in COMMANDS_DIRS
        for path in folder.glob("*.py")
        if path.stem != "__init__"
    )


def _parser(module: str, language: str) -> Any:
    command = importlib.import_module(module).Command()
    with translation.override(language):
        return command.create_parser("cicte", module.rsplit(".", 1)[1])


def _argument_help(parser: Any) -> dict[str, str]:
    return {a.dest: a.help for a in parser._actions if a.dest not in DJANGO_OPTIONS and a.help}


def _is_prose(text: str) -> bool:
    """Words to translate, not only examples ("plan.txt, plan.json", "2012-H1, 2012")."""
    return any(word.strip(",;:()'\"").isalpha() for word in text.split())


def test_every_command_module_is_found():
    assert _is_prose("list the scopes and stop") and not _is_prose("plan.txt, plan.json")
    modules = _command_modules()
    assert len(modules) >= 28
    assert "cicte.roster.management.commands.roster-manager" in modules


@pytest.mark.parametrize("module", _command_modules())
def test_every_command_is_translated(module: str):
    """A guard: a new command must subclass TranslatedCommand, with a lazy ``help`` and
    argument help that the catalogues translate (French differs from English)."""
    command_class = importlib.import_module(module).Command
    assert issubclass(command_class, TranslatedCommand), f"{module}: not a TranslatedCommand"
    assert isinstance(command_class.help, Promise), f"{module}: help is not gettext_lazy"
    english, french = _parser(module, "en"), _parser(module, "fr")
    assert english.description and french.description != english.description, (
        f"{module}: help is not translated"
    )
    untranslated = {
        dest: text
        for dest, text in _argument_help(english).items()
        if _argument_help(french).get(dest) == text and _is_prose(text)
    }
    assert untranslated == {}, f"{module}: argument help not translated"


HELP = {  # (command module, words of its --help) per language
    "es": [
        ("accounts.management.commands.ensure_admin", "Crea un superusuario 'admin'"),
        ("api.management.commands.export_openapi", "Muestra el documento OpenAPI 3"),
        ("search.management.commands.reindex", "Reconstruye el índice de búsqueda"),
        ("ops.management.commands.scheduler", "Verificar una vez y salir."),
        ("sampledata.management.commands.demo", "eliminar los eventos de demostración"),
    ],
    "fr": [
        ("accounts.management.commands.ensure_admin", "Crée un superutilisateur 'admin'"),
        ("api.management.commands.export_openapi", "Affiche le document OpenAPI 3"),
        ("search.management.commands.reindex", "Reconstruit l'index de recherche"),
        ("ops.management.commands.scheduler", "Vérifier une fois, puis quitter."),
        ("sampledata.management.commands.demo", "supprimer les événements de démonstration"),
    ],
    "pt": [
        ("accounts.management.commands.ensure_admin", "Cria um superusuário 'admin'"),
        ("api.management.commands.export_openapi", "Exibe o documento OpenAPI 3"),
        ("search.management.commands.reindex", "Reconstrói o índice de pesquisa"),
        ("ops.management.commands.scheduler", "Verificar uma vez e sair."),
        ("sampledata.management.commands.demo", "excluir os eventos de demonstração"),
    ],
}


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_help_of_the_commands_in_the_users_language(language: str):
    for module, words in HELP[language]:
        shown = " ".join(_parser(f"cicte.{module}", language).format_help().split())
        assert words in shown, module


ROSTER_HELP = {
    "es": "el nombre de usuario de un miembro del personal de la Secretaría",
    "fr": "l'identifiant d'un membre du personnel du Secrétariat",
    "pt": "o nome de usuário de um membro do pessoal da Secretaria",
}


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_a_command_named_with_dashes_runs_and_helps_in_the_users_language(language: str):
    shown = _cicte("roster-manager", "--help", language=language)
    assert shown.returncode == 0, shown.stderr
    assert ROSTER_HELP[language] in " ".join(shown.stdout.split())


def _refused(name: str, *args: str, **options: Any) -> str:
    with pytest.raises(CommandError) as refused:
        call_command(name, *args, stdout=StringIO(), stderr=StringIO(), **options)
    return str(refused.value)


def _output(name: str, *args: str, **options: Any) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


NO_DB = {  # errors raised before any database access
    "es": {
        "remind": "--days debe ser cero o más.",
        "backup": "--keep debe ser 1 o más.",
        "restore": "Copia de seguridad rechazada: {missing} no existe.",
        "serve": "cicte serve necesita la configuración de producción",
        "report": "Período desconocido '2012-H3': use un semestre (2012-H1)",
        "generate": "--as-of 'soon': se esperaba una fecha como 2026-06-30.",
        "import-skills": "El archivo no existe: {missing}",
    },
    "fr": {
        "remind": "--days doit valoir zéro ou plus.",
        "backup": "--keep doit valoir 1 ou plus.",
        "restore": "Sauvegarde refusée\u00a0: {missing} n'existe pas.",
        "serve": "cicte serve nécessite la configuration de production",
        "report": "Période inconnue '2012-H3'\u00a0: indiquez un semestre (2012-H1)",
        "generate": "--as-of 'soon'\u00a0: date attendue, par exemple 2026-06-30.",
        "import-skills": "Fichier introuvable\u00a0: {missing}",
    },
    "pt": {
        "remind": "--days deve ser zero ou mais.",
        "backup": "--keep deve ser 1 ou mais.",
        "restore": "Backup recusado: {missing} não existe.",
        "serve": "cicte serve precisa da configuração de produção",
        "report": "Período desconhecido '2012-H3': use um semestre (2012-H1)",
        "generate": "--as-of 'soon': esperava-se uma data como 2026-06-30.",
        "import-skills": "O arquivo não existe: {missing}",
    },
}


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_errors_on_bad_input_in_the_users_language(language: str, tmp_path: Path):
    missing = tmp_path / "none.tar.gz"
    expected = {k: v.format(missing=missing) for k, v in NO_DB[language].items()}
    with translation.override(language):
        refused = {
            "remind": _refused("remind", days=-1),
            "backup": _refused("backup", keep=0),
            "restore": _refused("restore", str(missing), verify_only=True),
            "serve": _refused("serve"),
            "report": _refused("report", period="2012-H3"),
            "generate": _refused("generate", as_of="soon"),
            "import-skills": _refused("import-skills", str(missing)),
        }
    for name, message in expected.items():
        assert refused[name].startswith(message), name


DB = {
    "es": {
        "create_api_token": "No hay ningún usuario activo 'ghost'.",
        "create_user": "'XYZ' no es un Estado miembro de la OEA.",
        "otp_reset": "No hay ningún usuario 'ghost'.",
        "roster-manager": "No hay ningún usuario 'ghost'.",
        "progress": "No hay ningún plan de trabajo '1850'.",
        "demo": "No hay ningún plan de trabajo 1850 en la base de datos",
        "anonymise": "Se anonimizarían 0 expertos (simulación; --apply); conservación",
        "scheduler": "recover-orphans: cada 0:01:00 — ",
        "worker": "El backend de tareas no es la cola de la base de datos",
    },
    "fr": {
        "create_api_token": "Aucun utilisateur actif 'ghost'.",
        "create_user": "'XYZ' n'est pas un État membre de l'OEA.",
        "otp_reset": "Aucun utilisateur 'ghost'.",
        "roster-manager": "Aucun utilisateur 'ghost'.",
        "progress": "Aucun plan de travail '1850'.",
        "demo": "Aucun plan de travail 1850 dans la base de données",
        "anonymise": "0 expert serait anonymisé (essai à blanc\u00a0; --apply)\u00a0; conservation",
        "scheduler": "recover-orphans\u00a0: tous les 0:01:00 — ",
        "worker": "Le moteur de tâches n'est pas la file d'attente de la base de données",
    },
    "pt": {
        "create_api_token": "Nenhum usuário ativo 'ghost'.",
        "create_user": "'XYZ' não é um Estado membro da OEA.",
        "otp_reset": "Nenhum usuário 'ghost'.",
        "roster-manager": "Nenhum usuário 'ghost'.",
        "progress": "Nenhum plano de trabalho '1850'.",
        "demo": "Nenhum plano de trabalho 1850 no banco de dados",
        "anonymise": "0 especialista seria anonimizado (simulação; --apply); retenção",
        "scheduler": "recover-orphans: a cada 0:01:00 — ",
        "worker": "O backend de tarefas não é a fila do banco de dados",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_errors_and_results_that_read_the_database_in_the_users_language(language: str):
    # the test suite's task backend is the immediate one: `cicte worker` refuses to start
    with translation.override(language):
        said = {
            "create_api_token": _refused("create_api_token", "ghost", "x"),
            "create_user": _refused(
                "create_user", "new", email="n@example.org", role="donor", member_state="XYZ"
            ),
            "otp_reset": _refused("otp_reset", "ghost"),
            "roster-manager": _refused("roster-manager", "grant", "ghost"),
            "progress": _refused("progress", plan="1850"),
            "demo": _refused("demo", plan="1850"),
            "anonymise": _output("roster-anonymise"),
            "scheduler": _output("scheduler", list=True),
            "worker": _refused("worker"),
        }
    for name, message in DB[language].items():
        assert message in said[name], name
