"""``{% table_download_links "<table id>" %}``: "Download CSV · Download XLSX" for a table of
the current page (see ``cicte.core.tables``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.inclusion_tag("site/_table_downloads.html", takes_context=True)
def table_download_links(context: Any, table_id: str, *parts: object) -> dict[str, Any]:
    """Links for the table ``id="<table_id>[-<part>...]"`` (parts for tables in a loop)."""
    table_id = "-".join([str(table_id), *(str(p) for p in parts if p not in (None, ""))])
    label = ""
    request = context.get("request")
    links = []
    for file_format, text in (("csv", _("Download CSV")), ("xlsx", _("Download XLSX"))):
        query = request.GET.copy() if request is not None else None
        if query is None:
            href = f"?format={file_format}&table={table_id}"
        else:
            query["format"] = file_format
            query["table"] = table_id
            query.pop("partial", None)
            href = "?" + query.urlencode()
        links.append({"href": href, "text": text, "format": file_format})
    return {"links": links, "label": label, "table_id": table_id}
