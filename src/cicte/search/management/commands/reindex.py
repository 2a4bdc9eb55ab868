"""``cicte reindex [SCOPE ...]``: rebuild the search index from the registered providers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cicte import search
from cicte.core.commands import TranslatedCommand
from cicte.search.registry import UnknownScope


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Rebuild the search index (every scope, or the ones named) from the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scopes", nargs="*", metavar="SCOPE", help=_("e.g. delivery.event"))
        parser.add_argument("--list", action="store_true", help=_("list the scopes and stop"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for scope in search.scopes():
                self.stdout.write(scope)
            return
        try:
            done = search.reindex(options["scopes"])
        except UnknownScope as error:
            raise CommandError(str(error)) from None
        for item in done:
            self.stdout.write(
                ngettext("%(scope)s: %(count)s entry", "%(scope)s: %(count)s entries", item.entries)
                % {"scope": item.scope, "count": item.entries}
            )
