"""Every app's catalogue is complete in every interface language.

For each app that keeps a Spanish catalogue (``<app>/locale/es``) and each language of
``settings.LANGUAGES`` but English, the catalogue must exist, translate every entry (every
plural form), carry no ``#, fuzzy`` flag and keep the msgid's placeholders (``%(name)s``,
``%s``, ``{name}``) exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2] / "src/cicte"
APPS = sorted(p.parents[3].name for p in ROOT.glob("*/locale/es/LC_MESSAGES/django.po"))
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[#0 +-]*\d*(?:\.\d+)?[sdifr]"
    r"|\{[A-Za-z_][A-Za-z0-9_]*\}"
)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def problems(path: Path, language: str) -> list[str]:
    if not path.exists():
        return [f"missing catalogue {_name(path)}"]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    found: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"{_name(path)}: {ids[0]!r}"
        if message.fuzzy:
            found.append(f"{where} is fuzzy")
        if not all(strings):
            found.append(f"{where} is untranslated")
            continue
        if len(ids) == 1:
            if placeholders(strings[0]) != placeholders(ids[0]):
                found.append(f"{where}: placeholders differ in {strings[0]!r}")
            continue
        allowed = set(placeholders(ids[0])) | set(placeholders(ids[1]))
        if set(placeholders(strings[-1])) != set(placeholders(ids[1])):
            found.append(f"{where}: placeholders differ in {strings[-1]!r}")
        for form in strings[:-1]:
            if not set(placeholders(form)) <= allowed:
                found.append(f"{where}: unknown placeholder in {form!r}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("app", APPS)
def test_catalogue_complete(app: str, language: str) -> None:
    path = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
    found = problems(path, language)
    more = f"\n… {len(found)} in all" if len(found) > 40 else ""
    assert not found, "\n".join(found[:40]) + more


def test_every_language_is_checked() -> None:
    assert LANGUAGES == ["es", "fr", "pt"]
    assert "site" in APPS and "reports" in APPS


def test_placeholder_check_catches_a_changed_name(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "%(count)s events"\nmsgstr "%(nombre)s événements"\n\n'
        'msgid "Saved"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Open"\nmsgstr "Ouvrir"\n',
        encoding="utf-8",
    )
    found = problems(po, "fr")
    assert any("placeholders differ" in p for p in found)
    assert any("'Saved' is untranslated" in p for p in found)
    assert any("'Open' is fuzzy" in p for p in found)


def _msgids(language: str) -> set[str]:
    """Every msgid of the language's catalogues, all apps together (Django merges them)."""
    ids: set[str] = set()
    for path in ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        ids |= {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    return ids


def test_french_and_portuguese_translate_the_same_messages() -> None:
    # Both were made from the same source strings: a msgid only one of them has is a message
    # the other language shows in English (found: a form bound's error, French only missing).
    french, portuguese = _msgids("fr"), _msgids("pt")
    assert sorted(portuguese - french) == []
    assert sorted(french - portuguese) == []
