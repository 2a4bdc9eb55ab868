"""Compile every ``locale/*/LC_MESSAGES/django.po`` under the package into ``.mo`` files.

Uses Babel, so no GNU gettext is needed on a fresh machine.
Run: ``python -m cicte.core.i18n_compile``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def compile_all(root: Path = PACKAGE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        sys.stdout.write(f"compiled {path.relative_to(PACKAGE_DIR)}\n")
