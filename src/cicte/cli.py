"""The ``cicte`` console command: every Django management command, plus ours.

Our commands are written with dashes (``cicte import-plan``) and implemented as management
commands with underscores (``import_plan``); both spellings work. ``python -m cicte`` is the
same command. A configuration error (production settings missing) is one line, not a
traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if args and args[0].endswith("__main__.py"):
        args[0] = "cicte"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicte.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"cicte: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
