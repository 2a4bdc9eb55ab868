"""Submission, verification, versions, archived copies and assessments through the services:
every bad input is a clear error naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cicte.core.errors import NotAllowed
from cicte.core.types import SYSTEM
from cicte.strategies import finding, maturity, selectors, services
from cicte.strategies.models import FactorRating, MaturityAssessment, PolicyDocument
from cicte.strategies.services import StrategyError
from tests.strategies.conftest import pdf_upload
from tests.strategies.documents import make_docx, make_html, make_odt

pytestmark = pytest.mark.django_db


def _submit(world, who="poc_jam", code="JAM", **kw):
    args = {
        "kind": "strategy",
        "title": "National Cyber Security Strategy",
        "status": "adopted",
        "language": "en",
        "adopted_on": dt.date(2015, 3, 1),
    }
    args.update(kw)
    return services.document_submit(
        actor=world.users[who], jurisdiction=world.jurisdiction(code), **args
    )


def test_submit_verify_publish_and_archive(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = _submit(world, archive=pdf_upload(), translations={"es": "Estrategia Nacional"})
    assert document.review == "submitted" and document.tlp == "amber+strict"
    assert document.archive_content_type == "application/pdf"
    assert len(document.archive_sha256) == 64
    found = finding.matches(PolicyDocument.objects.all(), "estrategía nacional ciberseguridad")
    assert list(found) == [document]
    assert not selectors.documents_for(None).exists()
    # A point of contact cannot publish; the Secretariat can.
    with pytest.raises(NotAllowed):
        services.document_publish(actor=world.users["poc_jam"], document=document)
    services.document_publish(actor=world.users["officer"], document=document, note="Gazette")
    document.refresh_from_db()
    assert document.review == "published" and document.tlp == "clear"
    assert list(selectors.documents_for(None)) == [document]
    # History: who changed what.
    versions = selectors.document_history(document)
    assert [v.who for v in versions][:2] == ["officer", "poc-jam"]


def test_point_of_contact_only_for_own_state(world):
    with pytest.raises(StrategyError) as caught:
        _submit(world, who="poc_col", code="JAM")
    assert caught.value.field == "jurisdiction"
    assert not PolicyDocument.objects.exists()
    document = _submit(world)
    with pytest.raises(StrategyError):
        services.document_update(actor=world.users["poc_col"], document=document, title="Mine")
    document.refresh_from_db()
    assert document.title == "National Cyber Security Strategy"


def test_update_of_published_entry_by_point_of_contact_goes_back_to_verification(world):
    document = _submit(world)
    services.document_publish(actor=world.users["officer"], document=document)
    services.document_update(actor=world.users["poc_jam"], document=document, lead_agency="MSET")
    document.refresh_from_db()
    assert document.review == "submitted" and document.tlp == "amber+strict"


@pytest.mark.parametrize(
    ("content", "name", "ok"),
    [
        (make_docx("Estrategia"), "a.docx", True),
        (make_odt("Estrategia"), "a.odt", True),
        (make_html("Estrategia"), "a.html", True),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 20, "a.pdf", False),
        (b"MZ\x90\x00 not a document", "a.pdf", False),
        (b"plain text", "a.txt", False),
    ],
)
def test_archived_copy_types(world, settings, tmp_path, content, name, ok):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content)
    if ok:
        document = _submit(world, archive=upload)
        assert list(finding.matches(PolicyDocument.objects.all(), "Estrategia")) == [document]
        assert "secret" not in document.extracted_text
    else:
        with pytest.raises(StrategyError) as caught:
            _submit(world, archive=upload)
        assert caught.value.code == "file_type" and caught.value.field == "archive"
        assert not PolicyDocument.objects.exists()


def test_archived_copy_over_the_cap(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CICTE_STRATEGIES_MAX_ARCHIVE_BYTES = 100
    with pytest.raises(StrategyError) as caught:
        _submit(world, archive=pdf_upload())
    assert caught.value.code == "file_too_large"
    assert not PolicyDocument.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_superseding_links_and_cycles(world):
    first = _submit(world, title="Strategy 2015")
    second = _submit(world, title="Strategy 2022", supersedes=first)
    services.document_publish(actor=world.users["officer"], document=first)
    services.document_publish(actor=world.users["officer"], document=second)
    first.refresh_from_db()
    assert first.status == "superseded"
    assert selectors.supersession_chain(None, second) == [first]
    with pytest.raises(StrategyError) as caught:
        services.document_update(actor=world.users["poc_jam"], document=first, supersedes=second)
    assert caught.value.code == "supersedes_cycle" and caught.value.field == "supersedes"
    first.refresh_from_db()
    assert first.supersedes_id is None
    with pytest.raises(StrategyError) as caught:
        services.document_update(actor=world.users["poc_jam"], document=first, supersedes=first)
    assert caught.value.code == "supersedes_cycle"
    other = _submit(world, who="poc_col", code="COL")
    with pytest.raises(StrategyError):
        services.document_update(actor=SYSTEM, document=other, supersedes=first)


def test_draft_shown_as_in_progress(world):
    draft = _submit(world, status="draft")
    services.document_publish(actor=world.users["officer"], document=draft)
    draft.refresh_from_db()
    assert draft.tlp == "amber+strict"  # a published draft stays restricted
    assert not selectors.documents_for(None).exists()
    services.document_show_in_progress(actor=world.users["poc_jam"], document=draft)
    draft.refresh_from_db()
    assert draft.status == "in_progress" and draft.tlp == "clear"
    assert list(selectors.documents_for(None)) == [draft]


def test_stage_out_of_range_writes_nothing(world):
    assessment = services.assessment_create(
        actor=world.users["assigned"],
        jurisdiction=world.jurisdiction("JAM"),
        assessed_on=dt.date(2023, 5, 1),
    )
    for bad in (0, 6, "x", None, -1):
        with pytest.raises(StrategyError) as caught:
            services.ratings_set(
                actor=world.users["assigned"],
                assessment=assessment,
                ratings=[{"factor": "D1.1", "stage": 3}, {"factor": "D1.2", "stage": bad}],
            )
        assert caught.value.code == "stage_out_of_range"
        assert "1–5" in caught.value.message and caught.value.field == "stage_D1.2"
    assert not FactorRating.objects.exists()
    with pytest.raises(StrategyError) as caught:
        services.ratings_set(
            actor=world.users["assigned"],
            assessment=assessment,
            ratings=[{"factor": "D9.9", "stage": 2}],
        )
    assert caught.value.code == "unknown_factor"
    with pytest.raises(NotAllowed):
        services.ratings_set(
            actor=world.users["officer"],
            assessment=assessment,
            ratings=[{"factor": "D1.1", "stage": 2}],
        )


def test_model_is_data_with_its_source():
    model = maturity.model()
    assert [d.id for d in model.dimensions] == ["D1", "D2", "D3", "D4", "D5"]
    assert [s.id for s in model.stages] == [
        "start-up",
        "formative",
        "established",
        "strategic",
        "dynamic",
    ]
    assert "gcscc" in model.source and model.citation
    assert len(model.pillars) == 5
    with pytest.raises(maturity.StageOutOfRange):
        maturity.check_stage(6)


def test_consent_publishes_the_assessment(world):
    assessment = services.assessment_create(
        actor=world.users["assigned"],
        jurisdiction=world.jurisdiction("JAM"),
        assessed_on=dt.date(2023, 5, 1),
    )
    services.ratings_set(
        actor=world.users["assigned"],
        assessment=assessment,
        ratings=[{"factor": "D1.1", "stage": 3, "evidence": "Strategy adopted 2015"}],
    )
    assert not MaturityAssessment.objects.visible_to(None).exists()
    with pytest.raises(NotAllowed):
        services.assessment_consent(
            actor=world.users["poc_col"], assessment=assessment, consent=True
        )
    services.assessment_consent(actor=world.users["poc_jam"], assessment=assessment, consent=True)
    assert MaturityAssessment.objects.visible_to(None).count() == 1
    services.assessment_consent(actor=world.users["poc_jam"], assessment=assessment, consent=False)
    assert not MaturityAssessment.objects.visible_to(None).exists()
