"""Country names in the user's language (Babel's CLDR data; pycountry for ISO codes)."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale

from cicte.directory.data import MEMBER_STATES

_ALPHA2 = {alpha3: alpha2 for alpha3, alpha2, _subregion, _sids in MEMBER_STATES}

#: Where the OAS's own usage differs from CLDR's short name (the member-state lists of the
#: OAS French and Portuguese sites); every other name comes from CLDR through Babel.
OAS_NAMES: dict[str, dict[str, str]] = {
    "fr": {
        "KNA": "Saint-Kitts-et-Nevis",  # CLDR: Saint-Christophe-et-Niévès
        "SLV": "El Salvador",  # CLDR: Salvador
        "VCT": "Saint-Vincent-et-les-Grenadines",  # CLDR: Saint-Vincent-et-les Grenadines
    },
    "pt": {},  # CLDR's Portuguese names are the OAS's (São Cristóvão e Névis, Guiana…)
}


@cache
def country_name(alpha3: str, language: str = "en") -> str:
    """The country's short name in ``language`` ("Argentina", "Estados Unidos", "Argentine",
    "Estados Unidos"): CLDR's, or the OAS's where it differs (:data:`OAS_NAMES`)."""
    oas = OAS_NAMES.get(language.split("-", 1)[0].lower(), {}).get(alpha3)
    if oas:
        return oas
    alpha2 = _ALPHA2.get(alpha3)
    if alpha2 is None:
        record = pycountry.countries.get(alpha_3=alpha3)
        if record is None:
            return alpha3
        alpha2 = record.alpha_2
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, LookupError):
        locale = Locale("en")
    name = locale.territories.get(alpha2)
    return str(name) if name else alpha3


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for alpha3, alpha2, _subregion, _sids in MEMBER_STATES:
        index[_fold(alpha3)] = alpha3
        index[_fold(alpha2)] = alpha3
        for language in ("en", "es", "fr", "pt"):
            index[_fold(country_name(alpha3, language))] = alpha3
            cldr = Locale(language).territories.get(alpha2)  # also CLDR's where the OAS differs
            if cldr:
                index[_fold(str(cldr))] = alpha3
        record = pycountry.countries.get(alpha_3=alpha3)
        if record is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(record, attr, None)
                if value:
                    index[_fold(value)] = alpha3
    # Names people write that CLDR spells otherwise.
    extras = {
        "united states of america": "USA",
        "estados unidos de america": "USA",
        "bahamas": "BHS",
        "the bahamas": "BHS",
        "saint kitts and nevis": "KNA",
        "st. kitts and nevis": "KNA",
        "st kitts and nevis": "KNA",
        "saint lucia": "LCA",
        "st. lucia": "LCA",
        "saint vincent and the grenadines": "VCT",
        "st. vincent and the grenadines": "VCT",
        "trinidad & tobago": "TTO",
        "antigua & barbuda": "ATG",
        "venezuela": "VEN",
        "bolivia": "BOL",
    }
    index.update({_fold(k): v for k, v in extras.items()})
    return index


def resolve_member_state(text: str) -> str | None:
    """Alpha-3 code for an ISO code or an English/Spanish/French/Portuguese name, else None."""
    return _name_index().get(_fold(text))
