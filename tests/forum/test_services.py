"""The forum and sharing services: bad input is refused with a clear error and nothing is
written; every decision is the service's (membership, moderation, release, removal)."""

from __future__ import annotations

import json

import pytest
import stix2
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from cicte.core.errors import ApplicationError, NotAllowed, NotFound
from cicte.core.types import SYSTEM
from cicte.forum import services as forum
from cicte.forum.models import Post, Thread
from cicte.forum.selectors import threads_for
from cicte.sharing import services as sharing
from cicte.sharing.models import Removal, ReshareRequest
from cicte.sharing.stix import TLP2_IDS, marking_definition, marking_objects
from tests.accounts.factories import user_with_role
from tests.forum.world import ITEMS, word

pytestmark = pytest.mark.django_db


def _thread(world, **overrides):
    fields = {
        "actor": world.users["author"],
        "community": world.community,
        "title": "A thread",
        "body": "Text",
        "tlp": "amber",
        "audience_kind": "organisations",
        "organisations": [world.teams["B"]],
    }
    fields.update(overrides)
    return forum.thread_create(**fields)


@pytest.mark.parametrize(
    ("tlp", "kind", "organisations", "people", "code"),
    [
        ("red", "community", False, False, "audience_not_allowed"),
        ("red", "organisations", True, False, "audience_not_allowed"),
        ("amber", "organisations", False, False, "organisations_required"),
        ("amber", "community", False, False, "audience_not_allowed"),
        ("green", "public", False, False, "audience_not_allowed"),
        ("red", "people", False, False, "people_required"),
        ("clear", "people", False, True, "audience_not_allowed"),
    ],
)
def test_marking_and_audience_must_agree(forum_world, tlp, kind, organisations, people, code):
    before = Thread.objects.count()
    with pytest.raises(ApplicationError) as error:
        _thread(
            forum_world,
            tlp=tlp,
            audience_kind=kind,
            organisations=[forum_world.teams["B"]] if organisations else [],
            people=[forum_world.users["named"]] if people else [],
        )
    assert error.value.code == code
    assert Thread.objects.count() == before


def test_the_database_refuses_a_red_item_for_a_community(forum_world):
    thread = forum_world.threads[("red", "people")]
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(audience_kind="community")


def test_named_organisations_must_be_in_the_community(forum_world):
    with pytest.raises(ApplicationError) as error:
        _thread(forum_world, organisations=[forum_world.teams["Bank"]])
    assert error.value.code == "audience_outside_community"


def test_only_members_post(forum_world):
    with pytest.raises(NotAllowed):
        _thread(forum_world, actor=forum_world.users["stakeholder"])
    with pytest.raises(NotAllowed):
        _thread(forum_world, actor=forum_world.users["administrator"])


def test_a_reply_may_narrow_but_never_widen(forum_world):
    thread = forum_world.threads[("amber", "organisations")]
    posts = Post.objects.count()
    for tlp, kind, orgs in [
        ("green", "community", []),
        ("clear", "public", []),
        ("amber", "organisations", [forum_world.teams["C"]]),
    ]:
        with pytest.raises(ApplicationError) as error:
            forum.post_create(
                actor=forum_world.users["named"],
                thread=thread,
                body="wider",
                tlp=tlp,
                audience_kind=kind,
                organisations=orgs,
            )
        assert error.value.code in {"widens_audience", "audience_outside_community"}
    assert Post.objects.count() == posts
    narrower = forum.post_create(
        actor=forum_world.users["named"],
        thread=thread,
        body="only for the author",
        tlp="red",
        audience_kind="people",
        people=[forum_world.users["author"]],
    )
    assert narrower.tlp == "red"
    assert not Post.objects.visible_to(forum_world.users["colleague"]).filter(pk=narrower.pk)
    inherited = forum.post_create(actor=forum_world.users["named"], thread=thread, body="same")
    assert set(inherited.audience_organisations.all()) == {
        forum_world.teams["B"],
        forum_world.teams["A"],  # the thread's originator's organisation
    }
    for reader in ("author", "colleague", "named"):
        assert Post.objects.visible_to(forum_world.users[reader]).filter(pk=inherited.pk)
    assert not Post.objects.visible_to(forum_world.users["other_member"]).filter(pk=inherited.pk)
    red = forum_world.threads[("red", "people")]
    answer = forum.post_create(actor=forum_world.users["named"], thread=red, body="red reply")
    assert set(answer.audience_people.all()) == {
        forum_world.users["named"],
        forum_world.users["author"],
    }


def test_a_reader_who_cannot_see_the_thread_cannot_reply(forum_world):
    thread = forum_world.threads[("amber", "organisations")]
    with pytest.raises(NotFound):
        forum.post_create(actor=forum_world.users["other_member"], thread=thread, body="x")


def test_attachments_are_checked_before_anything_is_written(forum_world, settings):
    settings.CICTE_FORUM_MAX_UPLOAD_BYTES = 100
    before = Thread.objects.count()
    for upload, code in [
        (SimpleUploadedFile("big.md", b"x" * 101), "file_too_large"),
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00binary"), "file_type"),
        (SimpleUploadedFile("page.html", b"<script>alert(1)</script>"), "file_type"),
        (SimpleUploadedFile("fake.md", b"\x00\x01\x02"), "file_type"),
    ]:
        with pytest.raises(ApplicationError) as error:
            _thread(forum_world, files=[upload])
        assert error.value.code == code
    assert Thread.objects.count() == before


def test_markdown_is_sanitised(forum_world):
    thread = _thread(
        forum_world,
        body=(
            "<script>alert(1)</script> <iframe src=x></iframe> <img src=x onerror=alert(1)> "
            "[click](javascript:alert(1)) **bold**"
        ),
    )
    html = thread.posts.get().body_html
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" in html


def test_search_ignores_accents_and_query_syntax(forum_world):
    from cicte.forum.selectors import search

    _thread(forum_world, title="Incidente en Panamá", body="Ataque à rede elétrica, très grave")
    author = forum_world.users["author"]
    for query in ["panama", "PANAMÁ", "eletrica", "tres", "rede"]:
        assert search(author, query).count() == 1, query
    # SQL and FTS syntax are only words: the same answer as the plain words.
    for query, words in [
        ("' OR 1=1 --", "or 1"),
        ('"panama" NEAR(rede) *', "panama near rede"),
        ("%", ""),
        ("_", ""),
        ("panama' UNION SELECT password", "panama union select password"),
    ]:
        assert list(search(author, query)) == list(search(author, words)), query
    assert search(author, "%").count() == 0
    assert search(author, "panama' UNION SELECT password").count() == 0
    assert search(forum_world.users["other_member"], "panama").count() == 0


def test_membership_with_sponsors_then_approval(forum_world):
    applicant = user_with_role(None, username="applicant", email="new@e.test")
    team = sharing.organisation_create(actor=SYSTEM, name="Team E", kind="national_csirt")
    with pytest.raises(ApplicationError) as error:
        sharing.membership_request(
            actor=applicant,
            community=forum_world.community,
            organisation=team,
            sponsors=[forum_world.users["named"], forum_world.users["stakeholder"]],
        )
    assert error.value.code == "sponsors"
    request = sharing.membership_request(
        actor=applicant,
        community=forum_world.community,
        organisation=team,
        sponsors=[forum_world.users["named"], forum_world.users["other_member"]],
    )
    with pytest.raises(ApplicationError):
        sharing.membership_approve(actor=forum_world.users["administrator"], membership=request)
    with pytest.raises(NotAllowed):
        sharing.membership_endorse(actor=forum_world.users["author"], membership=request)
    sharing.membership_endorse(actor=forum_world.users["named"], membership=request)
    sharing.membership_endorse(actor=forum_world.users["other_member"], membership=request)
    with pytest.raises(NotAllowed):
        sharing.membership_approve(actor=forum_world.users["named"], membership=request)
    sharing.membership_approve(actor=forum_world.users["administrator"], membership=request)
    request.refresh_from_db()
    assert request.status == "active"
    reasons = [h.history_change_reason for h in request.history.order_by("history_id")]
    assert reasons[0] == "requested" and reasons[-1] == "approved"
    assert threads_for(applicant).filter(audience_kind="community").count() == 2


def test_moderation_tells_the_originator(forum_world):
    thread = forum_world.threads[("green", "community")]
    with pytest.raises(NotAllowed):
        forum.thread_moderate(
            actor=forum_world.users["named"], thread=thread, locked=True, hidden=False, reason="x"
        )
    mail.outbox.clear()
    with forum_world_commit():
        forum.thread_moderate(
            actor=forum_world.users["administrator"],
            thread=thread,
            locked=True,
            hidden=True,
            reason="off topic",
        )
    assert not threads_for(forum_world.users["named"]).filter(pk=thread.pk).exists()
    assert threads_for(forum_world.users["author"]).filter(pk=thread.pk).exists()
    assert [m.to for m in mail.outbox] == [["author@a.test"]]
    assert mail.outbox[0].subject.startswith("[TLP:GREEN]")
    with pytest.raises(NotFound):
        forum.post_create(actor=forum_world.users["named"], thread=thread, body="x")


def test_break_glass_removal_is_for_administrators_audited_and_notified(forum_world):
    thread = forum_world.threads[("red", "people")]
    with pytest.raises(NotAllowed):
        sharing.break_glass_remove(actor=forum_world.users["author"], item=thread, reason="x")
    mail.outbox.clear()
    with forum_world_commit():
        sharing.break_glass_remove(
            actor=forum_world.users["administrator"], item=thread, reason="court order"
        )
    assert not Thread.objects.filter(pk=thread.pk).exists()
    removal = Removal.objects.get()
    assert removal.reason == "court order" and removal.tlp == "red"
    assert mail.outbox[0].to == ["author@a.test"]
    assert mail.outbox[0].subject.startswith("[TLP:RED]")
    assert word("red", "people") not in mail.outbox[0].body


def test_administrators_see_existence_not_content(forum_world):
    client = forum_world.client("administrator")
    page = client.get("/workspace/forum/").content.decode()
    for tlp, kind in ITEMS:
        thread = forum_world.threads[(tlp, kind)]
        assert f"thread-{thread.pk}" in page
        if (tlp, kind) != ("clear", "public"):
            assert word(tlp, kind) not in page
    assert forum_world.client("named").get("/workspace/forum/").status_code == 403


def test_widening_is_a_request_to_the_originator(forum_world):
    thread = forum_world.threads[("amber", "organisations")]
    with pytest.raises(NotAllowed):
        sharing.reshare_request(
            actor=forum_world.users["other_member"], item=thread, wanted_tlp="green"
        )
    request = sharing.reshare_request(
        actor=forum_world.users["named"], item=thread, wanted_tlp="green", message="please"
    )
    assert request.originator == forum_world.users["author"]
    thread.refresh_from_db()
    assert thread.tlp == "amber"  # nothing changed
    assert ReshareRequest.objects.count() == 1


def test_release_into_a_stakeholder_community(forum_world):
    """The originator releases a CSIRT item to the stakeholders: a new item with its own
    audience; the CSIRT-only original stays invisible to them."""
    original = forum_world.threads[("amber", "organisations")]
    sharing.membership_grant(
        actor=SYSTEM,
        community=forum_world.stakeholders,
        user=forum_world.users["author"],
        organisation=forum_world.teams["A"],
    )
    with pytest.raises(NotAllowed):
        forum.thread_release(
            actor=forum_world.users["named"],
            thread=original,
            community=forum_world.stakeholders,
            tlp="green",
            audience_kind="community",
        )
    released = forum.thread_release(
        actor=forum_world.users["author"],
        thread=original,
        community=forum_world.stakeholders,
        tlp="green",
        audience_kind="community",
    )
    stakeholder = forum_world.users["stakeholder"]
    assert list(threads_for(stakeholder).filter(title=original.title)) == [released]
    page = forum_world.client("stakeholder").get(released.get_absolute_url()).content.decode()
    assert f"/forum/threads/{original.pk}/" not in page  # provenance only for those allowed


def test_tlp2_marking_definitions_round_trip():
    for tlp, marking_id in TLP2_IDS.items():
        source = marking_objects()[tlp]
        parsed = marking_definition(tlp)
        assert parsed.id == marking_id
        assert json.loads(parsed.serialize()) == source
        assert (
            source["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"][
                "tlp_2_0"
            ]
            == tlp
        )
        assert source["name"] == f"TLP:{tlp.upper()}"


def test_stix_export_parses_and_carries_the_marking(forum_world):
    from cicte.forum.exports import misp_event, stix_bundle

    thread = forum_world.threads[("amber", "organisations")]
    bundle = stix2.parse(stix_bundle(forum_world.users["named"], thread), allow_custom=True)
    report = next(o for o in bundle.objects if o.type == "report")
    assert report.object_marking_refs == [TLP2_IDS["amber"]]
    assert any(o.id == TLP2_IDS["amber"] for o in bundle.objects)
    event = json.loads(misp_event(forum_world.users["named"], thread))
    assert event["distribution"] == "4"
    assert {"name": "tlp:amber"} in event["Tag"]
    red = forum_world.threads[("red", "people")]
    red_event = misp_event(forum_world.users["author"], red)
    assert "named" not in json.loads(red_event)["info"]  # addressees are never exported


class forum_world_commit:
    """Run ``on_commit`` callbacks at the end of the block (the test runs in a transaction)."""

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def test_posting_to_an_invisible_thread_reveals_nothing(forum_world):
    """A reader who may not see a thread gets the answer of a thread that does not exist."""
    thread = forum_world.threads[("amber", "organisations")]
    client = forum_world.client("other_member")
    client.raise_request_exception = False
    for action in ("reply", "moderate", "reshare", "release"):
        hidden = client.post(f"/forum/threads/{thread.pk}/{action}/", {"body": "x"})
        missing = client.post(f"/forum/threads/999999/{action}/", {"body": "x"})
        assert hidden.status_code == missing.status_code == 404, action
    assert thread.posts.count() == 1
