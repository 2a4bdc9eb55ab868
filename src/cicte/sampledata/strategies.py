"""The strategies part of ``cicte demo``: a few fictitious entries, every one labelled
``[DEMO]`` and "fictitious sample" — never invented facts presented as real. Documents are
attached to three member states only as placeholders (their real entries are entered by
their points of contact); the demo maturity assessment belongs to a fictitious organisation
(``DEMO``), so no real state is shown with invented maturity stages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from cicte.core.types import Actor
from cicte.strategies import services
from cicte.strategies.models import Jurisdiction, MaturityAssessment, PolicyDocument

DEMO_PREFIX = "[DEMO]"
DEMO_CODE = "DEMO"
NOTE = "Fictitious sample entry of the demo data set (cicte demo): not a real document."

DOCUMENTS: tuple[tuple[Any, ...], ...] = (
    (
        "JAM",
        "strategy",
        "adopted",
        "en",
        "National Cyber Security Strategy (fictitious sample)",
        {"es": "Estrategia nacional de ciberseguridad (ejemplo ficticio)"},
        dt.date(2012, 1, 10),
        ["D1", "D2"],
        ["organizational"],
    ),
    (
        "COL",
        "policy",
        "in_force",
        "es",
        "Política nacional de seguridad digital (ejemplo ficticio)",
        {"en": "National digital security policy (fictitious sample)"},
        dt.date(2011, 7, 1),
        ["D1", "D4"],
        ["legal", "organizational"],
    ),
    (
        "PAN",
        "strategy",
        "in_progress",
        "es",
        "Estrategia nacional de ciberseguridad (borrador ficticio)",
        {"en": "National cyber security strategy (fictitious draft)"},
        None,
        ["D1"],
        [],
    ),
)


def demo_load(*, actor: Actor) -> int:
    """Create the demo entries (idempotent); the number created."""
    created = 0
    with transaction.atomic():
        demo = Jurisdiction.objects.filter(code=DEMO_CODE).first() or services.organisation_create(
            actor=actor,
            code=DEMO_CODE,
            name_en="[DEMO] Fictitious regional organisation",
            name_es="[DEMO] Organización regional ficticia",
        )
        for code, kind, status, language, title, translations, adopted, dims, pillars in DOCUMENTS:
            full = f"{DEMO_PREFIX} {title}"
            if PolicyDocument.objects.filter(title=full).exists():
                continue
            document = services.document_submit(
                actor=actor,
                jurisdiction=Jurisdiction.objects.get(code=code),
                kind=kind,
                title=full,
                status=status,
                language=language,
                translations={k: f"{DEMO_PREFIX} {v}" for k, v in translations.items()},
                adopted_on=adopted,
                lead_agency="[DEMO] Fictitious agency",
                summary=NOTE,
                dimensions=dims,
                pillars=pillars,
            )
            services.document_publish(actor=actor, document=document, note=NOTE)
            created += 1
        if not MaturityAssessment.objects.filter(jurisdiction=demo).exists():
            assessment = services.assessment_create(
                actor=actor,
                jurisdiction=demo,
                assessed_on=dt.date(2012, 5, 15),
                assessor="[DEMO] Fictitious review team",
                summary=NOTE,
            )
            services.ratings_set(
                actor=actor,
                assessment=assessment,
                ratings=[
                    {"factor": factor, "stage": stage, "evidence": f"{DEMO_PREFIX} {NOTE}"}
                    for factor, stage in (
                        ("D1.1", 2),
                        ("D1.2", 3),
                        ("D2.1", 1),
                        ("D3.2", 2),
                        ("D4.1", 3),
                        ("D5.1", 2),
                    )
                ],
            )
            services.assessment_consent(actor=actor, assessment=assessment, consent=True)
            created += 1
    return created


def demo_reset(*, actor: Actor) -> int:
    """Delete the demo entries only (titles starting ``[DEMO]`` and the DEMO organisation)."""
    with transaction.atomic():
        removed = 0
        for assessment in MaturityAssessment.objects.filter(jurisdiction__code=DEMO_CODE):
            assessment.delete()
            removed += 1
        documents = PolicyDocument.objects.filter(title__startswith=DEMO_PREFIX)
        documents.update(supersedes=None)
        removed += documents.delete()[0]
        Jurisdiction.objects.filter(code=DEMO_CODE).delete()
    return removed
