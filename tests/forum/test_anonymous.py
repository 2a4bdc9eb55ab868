"""Anonymous submission through the host: a member submits, the host (the Secretariat)
reviews and publishes under its own name, and nobody can learn the submitter — not from the
pages, the API, TAXII, the STIX/MISP exports, the audit views, the attachments' metadata or
the mail (headers included)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase

from cicte.core.errors import ApplicationError, NotAllowed
from cicte.core.types import SYSTEM
from cicte.forum import services as forum
from cicte.forum.models import (
    Attachment,
    NotificationPreference,
    Submission,
    SubmissionFile,
    Thread,
)
from cicte.forum.scrub import scrub
from cicte.sharing import services as sharing
from tests.accounts.factories import user_with_role

pytestmark = pytest.mark.django_db

WHO = "zqxsubmitter"  # in the submitter's user name, names, e-mail, organisation and files


# --- files that carry the submitter's name in their metadata ---------------------------------


def pdf_with_author() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.add_metadata({"/Author": "Zqxsubmitter Person", "/Creator": "Zqxsubmitter Office"})
    xmp = DecodedStreamObject()
    xmp.set_data(b"<x:xmpmeta><dc:creator>Zqxsubmitter</dc:creator></x:xmpmeta>")
    xmp.update({NameObject("/Type"): NameObject("/Metadata")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with_author() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Indicators of the campaign")
    document.core_properties.author = "Zqxsubmitter Person"
    document.core_properties.last_modified_by = "zqxsubmitter"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_with_author() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored, first
        archive.writestr(
            "meta.xml",
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">'
            "<office:meta><meta:initial-creator>Zqxsubmitter</meta:initial-creator>"
            "</office:meta></office:document-meta>",
        )
        archive.writestr(
            "content.xml",
            "<office:document-content><office:text><office:annotation><dc:creator>"
            "Zqxsubmitter</dc:creator></office:annotation><text:p>Text</text:p></office:text>"
            "</office:document-content>",
        )
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_with_author() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"tEXt", b"Author\x00Zqxsubmitter")
        + _chunk(b"eXIf", b"MM\x00*Zqxsubmitter")
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def jpeg_with_author() -> bytes:
    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data

    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xE1, b"Exif\x00\x00Artist=Zqxsubmitter GPS=9.0N")
        + segment(0xFE, b"made by Zqxsubmitter")
        + segment(0xDB, b"\x00" + bytes(64))
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x12\x34\x56"
        + b"\xff\xd9"
    )


FILES = {
    "pdf": pdf_with_author,
    "docx": docx_with_author,
    "odt": odt_with_author,
    "png": png_with_author,
    "jpg": jpeg_with_author,
}


def readable_text(content: bytes, extension: str) -> str:
    """Every piece of text a reader of the file could get at (zip members unpacked, PDF
    metadata and XMP read)."""
    if extension in {"docx", "odt", "xlsx"}:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if extension == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        xmp = reader.trailer["/Root"].get("/Metadata")
        parts = [str(reader.metadata or {}), content.decode("latin-1")]
        if xmp is not None:
            parts.append(xmp.get_object().get_data().decode("utf-8", "replace"))
        return " ".join(parts)
    return content.decode("latin-1")


@pytest.mark.parametrize("extension", sorted(FILES))
def test_metadata_is_stripped_and_the_file_still_opens(extension):
    original = FILES[extension]()
    assert WHO in readable_text(original, extension).lower()
    cleaned = scrub(original, extension)
    assert WHO not in readable_text(cleaned, extension).lower()
    if extension == "pdf":
        from pypdf import PdfReader

        assert len(PdfReader(io.BytesIO(cleaned)).pages) == 1
    elif extension == "docx":
        import docx

        text = [p.text for p in docx.Document(io.BytesIO(cleaned)).paragraphs]
        assert "Indicators of the campaign" in text
    elif extension == "png":
        assert b"IHDR" in cleaned and b"IDAT" in cleaned and cleaned.endswith(_chunk(b"IEND", b""))
    elif extension == "jpg":
        assert cleaned.startswith(b"\xff\xd8\xff\xe0") and cleaned.endswith(b"\x12\x34\x56\xff\xd9")
    elif extension == "odt":
        with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
            assert archive.namelist()[0] == "mimetype"
            assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED


def test_a_damaged_file_is_refused_not_kept(forum_world):
    submitter = forum_world.users["stakeholder"]
    with pytest.raises(ApplicationError) as error:
        forum.submission_create(
            actor=submitter,
            community=forum_world.stakeholders,
            title="x",
            body="y",
            files=[SimpleUploadedFile("a.pdf", b"%PDF-1.7 not really a pdf")],
        )
    assert error.value.field == "attachment"
    assert not Submission.objects.exists()


def _everything_a_reader_gets(world, reader: str, thread: Thread) -> str:
    """Pages, API, exports, TAXII and attachments of the published item, as ``reader``
    (the community's page is left out for the Secretariat, which sees who the members are —
    not who submitted what)."""
    from tests.forum.test_taxii import taxii_objects

    client = world.client(reader)
    api = world.token_client(reader)
    urls = [
        "/forum/",
        *(["/forum/communities/finance/"] if reader != "administrator" else []),
        f"/forum/threads/{thread.pk}/",
        f"/forum/threads/{thread.pk}/export/stix/",
        f"/forum/threads/{thread.pk}/export/misp/",
        "/forum/search/?q=skimming",
        "/forum/submissions/",
    ]
    parts = [client.get(url).content.decode() for url in urls]
    parts.append(api.get(f"/api/forum/threads/{thread.pk}").content.decode())
    parts.append(api.get(f"/api/forum/threads/{thread.pk}/posts").content.decode())
    parts.append(api.get("/api/forum/threads?q=skimming").content.decode())
    parts.append(json.dumps(taxii_objects(world, reader)))
    for attachment in Attachment.objects.filter(post__thread=thread):
        response = client.get(attachment.get_absolute_url())
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        extension = attachment.original_name.rsplit(".", 1)[-1]
        parts.append(readable_text(content, extension))
        parts.append(response["Content-Disposition"])
    return " ".join(parts)


def test_anonymous_submission_through_the_host(forum_world):
    world = forum_world
    bank = sharing.organisation_create(actor=SYSTEM, name="Fourth Bank", kind="private")
    submitter = user_with_role(
        None,
        username="zqxsubmitter",
        email="zqxsubmitter@bank.test",
        first_name="Zqxsubmitter",
        last_name="Person",
    )
    sharing.membership_grant(
        actor=SYSTEM, community=world.stakeholders, user=submitter, organisation=bank
    )
    NotificationPreference.objects.filter(user=world.users["author"]).update(frequency="immediate")
    NotificationPreference.objects.create(user=submitter, frequency="immediate")

    # 1. The member submits through the web, with a file carrying their name.
    web = Client()
    web.force_login(submitter)
    form = web.get("/forum/communities/finance/submit/")
    assert form.status_code == 200 and "CICTE Secretariat" in form.content.decode()
    response = web.post(
        "/forum/communities/finance/submit/",
        {
            "title": "Card skimming at ATMs",
            "body": "Skimmers found in three branches.",
            "kind": "advisory",
            "category": "compromise",
            "language": "en",
            "summary": "ATM skimming",
            "recommendations": "Inspect the card readers.",
            "affected_sectors": ["finance"],
            "affected_countries": "PAN",
            "attachment": SimpleUploadedFile("zqxsubmitter-report.pdf", pdf_with_author()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = Submission.objects.get()
    # The other kinds of file, as the service stores them (checked, scrubbed, renamed).
    for extension, make in FILES.items():
        if extension != "pdf":
            item = forum._check_file(SimpleUploadedFile(f"zqxsubmitter.{extension}", make()))
            content = scrub(item[2], item[0])
            stored = SubmissionFile(
                submission=submission,
                name=f"attachment-{extension}.{extension}",
                content_type=item[1],
                size=len(content),
            )
            stored.file.save(f"x.{extension}", ContentFile(content), save=True)
    assert submission.files.count() == len(FILES)
    assert all(WHO not in f.name for f in submission.files.all())

    # Nobody but the host reviews it; not even the host's page names the submitter.
    with pytest.raises(NotAllowed):
        forum.submission_publish(
            actor=world.users["author"],
            submission=submission,
            tlp="green",
            audience_kind="community",
        )
    host = world.client("administrator")
    queue = host.get("/forum/submissions/").content.decode()
    assert "Card skimming at ATMs" in queue
    assert WHO not in queue.lower()

    # 2. The host publishes under its own name (GREEN, the community).
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = host.post(
            f"/forum/submissions/{submission.pk}/publish/",
            {f"s{submission.pk}-tlp": "green", f"s{submission.pk}-audience_kind": "community"},
        )
    assert response.status_code == 302
    thread = Thread.objects.get(title="Card skimming at ATMs")
    assert thread.published_by_host
    assert thread.originator_organisation == world.teams["Host"]
    assert thread.originator == world.users["administrator"]
    assert sorted(a.original_name for a in Attachment.objects.filter(post__thread=thread)) == [
        "attachment-1.pdf",
        "attachment-docx.docx",
        "attachment-jpg.jpg",
        "attachment-odt.odt",
        "attachment-png.png",
    ]
    submission.refresh_from_db()
    assert submission.status == "published" and submission.submitter is None
    assert submission.thread == thread

    # 3. Nothing names the submitter: pages, API, exports, TAXII, files (author = a member)…
    seen = _everything_a_reader_gets(world, "author", thread).lower()
    assert "card skimming at atms" in seen and "cicte secretariat" in seen
    assert WHO not in seen
    # … the host's own views of it…
    assert WHO not in _everything_a_reader_gets(world, "administrator", thread).lower()
    # … the audit trail: no history row of any model names the submitter as its actor…
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if history is not None and hasattr(getattr(history, "model", None), "history_user"):
            assert not history.filter(history_user=submitter).exists(), model
    for url in (
        f"/accounts/history/forum/submission/{submission.pk}/",
        f"/accounts/history/forum/thread/{thread.pk}/",
        "/accounts/activity/",
    ):
        assert WHO not in host.get(url).content.decode().lower(), url
    # … and the mail: the immediate notices, every header and body.
    to_others = [m for m in mail.outbox if m.to != [submitter.email]]
    assert to_others, "members who asked for immediate mail are told"
    for message in to_others:
        assert WHO not in message.message().as_string().lower()
        assert not message.reply_to and not message.cc and not message.bcc

    # 4. The submitter alone finds it again (by the keyed digest), as published.
    own = web.get("/forum/submissions/").content.decode()
    assert "Card skimming at ATMs" in own and "Published by the host" in own
    assert (
        "Card skimming at ATMs"
        not in world.client("named").get("/forum/submissions/").content.decode()
    )


def test_the_host_declines_and_the_link_is_cut(forum_world):
    submitter = forum_world.users["stakeholder"]
    submission = forum.submission_create(
        actor=submitter, community=forum_world.stakeholders, title="Spam", body="x"
    )
    with pytest.raises(ApplicationError):
        forum.submission_decline(
            actor=forum_world.users["named"], submission=submission, reason="no"
        )
    forum.submission_decline(
        actor=forum_world.users["administrator"], submission=submission, reason="Not enough"
    )
    submission.refresh_from_db()
    assert submission.status == "declined" and submission.submitter is None
    assert not Thread.objects.filter(title="Spam").exists()
    with pytest.raises(ApplicationError):  # decided once
        forum.submission_decline(
            actor=forum_world.users["administrator"], submission=submission, reason="again"
        )


def test_only_members_submit_and_only_where_there_is_a_host(forum_world):
    with pytest.raises(NotAllowed):
        forum.submission_create(
            actor=forum_world.users["named"],
            community=forum_world.stakeholders,
            title="t",
            body="b",
        )
    with pytest.raises(ApplicationError) as error:
        forum.submission_create(
            actor=forum_world.users["named"], community=forum_world.community, title="t", body="b"
        )
    assert error.value.field == "community"
    client = forum_world.client("named")
    assert client.get("/forum/communities/finance/submit/").status_code == 404
    assert Submission.objects.count() == 0
