"""Machine exports of what the reader may see (callers pass ``visible_to`` querysets or
objects read through the selectors): JSON per jurisdiction, CSV of all documents, Dublin
Core as JSON-LD, and an assessment as DOCX and XLSX. CSV/XLSX are formula-safe
(:mod:`cicte.core.exports`)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from cicte.core.exports import Sheet, csv_bytes, xlsx_bytes
from cicte.strategies import maturity
from cicte.strategies.models import MaturityAssessment, PolicyDocument
from cicte.strategies.selectors import AssessmentView, Profile

CSV_HEADER = [
    "id",
    "jurisdiction",
    "jurisdiction_name",
    "kind",
    "title",
    "language",
    "title_en",
    "title_es",
    "title_fr",
    "title_pt",
    "status",
    "adopted_on",
    "in_force_on",
    "review_on",
    "lead_agency",
    "identifier",
    "version",
    "official_url",
    "dimensions",
    "pillars",
    "supersedes",
    "archive_sha256",
    "url",
]


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def document_row(document: PolicyDocument, base_url: str) -> list[object]:
    translations = document.translations or {}
    return [
        document.pk,
        document.jurisdiction.code,
        document.jurisdiction.name,
        document.kind,
        document.title,
        document.language,
        translations.get("en", ""),
        translations.get("es", ""),
        translations.get("fr", ""),
        translations.get("pt", ""),
        document.status,
        _day(document.adopted_on),
        _day(document.in_force_on),
        _day(document.review_on),
        document.lead_agency,
        document.identifier,
        document.version_label,
        document.official_url,
        ";".join(document.dimension_list),
        ";".join(document.pillar_list),
        (document.supersedes.identifier or document.supersedes_id) if document.supersedes else "",
        document.archive_sha256,
        base_url + document.get_absolute_url(),
    ]


def documents_csv(documents: Iterable[PolicyDocument], base_url: str) -> bytes:
    return csv_bytes(CSV_HEADER, (document_row(d, base_url) for d in documents))


def document_json(document: PolicyDocument, base_url: str) -> dict[str, Any]:
    return {
        "id": document.pk,
        "url": base_url + document.get_absolute_url(),
        "jurisdiction": document.jurisdiction.code,
        "kind": document.kind,
        "title": document.title,
        "language": document.language,
        "translations": document.translations or {},
        "status": document.status,
        "in_progress": document.in_progress_label,
        "tlp": document.tlp,
        "adopted_on": _day(document.adopted_on) or None,
        "in_force_on": _day(document.in_force_on) or None,
        "review_on": _day(document.review_on) or None,
        "lead_agency": document.lead_agency,
        "identifier": document.identifier,
        "version": document.version_label,
        "summary": document.summary,
        "official_url": document.official_url,
        "dimensions": document.dimension_list,
        "pillars": document.pillar_list,
        "supersedes": document.supersedes_id,
        "archive": (
            {
                "name": document.archive_name,
                "content_type": document.archive_content_type,
                "size": document.archive_size,
                "sha256": document.archive_sha256,
                "url": base_url + f"/strategies/documents/{document.pk}/archive/",
            }
            if document.archive_sha256
            else None
        ),
    }


def assessment_json(view: AssessmentView) -> dict[str, Any]:
    assessment = view.assessment
    return {
        "id": assessment.pk,
        "jurisdiction": assessment.jurisdiction.code,
        "model": assessment.model_id,
        "assessed_on": _day(assessment.assessed_on),
        "assessor": assessment.assessor,
        "consent": assessment.consent,
        "tlp": assessment.tlp,
        "ratings": [
            {
                "dimension": r["dimension"],
                "factor": r["factor"],
                "stage": r["stage"],
                "stage_id": maturity.model().stage(r["stage"]).id if r["stage"] else None,
                "evidence": r["evidence"],
                "rated_on": _day(r["rated_on"]) or None,
            }
            for r in view.rows
            if r["stage"]
        ],
    }


def jurisdiction_json(profile: Profile, base_url: str) -> dict[str, Any]:
    jurisdiction = profile.jurisdiction
    return {
        "code": jurisdiction.code,
        "kind": jurisdiction.kind,
        "name": jurisdiction.name,
        "iso_3166_alpha2": jurisdiction.iso_alpha2 or None,
        "url": base_url + jurisdiction.get_absolute_url(),
        "documents": [document_json(d, base_url) for d in profile.documents],
        "assessments": (
            [assessment_json(profile.assessment)] if profile.assessment is not None else []
        ),
    }


def dublin_core(document: PolicyDocument, base_url: str) -> dict[str, Any]:
    """One document as Dublin Core (DCMI terms) in JSON-LD."""
    jurisdiction = document.jurisdiction
    titles = [{"@value": document.title, "@language": document.language}] + [
        {"@value": title, "@language": language}
        for language, title in (document.translations or {}).items()
    ]
    record: dict[str, Any] = {
        "@id": base_url + document.get_absolute_url(),
        "@type": "dcterms:BibliographicResource",
        "dcterms:title": titles,
        "dcterms:creator": document.lead_agency or jurisdiction.name,
        "dcterms:publisher": jurisdiction.name,
        "dcterms:type": document.get_kind_display(),
        "dcterms:language": document.language,
        "dcterms:coverage": jurisdiction.code,
        "dcterms:identifier": [v for v in (document.identifier, document.official_url) if v],
        "dcterms:subject": document.dimension_list + document.pillar_list,
        "dcterms:description": document.summary,
        "dcterms:date": _day(document.adopted_on or document.in_force_on) or None,
        "dcterms:source": document.official_url or None,
        "dcterms:rights": "",
    }
    if document.archive_sha256:
        record["dcterms:format"] = document.archive_content_type
    if document.supersedes_id:
        record["dcterms:replaces"] = base_url + f"/strategies/documents/{document.supersedes_id}/"
    return {k: v for k, v in record.items() if v not in (None, "", [])}


CONTEXT = {"dcterms": "http://purl.org/dc/terms/"}


def dublin_core_rows(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The record as (element, text) lines for the document page."""
    rows = []
    for key, value in record.items():
        if key.startswith("@"):
            continue
        if isinstance(value, list):
            text = "; ".join(
                f"{v['@value']} ({v['@language']})" if isinstance(v, dict) else str(v)
                for v in value
            )
        else:
            text = str(value)
        rows.append((key, text))
    return rows


def jsonld(documents: Iterable[PolicyDocument], base_url: str) -> dict[str, Any]:
    return {"@context": CONTEXT, "@graph": [dublin_core(d, base_url) for d in documents]}


# --- an assessment as DOCX / XLSX (editable, for a plan of action) -------------------------


def _title(assessment: MaturityAssessment) -> str:
    name = maturity.model().name
    return f"{assessment.jurisdiction.name} — {name} — {assessment.assessed_on:%Y-%m-%d}"


def assessment_xlsx(view: AssessmentView) -> bytes:
    rows = [
        [
            r["dimension"],
            r["dimension_title"],
            r["factor"],
            r["factor_title"],
            r["stage"] or "",
            r["stage_label"],
            r["evidence"],
            _day(r["rated_on"]),
        ]
        for r in view.rows
    ]
    about = [
        ["Jurisdiction", view.assessment.jurisdiction.name],
        ["Model", maturity.model().name],
        ["Source", maturity.model().citation],
        ["Assessed on", _day(view.assessment.assessed_on)],
        ["Assessed by", view.assessment.assessor],
        ["Consent to publish", "yes" if view.assessment.consent else "no"],
        ["TLP", view.assessment.get_tlp_display()],
    ]
    return xlsx_bytes(
        [
            Sheet(
                "Ratings",
                [
                    "Dimension",
                    "Dimension title",
                    "Factor",
                    "Factor title",
                    "Stage",
                    "Stage name",
                    "Evidence",
                    "Date",
                ],
                rows,
                auto_filter=True,
            ),
            Sheet("About", ["Field", "Value"], about),
        ]
    )


def assessment_docx(view: AssessmentView) -> bytes:
    from docx import Document

    document = Document()
    assessment = view.assessment
    document.core_properties.title = _title(assessment)
    document.add_heading(_title(assessment), level=1)
    document.add_paragraph(f"{assessment.get_tlp_display()}")
    document.add_paragraph(maturity.model().citation)
    if assessment.summary:
        document.add_paragraph(assessment.summary)
    current = None
    table = None
    for row in view.rows:
        if row["dimension"] != current:
            current = row["dimension"]
            document.add_heading(f"{row['dimension']} {row['dimension_title']}", level=2)
            table = document.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, text in zip(
                table.rows[0].cells, ("Factor", "Stage", "Evidence", "Date"), strict=True
            ):
                cell.text = text
        assert table is not None
        cells = table.add_row().cells
        cells[0].text = f"{row['factor']} {row['factor_title']}"
        cells[1].text = f"{row['stage']} {row['stage_label']}" if row["stage"] else "—"
        cells[2].text = row["evidence"]
        cells[3].text = _day(row["rated_on"])
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
