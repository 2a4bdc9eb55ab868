"""The lock files that `make` installs from name every dependency of pyproject.toml (a
dependency added to pyproject.toml but not locked would be missing on a fresh machine)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _name(requirement: str) -> str:
    name = re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-")):
            names.add(_name(line))
    return names


def test_every_dependency_is_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    dev = {_name(r) for r in project["optional-dependencies"]["dev"]}
    locked = _locked(ROOT / "requirements.lock")
    locked_dev = _locked(ROOT / "requirements-dev.lock")
    assert runtime - locked == set(), "run `make lock`: requirements.lock misses them"
    assert (runtime | dev) - locked_dev == set(), (
        "run `make lock`: requirements-dev.lock misses them"
    )
