"""The reader of the NICE Framework's official components file (pure: no Django).

NIST publishes the NICE Workforce Framework for Cybersecurity (SP 800-181 rev. 1) components
as JSON exported from its Cybersecurity and Privacy Reference Tool (CPRT)::

    {"response": {"elements": {
        "documents": [{"doc_identifier": ..., "name": ..., "version": ...}],
        "elements": [{"element_type": "work_role", "element_identifier": "PD-WRL-003",
                      "title": "Incident Response", "text": "Responsible for ...",
                      "doc_identifier": ...}, ...],
        "relationships": [...]}}}

The same object without the ``response`` wrapper is accepted too, and the file may be
gzip-compressed (the shipped copy is). Work roles become skills;
the category of a work role is the ``category`` element whose identifier is the role's
prefix (``PD`` → "Protection and Defense"). Other element types (tasks, knowledge and skill
statements, competency areas) are counted and left out: the roster rates work roles.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from typing import Any

ROLE_TYPES = frozenset({"work_role", "workrole", "work role"})


class SkillsFileError(ValueError):
    """The file is not a NICE Framework components file; the message says where."""


@dataclass(frozen=True)
class SkillRow:
    identifier: str
    title: str
    description: str
    category: str


@dataclass
class SkillsFile:
    framework: str
    version: str
    source: str
    skills: list[SkillRow]
    skipped: dict[str, int] = field(default_factory=dict)


#: The shipped copy of the official file (see ``data/NOTICE.md``).
SHIPPED_FILE = "nice-framework-components-v2.0.0.json.gz"


def _text(value: Any) -> str:
    """The value as one clean line: the official file ends some titles with a no-break space."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()


def _category_title(value: str) -> str:
    """``PROTECTION and DEFENSE`` (the file's spelling) -> ``Protection and Defense``."""
    words = value.split(" ")
    if not any(w.isupper() and len(w) > 1 for w in words):
        return value
    small = {"and", "of", "the"}
    return " ".join(w.lower() if w.lower() in small else w.capitalize() for w in words)


def parse_nice_json(text: str | bytes) -> SkillsFile:
    if isinstance(text, bytes) and text[:2] == b"\x1f\x8b":
        try:
            text = gzip.decompress(text)
        except (OSError, EOFError) as exc:
            raise SkillsFileError(f"not a readable gzip file: {exc}") from None
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SkillsFileError(f"not JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("response"), dict):
        data = data["response"]
    if isinstance(data, dict) and isinstance(data.get("elements"), dict):
        data = data["elements"]
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise SkillsFileError("no 'elements' list: not a NICE Framework components file")
    documents = data.get("documents") or []
    doc = documents[0] if documents and isinstance(documents[0], dict) else {}
    version = _text(doc.get("version")) or _text(doc.get("doc_identifier"))
    if not version:
        raise SkillsFileError("documents[0] has no version")
    categories: dict[str, str] = {}
    roles: list[tuple[int, dict[str, Any]]] = []
    skipped: dict[str, int] = {}
    for index, element in enumerate(data["elements"]):
        if not isinstance(element, dict):
            raise SkillsFileError(f"elements[{index}] is not an object")
        kind = _text(element.get("element_type")).lower()
        if kind == "category":
            categories[_text(element.get("element_identifier"))] = _category_title(
                _text(element.get("title"))
            )
        elif kind in ROLE_TYPES:
            roles.append((index, element))
        else:
            skipped[kind or "unknown"] = skipped.get(kind or "unknown", 0) + 1
    if not roles:
        raise SkillsFileError("the file has no work_role elements")
    rows: list[SkillRow] = []
    seen: set[str] = set()
    for index, element in roles:
        identifier = _text(element.get("element_identifier"))
        title = _text(element.get("title"))
        if not identifier or not title:
            raise SkillsFileError(f"elements[{index}]: a work role needs an identifier and a title")
        if len(identifier) > 40 or len(title) > 200:
            raise SkillsFileError(f"elements[{index}] ({identifier[:40]}): too long")
        if identifier in seen:
            raise SkillsFileError(f"elements[{index}]: {identifier} appears twice")
        seen.add(identifier)
        prefix = identifier.split("-", 1)[0]
        rows.append(
            SkillRow(
                identifier=identifier,
                title=title,
                description=_text(element.get("text")),
                category=categories.get(prefix, ""),
            )
        )
    return SkillsFile(
        framework="NICE",
        version=version,
        source=_text(doc.get("name")) or "NICE Framework",
        skills=rows,
        skipped=skipped,
    )
