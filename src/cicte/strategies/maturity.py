"""The maturity model, shipped as data (``data/cmm-2021.json``, its source cited there): the
Oxford GCSCC Cybersecurity Capacity Maturity Model for Nations (CMM), 2021 Edition — five
dimensions, their factors and five stages (start-up → dynamic) — and the five pillars of
the ITU Global Cybersecurity Index. Pure: no models."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

MODEL_ID = "cmm-2021"
STAGE_MIN = 1
STAGE_MAX = 5


@dataclass(frozen=True)
class Named:
    id: str
    en: str
    es: str

    def label(self, language: str = "en") -> str:
        return self.es if (language or "en")[:2] == "es" else self.en


@dataclass(frozen=True)
class Stage(Named):
    number: int


@dataclass(frozen=True)
class Factor(Named):
    dimension: str


@dataclass(frozen=True)
class Dimension(Named):
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    publisher: str
    source: str
    citation: str
    verified: str
    stages: tuple[Stage, ...]
    dimensions: tuple[Dimension, ...]
    pillars: tuple[Named, ...]
    pillars_source: str

    @property
    def factors(self) -> tuple[Factor, ...]:
        return tuple(f for d in self.dimensions for f in d.factors)

    def factor(self, code: str) -> Factor | None:
        return next((f for f in self.factors if f.id == code), None)

    def dimension(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == code), None)

    def stage(self, number: int) -> Stage:
        return self.stages[number - 1]


class StageOutOfRange(ValueError):
    """A stage the model does not have (the message names the allowed range)."""


@cache
def model() -> Model:
    raw = json.loads(
        resources.files("cicte.strategies.data").joinpath(f"{MODEL_ID}.json").read_text("utf-8")
    )
    dimensions = tuple(
        Dimension(
            id=d["id"],
            en=d["en"],
            es=d["es"],
            factors=tuple(
                Factor(id=f["id"], en=f["en"], es=f["es"], dimension=d["id"]) for f in d["factors"]
            ),
        )
        for d in raw["dimensions"]
    )
    return Model(
        id=raw["id"],
        name=raw["name"],
        publisher=raw["publisher"],
        source=raw["source"],
        citation=raw["citation"],
        verified=raw["verified"],
        stages=tuple(
            Stage(id=s["id"], en=s["en"], es=s["es"], number=s["number"]) for s in raw["stages"]
        ),
        dimensions=dimensions,
        pillars=tuple(
            Named(id=p["id"], en=p["en"], es=p["es"]) for p in raw["gci_pillars"]["items"]
        ),
        pillars_source=raw["gci_pillars"]["source"],
    )


def check_stage(value: object) -> int:
    """The stage as an int in 1–5; :class:`StageOutOfRange` otherwise."""
    names = ", ".join(f"{s.number} {s.en.lower()}" for s in model().stages)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not STAGE_MIN <= number <= STAGE_MAX:
        raise StageOutOfRange(
            f"Stage {value!r} is outside the model's range: use {STAGE_MIN}–{STAGE_MAX} ({names})."
        )
    return number


def dimension_ids() -> tuple[str, ...]:
    return tuple(d.id for d in model().dimensions)


def pillar_ids() -> tuple[str, ...]:
    return tuple(p.id for p in model().pillars)
