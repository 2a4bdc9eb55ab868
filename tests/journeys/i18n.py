"""Finds untranslated text on a rendered page.

Two checks, on the text a reader sees (text nodes and the ``aria-label``, ``placeholder``,
``title`` and ``alt`` attributes). Skipped: parts in another language, marked with ``lang``
(a published report, the language names of the language menu), and data kept in its
original language, marked ``translate="no"`` in the templates (plan texts, titles). The
report document itself (``article.report``) is left to tests/reports: its Spanish edition
quotes the plan's English texts in headings and table cells.

- **catalogue check**: on a Spanish, French or Portuguese page, no text may be an English
  ``msgid`` of our catalogues whose translation in that language differs (a string marked for
  translation but rendered untranslated: missing ``msgstr``, ``gettext`` at import time, a lost
  ``override``); on an English page, no text may be one of the translated ``msgstr``s (a leak);
- **English-words check**: on a Spanish, French or Portuguese page, the interface elements
  (buttons, labels, legends, column headers, navigation links, summaries, captions, terms,
  headings, help text) may not hold English function words — this catches strings never
  marked for translation, which the catalogue check cannot see.
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2] / "src/cicte"
ENGLISH_WORDS = re.compile(
    r"\b(the|and|of|to|your|you|with|for|from|this|is|are|not|by|all|has|was|been|only)\b"
)

COLLECT = """
() => {
  const page = document.documentElement.lang;
  const other = (el) => { const part = el.closest('[lang]'); return part && part.lang !== page; };
  const skip = (el) => other(el)
    || el.closest('[translate="no"], article.report, script, style, noscript, template, [hidden]');
  const own = (el) => {  // the element's text without its data parts
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[translate="no"], [lang], .code').forEach((part) => part.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text && node.parentElement && !skip(node.parentElement)) texts.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
    if (skip(el)) continue;
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) texts.push(value);
    }
  }
  const chrome = [];
  const selector = 'button, label, legend, th[scope=col], nav a, summary, caption, dt, h1, h2, '
    + '.helptext';
  for (const el of document.querySelectorAll(selector)) {
    if (skip(el) || el.querySelector('input, select, textarea')) continue;
    const text = own(el);
    if (text) chrome.push(text);
  }
  return {texts, chrome};
}
"""


#: The interface languages other than English whose catalogues the checks read.
LANGUAGES = ("es", "fr", "pt")


@cache
def catalogue(language: str = "es") -> tuple[frozenset[str], frozenset[str]]:
    """(English msgids translated differently, their translations) of every app's catalogue
    in ``language``; both empty when the language has no catalogue yet."""
    english: set[str] = set()
    translated_texts: set[str] = set()
    for path in sorted(ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
                    continue
                text = " ".join(message.id.split())
                translated = " ".join(str(message.string or "").split())
                if translated and translated != text and re.search(r"[a-z]{3}", text):
                    english.add(text)
                    translated_texts.add(translated)
    return frozenset(english), frozenset(translated_texts - english)


def has_catalogues(language: str) -> bool:
    return any(ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"))


def check_texts(texts: list[str], chrome: list[str], language: str) -> list[str]:
    """The problems of a page's ``texts`` (every text a reader sees) and ``chrome`` (the
    interface elements' own text) in ``language``: see the module's docstring."""
    problems: list[str] = []
    if language == "en":
        leaks: set[str] = set()
        for other in LANGUAGES:
            leaks |= catalogue(other)[1]
        english_ids = set().union(*(catalogue(other)[0] for other in LANGUAGES))
        leaks -= english_ids
        problems += [f"translated text on an English page: {t!r}" for t in texts if t in leaks]
    else:
        english, _translated = catalogue(language)
        problems += [f"untranslated: {t!r}" for t in texts if t in english]
        problems += [f"English words: {t!r}" for t in chrome if ENGLISH_WORDS.search(t)]
    return sorted(set(problems))


def untranslated(page, language: str) -> list[str]:
    """Texts of ``page`` that are not in ``language`` ("en", "es", "fr" or "pt")."""
    found = page.evaluate(COLLECT)
    return check_texts(found["texts"], found["chrome"], language)


# --- accessibility: axe-core on the same pages, when its script is on the machine ----------

#: Opt-in (it adds about a third to the journeys' time): ``CICTE_AXE=1``.
#: ``/work/shared/tools/axe/run.sh`` installs axe-core there; CICTE_AXE_JS points elsewhere.
AXE_ON = os.environ.get("CICTE_AXE") == "1"
AXE_JS = Path(
    os.environ.get("CICTE_AXE_JS")
    or Path(tempfile.gettempdir()) / "axe-tool/node_modules/axe-core/axe.min.js"
)


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8") if AXE_ON and AXE_JS.is_file() else ""


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations of the page (none checked when axe-core is
    not installed: ``axe_available()`` says so). Evaluated through the browser's debugging
    protocol, so the site's Content-Security-Policy stays on for the journey itself."""
    source = _axe_source()
    if not source:
        return []
    page.evaluate(f"() => {{ {source}\n }}")
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    return list(results)


def axe_available() -> bool:
    return bool(_axe_source())
