"""Take the documentation screenshots (docs/screenshots/dashboard.png, event-form.png).

Runs the browser test that is skipped in normal test runs, with the system Chromium:

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = dict(os.environ, CICTE_SCREENSHOTS="1", DATABASE_URL="")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/browser/test_screenshots.py",
        "-q",
        "-p",
        "no:randomly",
    ]
    return subprocess.call(command, cwd=ROOT, env=env)  # noqa: S603


if __name__ == "__main__":
    raise SystemExit(main())
