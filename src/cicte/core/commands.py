"""The base of our management commands: ``help`` may be a lazy translation.

``help = gettext_lazy("...")`` is read when the parser is built, after ``cicte`` activated
the command's language (``CICTE_LANGUAGE`` or the POSIX locale); argparse needs a ``str``,
so the lazy text is resolved there. Argument help is written with ``gettext`` inside
``add_arguments``, which runs at the same time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class TranslatedCommand(BaseCommand):
    help: Any = ""  # a str, or a gettext_lazy promise resolved in create_parser

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
