"""The five official TLP 2.0 marking-definition objects (OASIS cti-stix-common-objects),
shipped as data because the ``stix2`` library has TLP 1.0 constants only, and the MISP
distribution each label maps to."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import stix2

from cicte.sharing.markings import TLP

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_IDS: dict[str, str] = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

#: MISP ``distribution``: CLEAR → all communities, GREEN → this community, AMBER → a sharing
#: group, RED → your organisation only (the addressees are never exported).
MISP_DISTRIBUTION: dict[str, int] = {
    TLP.CLEAR: 3,
    TLP.GREEN: 1,
    TLP.AMBER: 4,
    TLP.AMBER_STRICT: 4,
    TLP.RED: 0,
}


@cache
def marking_objects() -> dict[str, dict[str, Any]]:
    """The five objects as JSON dicts, keyed by label."""
    text = (resources.files("cicte.sharing") / "data" / "tlp2-marking-definitions.json").read_text(
        encoding="utf-8"
    )
    by_id = {o["id"]: o for o in json.loads(text)}
    return {tlp: by_id[marking_id] for tlp, marking_id in TLP2_IDS.items()}


def marking_definition(tlp: str) -> stix2.MarkingDefinition:
    return stix2.parse(marking_objects()[tlp], allow_custom=True)
