"""cicte export-openapi — print the API's OpenAPI document (commit it as docs/openapi.json).

cicte export-openapi > docs/openapi.json
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from cicte.api.openapi import openapi_text
from cicte.core.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Print the OpenAPI 3 document of /api/ (cicte export-openapi > docs/openapi.json)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(openapi_text(), ending="")
