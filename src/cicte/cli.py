"""The ``cicte`` console command: every Django management command, plus ours.

Our commands are written with dashes (``cicte import-plan``) and implemented as management
commands with underscores (``import_plan``); both spellings work. ``python -m cicte`` is the
same command. A configuration error (production settings missing) is one line, not a
traceback.

Messages are in the language of ``CICTE_LANGUAGE`` (en, es, fr, pt; anything else is a
one-line error), else of the POSIX locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, e.g.
``fr_FR.UTF-8``) when it is one of those four, else English.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if args and args[0].endswith("__main__.py"):
        args[0] = "cicte"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicte.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        _activate_language()
        if len(args) > 1 and not args[1].startswith("-"):
            args[1] = _command_name(args[1])
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"cicte: configuration error: {exc}\n")
        raise SystemExit(2) from None


def _command_name(name: str) -> str:
    """``import-plan`` runs ``import_plan``; a command whose module is named with dashes
    (the roster's ``roster-manager``) keeps its name."""
    from django.core.management import get_commands

    underscored = name.replace("-", "_")
    commands = get_commands()
    return name if name in commands and underscored not in commands else underscored


def _activate_language() -> None:
    import django
    from django.utils import translation

    from cicte.core.languages import UnknownLanguage, command_language

    django.setup()
    try:
        language = command_language()
    except UnknownLanguage as exc:
        sys.stderr.write(f"cicte: CICTE_LANGUAGE: {exc}\n")
        raise SystemExit(2) from None
    if language:
        translation.activate(language)


if __name__ == "__main__":
    main()
