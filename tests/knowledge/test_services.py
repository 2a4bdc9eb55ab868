"""The knowledge base's services: the registry's workflow, documents (types, caps,
extraction in a background job, versions, metadata stripped from anonymous submissions),
lessons (submit, validate, publish, apply, release from an exercise), checklists, the host
workspace and bad input (a clear error, nothing written)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cicte.core.errors import ApplicationError, NotAllowed
from cicte.core.types import SYSTEM
from cicte.directory.models import MemberState
from cicte.knowledge import extraction, selectors, services
from cicte.knowledge.models import (
    ChecklistItem,
    ChecklistTask,
    Document,
    DocumentVersion,
    EventKind,
    HostContact,
    Lesson,
    MajorEvent,
)
from tests.knowledge.conftest import docx, make_event, pdf

pytestmark = pytest.mark.django_db


# -- the registry --------------------------------------------------------------------------


def test_focal_point_registers_secretariat_validates_host_state_approves(leak_world):
    u = leak_world.users
    event = make_event(u["poc_host"], "Caribbean summit 2027")
    assert event.status == "submitted"
    assert event.team.get().user == u["poc_host"]  # the focal point leads the host team
    with pytest.raises(ApplicationError, match="validates the entry before"):
        services.event_set_public(actor=u["poc_host"], event=event, public=True)
    with pytest.raises(NotAllowed):
        services.event_validate(actor=u["poc_host"], event=event)
    services.event_validate(actor=u["staff"], event=event)
    with pytest.raises(NotAllowed):  # another state does not decide for the host
        services.event_set_public(actor=u["poc_other"], event=event, public=True)
    services.event_set_public(actor=u["poc_host"], event=event, public=True)
    assert MajorEvent.objects.visible_to(None).filter(pk=event.pk).exists()


def test_point_of_contact_registers_only_for_own_state(leak_world):
    with pytest.raises(NotAllowed, match="host state"):
        make_event(leak_world.users["poc_other"], "Not ours", state="JAM")
    assert not MajorEvent.objects.filter(name="Not ours").exists()


def test_bad_dates_refused(leak_world):
    with pytest.raises(ApplicationError, match="ends before it starts"):
        services.event_register(
            actor=leak_world.users["poc_host"],
            name="Backwards",
            kind="sports",
            host_state=MemberState.objects.get(code="JAM"),
            starts_on=dt.date(2027, 5, 2),
            ends_on=dt.date(2027, 5, 1),
        )
    assert not MajorEvent.objects.filter(name="Backwards").exists()


# -- documents -----------------------------------------------------------------------------


def _add(actor, file, **kwargs):
    defaults = {"title": "Security plan", "kind": "plan", "language": "en", "area": "coordination"}
    defaults.update(kwargs)
    return services.document_create(actor=actor, file=file, **defaults)


def test_extraction_runs_as_a_background_job_after_the_commit(
    leak_world, django_capture_on_commit_callbacks
):
    author = leak_world.users["author"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = _add(author, pdf("Protección de dignatarios en la cumbre"))
        # Inside the transaction: nothing read yet.
        assert Document.objects.get(pk=document.pk).extraction == "pending"
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.extraction == "done"
    assert "dignatarios" in document.extracted_text
    found = selectors.documents(author, selectors.Filters(q="PROTECCION DIGNATARIO"))
    assert list(found) == [document]


def test_unreadable_text_is_kept_flagged_and_downloadable(leak_world, client):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    author = leak_world.users["author"]
    document = _add(
        author,
        SimpleUploadedFile("scan.pdf", out.getvalue()),
        tlp="clear",
        audience_kind="public",
    )
    assert extraction.document_extract(document_id=document.pk, number=1) == "failed"
    response = client.get(f"/knowledge/documents/{document.pk}/")
    assert "Text could not be extracted" in response.content.decode()
    download = client.get(f"/knowledge/documents/{document.pk}/v1/download/")
    assert download.status_code == 200
    assert download.content == out.getvalue()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 50, "image.pdf"),
        (b"MZ\x90\x00 an executable", "setup.docx"),
        (b"plain text, not a document", "notes.pdf"),
    ],
)
def test_forbidden_type_refused_nothing_written(leak_world, content, name):
    with pytest.raises(ApplicationError, match="Only PDF, DOCX, ODT and HTML"):
        _add(leak_world.users["author"], SimpleUploadedFile(name, content))
    assert not Document.objects.filter(title="Security plan").exists()


def test_file_over_the_cap_refused_nothing_written(leak_world, settings):
    settings.CICTE_KNOWLEDGE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ApplicationError, match="larger than the limit of 100 bytes"):
        _add(leak_world.users["author"], pdf("A plan that is far too long " * 10))
    assert not Document.objects.filter(title="Security plan").exists()
    assert not DocumentVersion.objects.exists() or DocumentVersion.objects.count() == 7


def test_anonymous_pdf_loses_its_metadata(leak_world):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf("Informe").read())))
    writer.add_metadata({"/Author": "Inspector Alice Planner", "/Creator": "Ministry laptop"})
    raw = io.BytesIO()
    writer.write(raw)
    assert b"Inspector Alice Planner" in raw.getvalue()
    document = _add(
        leak_world.users["author"],
        SimpleUploadedFile("alice-draft.pdf", raw.getvalue()),
        anonymous=True,
        creator="Alice",
        kind="aar",
    )
    version = document.versions.get()
    content = version.file.read()
    assert b"Inspector Alice Planner" not in content
    assert b"Ministry laptop" not in content
    assert not (PdfReader(io.BytesIO(content)).metadata or {}).get("/Author")
    assert version.metadata_stripped and version.name == "document.pdf"
    assert document.creator == "" and document.shown_creator == "Anonymous"
    assert "Informe" in extraction.files.extract("pdf", content)  # the text survives


def test_anonymous_docx_loses_its_core_properties(leak_world):
    from docx import Document as Docx

    source = Docx()
    source.add_paragraph("Lecciones del evento")
    source.core_properties.author = "Bob Secret"
    source.core_properties.last_modified_by = "Bob Secret"
    source.core_properties.comments = "internal draft"
    raw = io.BytesIO()
    source.save(raw)
    document = _add(
        leak_world.users["author"],
        SimpleUploadedFile("bob.docx", raw.getvalue()),
        anonymous=True,
    )
    content = document.versions.get().file.read()
    assert b"Bob Secret" not in content
    cleaned = Docx(io.BytesIO(content))
    assert cleaned.core_properties.author == ""
    assert cleaned.core_properties.last_modified_by == ""
    assert cleaned.core_properties.comments == ""
    assert "Lecciones del evento" in cleaned.paragraphs[0].text


def test_new_version_keeps_the_old(leak_world, client):
    author = leak_world.users["author"]
    document = _add(author, pdf("Version one"), tlp="clear", audience_kind="public")
    services.document_add_version(
        actor=author, document=document, file=docx("Version two"), note="updated"
    )
    assert [v.number for v in document.versions.all()] == [2, 1]
    assert client.get(f"/knowledge/documents/{document.pk}/v1/download/").status_code == 200
    second = client.get(f"/knowledge/documents/{document.pk}/v2/download/")
    assert second["Content-Disposition"] == 'attachment; filename="plan.docx"'
    with pytest.raises(NotAllowed):  # a reader who is not its originator
        services.document_add_version(
            actor=leak_world.users["poc_other"], document=document, file=pdf("Mine")
        )
    assert document.versions.count() == 2


def test_audience_must_agree_with_the_marking(leak_world):
    with pytest.raises(ApplicationError):
        _add(leak_world.users["author"], pdf("x"), tlp="red", audience_kind="community")
    assert not Document.objects.filter(title="Security plan").exists()


@pytest.mark.parametrize(
    "query", ['"NEAR( plan*', "AND OR NOT", '"', "plan') OR 1=1 --", "título:* ^ -x", "*"]
)
def test_search_with_operators_or_open_quotes_is_safe(client, leak_world, query):
    response = client.get("/knowledge/", {"q": query})
    assert response.status_code == 200
    api = client.get("/api/knowledge/search", {"q": query})
    assert api.status_code == 200
    assert client.get("/knowledge/autocomplete/", {"q": query}).status_code == 200


# -- lessons -------------------------------------------------------------------------------


def test_lesson_cycle_applied_and_where_reused(leak_world):
    u = leak_world.users
    lesson = services.lesson_submit(
        actor=u["author"],
        title="Perímetros",
        observation="o",
        recommendation="r",
        area="venues",
        language="es",
    )
    assert not Lesson.objects.visible_to(u["poc_other"]).filter(pk=lesson.pk).exists()
    with pytest.raises(ApplicationError, match="validated"):
        services.lesson_publish(actor=u["staff"], lesson=lesson)
    services.lesson_validate(actor=u["staff"], lesson=lesson)
    services.lesson_publish(actor=u["staff"], lesson=lesson)
    assert Lesson.objects.visible_to(u["poc_other"]).filter(pk=lesson.pk).exists()
    with pytest.raises(ApplicationError, match="Note is required"):
        services.lesson_apply(actor=u["poc_other"], lesson=lesson, note=" ")
    services.lesson_apply(
        actor=u["poc_other"],
        lesson=lesson,
        note="Used for our games",
        event=leak_world.events["public"],
    )
    with pytest.raises(ApplicationError):  # cannot apply what one cannot read
        services.lesson_apply(actor=u["donor"], lesson=lesson, note="x")
    assert [a.note for a in lesson.applications.all()] == ["Used for our games"]


def test_lesson_published_to_a_chosen_audience(leak_world):
    u = leak_world.users
    lesson = services.lesson_submit(
        actor=u["author"],
        title="T",
        observation="o",
        recommendation="r",
        area="cyber",
        language="en",
    )
    services.lesson_validate(actor=u["staff"], lesson=lesson)
    services.lesson_publish(actor=u["staff"], lesson=lesson, tlp="clear", audience_kind="public")
    assert Lesson.objects.visible_to(None).filter(pk=lesson.pk).exists()


def test_exercise_aar_released_explicitly_by_its_director(db):
    from cicte.exercises import services as exercise_services
    from tests.exercises.world import build_world

    world = build_world()
    director = world.users["director"]
    with pytest.raises(ApplicationError, match="final"):
        services.lesson_release_from_exercise(
            actor=director, report=world.report, title="Port", area="training", language="en"
        )
    exercise_services.exercise_control(actor=director, exercise=world.exercise, action="end")
    report = exercise_services.report_finalize(actor=director, report=world.report)
    with pytest.raises(NotAllowed):
        services.lesson_release_from_exercise(
            actor=world.users["evaluator"],
            report=report,
            title="Port",
            area="training",
            language="en",
        )
    lesson = services.lesson_release_from_exercise(
        actor=director, report=report, title="Port tabletop", area="training", language="en"
    )
    assert lesson.status == "submitted" and lesson.source_exercise_report == report
    assert lesson.tlp == "green"
    with pytest.raises(ApplicationError, match="already released"):
        services.lesson_release_from_exercise(
            actor=director, report=report, title="Again", area="training", language="en"
        )
    assert Lesson.objects.filter(source_exercise_report=report).count() == 1


# -- checklists and the host workspace -----------------------------------------------------


def test_a_checklist_per_event_type_in_english_and_spanish(db):
    for kind in EventKind.values:
        items = ChecklistItem.objects.filter(event_kind=kind)
        assert items.count() >= 12
        assert all(i.text_en and i.text_es and i.text_en != i.text_es for i in items)
    assert {i.area for i in ChecklistItem.objects.all()} >= {"coordination", "legal", "cyber"}


def test_host_team_copies_and_tracks_the_checklist(leak_world):
    u = leak_world.users
    event = leak_world.events["validated"]
    count = services.checklist_copy(actor=u["team"], event=event)
    assert count == ChecklistItem.objects.filter(event_kind="summit").count()
    with pytest.raises(ApplicationError, match="already"):
        services.checklist_copy(actor=u["team"], event=event)
    task = event.tasks.first()
    services.task_update(
        actor=u["team"],
        task=task,
        status="done",
        owner=u["team"],
        due_on=dt.date(2027, 1, 10),
        evidence="Signed minutes",
        evidence_document=leak_world.docs["workspace"],
    )
    progress = selectors.checklist_progress(event)
    assert (progress.done, progress.total) == (1, count)
    with pytest.raises(ApplicationError, match="member of the host team"):
        services.task_update(actor=u["team"], task=task, status="done", owner=u["poc_other"])


def test_host_team_member_cannot_edit_another_event(leak_world):
    u = leak_world.users
    other = leak_world.events["public"]
    services.checklist_copy(actor=planner_of(leak_world, other), event=other)
    task = other.tasks.first()
    with pytest.raises(NotAllowed, match="host team of this event"):
        services.task_update(actor=u["team"], task=task, status="done")
    with pytest.raises(NotAllowed):
        services.contact_add(actor=u["team"], event=other, name="Intruder")
    with pytest.raises(NotAllowed):
        services.checklist_copy(actor=u["team"], event=leak_world.events["waiting"])
    with pytest.raises(NotAllowed):
        services.team_add(actor=u["team"], event=other, user=u["team"])
    task.refresh_from_db()
    assert task.status == "todo"
    assert not HostContact.objects.filter(name="Intruder").exists()
    assert not ChecklistTask.objects.filter(event=leak_world.events["waiting"]).exists()


def planner_of(world, event):
    from tests.accounts.factories import user_with_role

    planner = user_with_role(None, username=f"planner-{event.pk}")
    services.team_add(actor=SYSTEM, event=event, user=planner, role="lead")
    return planner


def test_sanitised_aar_only_after_the_event(leak_world):
    u = leak_world.users
    event = leak_world.events["validated"]
    with pytest.raises(ApplicationError, match="once the event is over"):
        services.aar_publish(
            actor=u["team"], event=event, file=pdf("AAR"), title="AAR", language="es"
        )
    MajorEvent.objects.filter(pk=event.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() - dt.timedelta(days=8),
    )
    event.refresh_from_db()
    document = services.aar_publish(
        actor=u["team"], event=event, file=pdf("Informe final"), title="AAR", language="es"
    )
    assert document.kind == "aar" and document.anonymous and not document.host_team_only
    assert document.tlp == "green"
    assert Document.objects.visible_to(u["poc_other"]).filter(pk=document.pk).exists()
