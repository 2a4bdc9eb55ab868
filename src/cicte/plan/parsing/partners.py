"""The list "INTER-AMERICAN ENTITIES AND INTERNATIONAL ORGANIZATIONS THAT COLLABORATE ...".

Group headings ("A. Organs, agencies, and entities of the inter-American system",
"A.1 OAS General Secretariat", "A.2 Other ...", "B. International, regional, and
subregional organizations") set the partner group; numbered entries are the partner
organizations (the 2012 plan numbers 7 + 2 + 40 = 49). " - " lines under an entry name the
sub-units through which the Secretariat works with it; they are kept in ``units``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import Line, is_upper_title, normalize_space
from .types import ParseWarning, PartnerData, PartnerGroup, PlanParseError

_GROUP_RE = re.compile(r"^(?P<letter>[A-Z])(?:\s*\.\s*(?P<sub>\d{1,2}))?\s*\.?\s+(?P<title>\S.*)$")
_ENTRY_RE = re.compile(r"^(?P<number>\d{1,3})\s*\.\s+(?P<text>\S.*)$")
_SUB_UNIT_RE = re.compile(r"^[-–•]\s*(?P<text>\S.*)$")
_LAST_PARENTHESES_RE = re.compile(r"\((?P<inner>[^()]+)\)(?!.*\()")
_BARE_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&/-]+")
_MAX_ACRONYM_LENGTH = 20


@dataclass
class _Entry:
    text: str
    line: int
    sub_units: list[str] = field(default_factory=list)


@dataclass
class _Group:
    key: str  # "A", "A.1", "B"
    title: str
    line: int
    entries: list[_Entry] = field(default_factory=list)

    @property
    def letter(self) -> str:
        return self.key[0]

    @property
    def partner_group(self) -> PartnerGroup:
        if "general secretariat" in self.title.lower():
            return "oas_general_secretariat"
        return "inter_american" if self.letter == "A" else "international"


def split_acronym(text: str) -> tuple[str, str | None]:
    """Name and acronym: the text in the last parentheses, or a bare acronym ("APEC").

    "Secretariat for Administration and Finance (SAF)" -> ("Secretariat for Administration
    and Finance", "SAF"); "INTERPOL" -> ("INTERPOL", "INTERPOL"); "World Bank" ->
    ("World Bank", None).
    """
    text = normalize_space(text)
    match = _LAST_PARENTHESES_RE.search(text)
    if match and _looks_like_acronym(match["inner"].strip()):
        name = normalize_space(text[: match.start()] + " " + text[match.end() :])
        return name, match["inner"].strip()
    if _BARE_ACRONYM_RE.fullmatch(text):
        return text, text
    return text, None


def _looks_like_acronym(text: str) -> bool:
    uppercase = sum(char.isupper() for char in text)
    return len(text) <= _MAX_ACRONYM_LENGTH and uppercase >= 2 and len(text.split()) <= 2


def parse_partners(lines: list[Line]) -> tuple[list[PartnerData], list[ParseWarning]]:
    """Parse the partner list (from its heading to the end of the document)."""
    groups, warnings = _read_groups(lines)
    _check_complete(groups, lines)
    partners: list[PartnerData] = []
    for group in groups:
        for entry in group.entries:
            partners.extend(_entry_partners(entry, group.partner_group))
    return partners, warnings


def _read_groups(lines: list[Line]) -> tuple[list[_Group], list[ParseWarning]]:
    groups: list[_Group] = []
    warnings: list[ParseWarning] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        group = _GROUP_RE.match(text)
        entry = _ENTRY_RE.match(text)
        sub_unit = _SUB_UNIT_RE.match(text)
        if group and not entry:
            key = group["letter"] + (f".{group['sub']}" if group["sub"] else "")
            groups.append(_Group(key, normalize_space(group["title"]), line.number))
        elif entry and groups:
            groups[-1].entries.append(_Entry(normalize_space(entry["text"]), line.number))
        elif sub_unit and groups and groups[-1].entries:
            groups[-1].entries[-1].sub_units.append(normalize_space(sub_unit["text"]))
        elif not groups and is_upper_title(text):
            continue  # the list's own heading
        else:
            warnings.append(
                ParseWarning(f"line ignored in the partner list: {text[:80]!r}", line.number)
            )
    return groups, warnings


def _check_complete(groups: list[_Group], lines: list[Line]) -> None:
    """Refuse a list cut short: every heading has entries, and both A and B are present."""
    last_line = lines[-1].number if lines else None
    for index, group in enumerate(groups):
        has_sub_groups = any(
            other.letter == group.letter and other.key != group.key for other in groups[index + 1 :]
        )
        if not group.entries and not (len(group.key) == 1 and has_sub_groups):
            raise PlanParseError(
                f"partner group {group.key} {group.title!r} lists no organizations "
                "(truncated document?)",
                line=group.line,
            )
    letters = {group.letter for group in groups if group.entries}
    for letter, name in (("A", "inter-American"), ("B", "international")):
        if letter not in letters:
            raise PlanParseError(
                f"the partner list has no {name} organizations (group {letter}.); "
                "the document looks truncated",
                line=last_line,
            )


def _entry_partners(entry: _Entry, group: PartnerGroup) -> list[PartnerData]:
    name, acronym = split_acronym(entry.text)
    return [PartnerData(name=name, acronym=acronym, group=group, units=list(entry.sub_units))]
