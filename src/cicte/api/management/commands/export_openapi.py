"""cicte export-openapi — print the API's OpenAPI document (commit it as docs/openapi.json).

cicte export-openapi > docs/openapi.json
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cicte.api.openapi import openapi_text


class Command(BaseCommand):
    help = "Print the OpenAPI 3 document of /api/ (cicte export-openapi > docs/openapi.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(openapi_text(), ending="")
