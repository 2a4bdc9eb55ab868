"""The interface languages (``settings.LANGUAGES``: the four OAS official languages) and the
one rule for a language code a person typed: known codes pass, anything else is refused with
a message naming the code and the choices (reports, commands, the API) — never a traceback.

Pages fall back visibly instead: an unknown ``Accept-Language`` or language cookie gives the
English interface (``LANGUAGE_CODE``), and the language menu shows which one is in use.
"""

from __future__ import annotations

import os

from django.conf import settings


class UnknownLanguage(ValueError):
    """A language code outside ``settings.LANGUAGES``."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f'Unknown language "{code}": use one of {", ".join(codes())}.')


def codes() -> tuple[str, ...]:
    """The interface language codes, English first: ("en", "es", "fr", "pt")."""
    return tuple(code for code, _name in settings.LANGUAGES)


def check_language(code: str) -> str:
    """``code`` normalised ("FR", "fr-CA" -> "fr") if it is an interface language, else
    :class:`UnknownLanguage`."""
    text = (code or "").strip().lower().replace("_", "-")
    if text in codes():
        return text
    base = text.split("-", 1)[0]
    if base in codes():
        return base
    raise UnknownLanguage(code)


def command_language(environ: dict[str, str] | None = None) -> str | None:
    """The language of the ``cicte`` command's messages: ``CICTE_LANGUAGE`` if set (an
    unknown code is an error), else the POSIX locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
    ``fr_FR.UTF-8`` -> fr) when it is an interface language, else None (English)."""
    env = os.environ if environ is None else environ
    explicit = env.get("CICTE_LANGUAGE", "").strip()
    if explicit:
        return check_language(explicit)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            try:
                return check_language(value.split(".", 1)[0].split("@", 1)[0])
            except UnknownLanguage:
                return None  # "C", "POSIX", a language we do not speak: English
    return None
