"""An unconsented assessment, a draft strategy and an unverified submission never appear
to anyone outside the state's points of contact and the assigned staff — on every path:
list, search, profile (and its chart), compare, map, document and assessment pages,
archived copy, JSON, CSV and JSON-LD exports, DOCX/XLSX exports and the API. One matrix:
reader × path; each cell asserts the markers' presence or absence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cicte.core.types import SYSTEM
from cicte.strategies import services
from tests.strategies.conftest import pdf_upload

pytestmark = pytest.mark.django_db

SECRET_EVIDENCE = "Zqxunconsented evidence"
DRAFT_TITLE = "Zqxdraft strategy"
SUBMITTED_TITLE = "Zqxsubmitted law"
INSIDERS = {"poc_jam", "assigned"}
READERS = ["anonymous", "no_role", "poc_col", "manager", "officer", "poc_jam", "assigned"]


def _build(world):
    jam = world.jurisdiction("JAM")
    poc = world.users["poc_jam"]
    public = services.document_submit(
        actor=poc,
        jurisdiction=jam,
        kind="strategy",
        title="Public strategy",
        status="adopted",
        adopted_on=dt.date(2015, 1, 1),
    )
    services.document_publish(actor=SYSTEM, document=public)
    draft = services.document_submit(
        actor=poc,
        jurisdiction=jam,
        kind="strategy",
        title=DRAFT_TITLE,
        status="draft",
        archive=pdf_upload("Zqxdraft text"),
        summary="Zqxdraft summary",
    )
    services.document_publish(actor=SYSTEM, document=draft)  # verified, but still a draft
    unsubmitted = services.document_submit(
        actor=poc,
        jurisdiction=jam,
        kind="law",
        title=SUBMITTED_TITLE,
        status="adopted",
        submit=False,
    )
    assessment = services.assessment_create(
        actor=world.users["assigned"],
        jurisdiction=jam,
        assessed_on=dt.date(2023, 5, 1),
        assessor="Zqxassessor",
    )
    services.ratings_set(
        actor=world.users["assigned"],
        assessment=assessment,
        ratings=[{"factor": "D1.1", "stage": 4, "evidence": SECRET_EVIDENCE}],
    )
    return draft, unsubmitted, assessment


def _client(world, reader: str) -> Client:
    client = Client()
    if reader != "anonymous":
        client.force_login(world.users[reader])
    return client


def _body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_restricted_entries_never_leak(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft, unsubmitted, assessment = _build(world)
    paths = {
        "list": reverse("strategies:index"),
        "search-draft": reverse("strategies:index") + "?q=zqxdraft",
        "search-text": reverse("strategies:index") + "?q=zqxdraft+text",
        "profile": reverse("strategies:profile", args=["JAM"]),
        "profile-json": reverse("strategies:profile-json", args=["JAM"]),
        "compare": reverse("strategies:compare") + "?j=JAM&j=COL&j=PAN",
        "document": reverse("strategies:document", args=[draft.pk]),
        "document-unsubmitted": reverse("strategies:document", args=[unsubmitted.pk]),
        "document-jsonld": reverse("strategies:document-jsonld", args=[draft.pk]),
        "archive": reverse("strategies:archive", args=[draft.pk]),
        "csv": reverse("strategies:documents-csv"),
        "jsonld": reverse("strategies:documents-jsonld"),
        "assessment": reverse("strategies:assessment", args=[assessment.pk]),
        "assessment-docx": reverse("strategies:assessment-export", args=[assessment.pk, "docx"]),
        "assessment-xlsx": reverse("strategies:assessment-export", args=[assessment.pk, "xlsx"]),
        "api-documents": "/api/strategies/documents",
        "api-search": "/api/strategies/documents?q=zqxdraft",
        "api-document": f"/api/strategies/documents/{draft.pk}",
        "api-profile": "/api/strategies/jurisdictions/JAM",
        "api-assessment": f"/api/strategies/assessments/{assessment.pk}",
    }
    # Where an insider must find the restricted content (the proof the path works).
    insider_sees = {
        "search-draft": DRAFT_TITLE,
        "search-text": DRAFT_TITLE,
        "profile": SECRET_EVIDENCE,
        "profile-json": SECRET_EVIDENCE,
        "document": DRAFT_TITLE,
        "document-unsubmitted": SUBMITTED_TITLE,
        "csv": DRAFT_TITLE,
        "jsonld": DRAFT_TITLE,
        "assessment": SECRET_EVIDENCE,
        "api-search": DRAFT_TITLE,
        "api-document": DRAFT_TITLE,
        "api-profile": SECRET_EVIDENCE,
        "api-assessment": SECRET_EVIDENCE,
    }
    markers = ("Zqxunconsented", "Zqxdraft", "Zqxsubmitted", "Zqxassessor")
    checked = 0
    for reader in READERS:
        client = _client(world, reader)
        for name, path in paths.items():
            response = client.get(path)
            assert response.status_code < 500, (reader, name)
            if reader in INSIDERS:
                if name in insider_sees:
                    assert response.status_code == 200, (reader, name)
                    assert insider_sees[name] in _body(response), (reader, name)
            else:
                body = _body(response) if response.status_code == 200 else ""
                for marker in markers:
                    assert marker not in body, (reader, name, marker)
                if name in (
                    "document",
                    "document-unsubmitted",
                    "document-jsonld",
                    "archive",
                    "assessment",
                    "assessment-docx",
                    "assessment-xlsx",
                    "api-document",
                    "api-assessment",
                ):
                    assert response.status_code == 404, (reader, name)
            checked += 1
    assert checked == len(READERS) * len(paths)

    # The map: a state with only a draft shows "nothing recorded" to the public.
    body = _client(world, "anonymous").get(reverse("strategies:index")).content.decode()
    assert 'aria-label="JAM Jamaica: National strategy adopted or in force"' in body

    # Consent: the same assessment now appears publicly on the profile, API and exports.
    services.assessment_consent(actor=world.users["poc_jam"], assessment=assessment, consent=True)
    anonymous = _client(world, "anonymous")
    assert SECRET_EVIDENCE in _body(anonymous.get(paths["profile"]))
    assert SECRET_EVIDENCE in _body(anonymous.get(paths["api-assessment"]))
    assert anonymous.get(paths["assessment-xlsx"]).status_code == 200
