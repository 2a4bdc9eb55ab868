"""Re-share requests decided by the originator, the vetted directory (PGP keys read from the
pasted key, contact data for vetted members, FIRST's sponsor rule), questions, advisories
through the web and the API, immediate and sector mail, the digests' schedule entries and
the break-glass removal of messages and attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.test import TestCase

from cicte import search as search_index
from cicte.core.errors import ApplicationError, NotAllowed
from cicte.forum import services as forum
from cicte.forum.models import Attachment, NotificationPreference, Post, Thread
from cicte.forum.notifications import immediate_mails
from cicte.forum.selectors import search
from cicte.sharing import services as sharing
from cicte.sharing.models import Removal, ReshareRequest, SharingOrganisation
from cicte.sharing.pgp import parse
from tests.accounts.factories import user_with_role

pytestmark = pytest.mark.django_db

KEYS = Path(__file__).parent / "keys"


def key(name: str) -> str:
    return (KEYS / f"{name}.asc").read_text(encoding="ascii")


def fingerprint(name: str) -> str:
    return (KEYS / f"{name}.fpr").read_text(encoding="ascii").strip()


# --- re-share: a request to the originator ---------------------------------------------------


def test_the_originator_accepts_a_request_and_the_audience_widens(forum_world):
    world = forum_world
    thread = world.threads[("amber", "organisations")]
    other = world.client("other_member")
    assert other.get(thread.get_absolute_url()).status_code == 404
    assert not search(world.users["other_member"], "zqxamberorganisationsword").exists()
    named = world.client("named")
    named.post(f"/forum/threads/{thread.pk}/reshare/", {"wanted_tlp": "green", "message": "pls"})
    request = ReshareRequest.objects.get()
    # Nobody but the originator decides.
    with pytest.raises(NotAllowed):
        sharing.reshare_accept(actor=world.users["named"], request=request)
    assert named.post(f"/forum/reshare/{request.pk}/accept/").status_code == 404
    author = world.client("author")
    page = author.get("/forum/reshare/").content.decode()
    assert thread.title in page and "Accept and widen" in page
    # A pair that breaks the label rules is refused, nothing changes.
    author.post(
        f"/forum/reshare/{request.pk}/accept/",
        {f"r{request.pk}-tlp": "green", f"r{request.pk}-audience_kind": "public"},
    )
    thread.refresh_from_db()
    assert thread.tlp == "amber"
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = author.post(
            f"/forum/reshare/{request.pk}/accept/",
            {
                f"r{request.pk}-tlp": "green",
                f"r{request.pk}-audience_kind": "community",
                f"r{request.pk}-note": "ok",
            },
        )
    assert response.status_code == 302
    thread.refresh_from_db()
    request.refresh_from_db()
    assert (thread.tlp, thread.audience_kind, request.status) == ("green", "community", "accepted")
    assert thread.posts.get().tlp == "green"  # the originator's own opening message too
    assert other.get(thread.get_absolute_url()).status_code == 200
    # The index follows: the reader who may now see it finds it (visible ∩ matches).
    assert list(search(world.users["other_member"], "zqxamberorganisationsword")) == [thread]
    assert [m.to for m in mail.outbox] == [["named@b.test"]]
    assert mail.outbox[0].subject.startswith("[TLP:GREEN]")
    reasons = [h.history_change_reason for h in thread.history.order_by("history_id")]
    assert f"widened on request {request.pk}" in reasons
    with pytest.raises(ApplicationError):  # decided once
        sharing.reshare_decline(actor=world.users["author"], request=request)


def test_the_originator_declines_and_the_requester_is_told(forum_world):
    world = forum_world
    thread = world.threads[("red", "people")]
    request = sharing.reshare_request(
        actor=world.users["named"], item=thread, wanted_tlp="amber", message="for my team"
    )
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = world.client("author").post(
            f"/forum/reshare/{request.pk}/decline/", {f"r{request.pk}-note": "Too early."}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    thread.refresh_from_db()
    assert request.status == "declined" and thread.tlp == "red"
    assert mail.outbox[0].to == ["named@b.test"]
    assert mail.outbox[0].subject.startswith("[TLP:RED]")
    assert "Too early." in mail.outbox[0].body
    assert "declined" in world.client("named").get("/forum/reshare/").content.decode().lower()


def test_widening_must_keep_every_reader(forum_world):
    world = forum_world
    thread = world.threads[("amber", "organisations")]
    request = sharing.reshare_request(actor=world.users["named"], item=thread, wanted_tlp="amber")
    with pytest.raises(ApplicationError):  # team B would lose it
        forum.reshare_accept(
            actor=world.users["author"],
            request=request,
            tlp="amber",
            audience_kind="organisations",
            organisations=[world.teams["C"]],
        )
    thread = forum.reshare_accept(
        actor=world.users["author"],
        request=request,
        tlp="amber",
        audience_kind="organisations",
        organisations=[world.teams["B"], world.teams["C"]],
    )
    assert set(thread.audience_organisations.all()) == {world.teams["B"], world.teams["C"]}
    assert Thread.objects.visible_to(world.users["other_member"]).filter(pk=thread.pk).exists()


# --- the vetted directory ----------------------------------------------------------------------


def test_pgp_keys_are_read_from_the_pasted_key():
    valid = parse(key("valid"))
    assert valid.fingerprint == fingerprint("valid")
    assert valid.user_id == "Team A CSIRT <csirt@a.test>"
    assert valid.expires == dt.date(2099, 1, 1) and valid.can_encrypt()
    expired = parse(key("expired"))
    assert expired.fingerprint == fingerprint("expired")
    assert expired.expires == dt.date(2021, 1, 1) and not expired.can_encrypt()
    signing = parse(key("signonly"))
    assert signing.fingerprint == fingerprint("signonly")
    assert signing.expires is None and not signing.can_encrypt()


def test_directory_keys_warnings_and_bad_keys(forum_world):
    world = forum_world
    team_a, team_b, team_c = (world.teams[t] for t in "ABC")
    author = world.client("author")  # a vetted person of team A edits team A's entry
    response = author.post(
        f"/forum/directory/{team_a.pk}/edit/",
        {"email": "csirt@a.test", "phone": "+507 1", "website": "", "pgp_key": key("valid")},
    )
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert team_a.pgp_fingerprint == fingerprint("valid") and team_a.key_warning() == ""
    assert team_a.pgp_uid == "Team A CSIRT <csirt@a.test>"
    # Not another organisation's entry.
    assert author.get(f"/forum/directory/{team_b.pk}/edit/").status_code == 404
    sharing.organisation_update(
        actor=world.users["administrator"], organisation=team_b, pgp_key=key("expired")
    )
    sharing.organisation_update(
        actor=world.users["administrator"], organisation=team_c, pgp_key=key("signonly")
    )
    page = world.client("named").get("/forum/directory/").content.decode()
    assert fingerprint("valid") in page and "csirt@a.test" in page
    assert "The PGP key has expired." in page
    assert "The PGP key cannot encrypt." in page
    # A key that is not one: a clear error on the field, nothing written.
    before = SharingOrganisation.objects.get(pk=team_a.pk).pgp_fingerprint
    for text in ("not a key", key("valid").replace("m", "n", 3)):
        with pytest.raises(ApplicationError) as error:
            sharing.organisation_update(
                actor=world.users["author"], organisation=team_a, pgp_key=text
            )
        assert error.value.field == "pgp_key"
    assert SharingOrganisation.objects.get(pk=team_a.pk).pgp_fingerprint == before
    page = author.post(f"/forum/directory/{team_a.pk}/edit/", {"pgp_key": "junk"})
    assert page.status_code == 200 and "armoured public key" in page.content.decode()


@pytest.mark.parametrize(
    ("reader", "sees_contact"),
    [
        ("named", True),
        ("stakeholder", True),
        ("point_of_contact", False),
        ("program_manager", False),
        ("anonymous", False),
    ],
)
def test_contact_data_for_vetted_members_only(forum_world, reader, sees_contact):
    team = forum_world.teams["A"]
    SharingOrganisation.objects.filter(pk=team.pk).update(
        email="zqxcontact@a.test", phone="+507 9999", listed_publicly=True
    )
    page = forum_world.client(reader).get("/forum/directory/").content.decode()
    api = forum_world.token_client(reader).get("/api/forum/organisations").content.decode()
    assert ("zqxcontact@a.test" in page) == sees_contact
    assert ("zqxcontact@a.test" in api) == sees_contact
    assert ("+507 9999" in page + api) == sees_contact
    assert "Team A" in page  # listed publicly: the name only


def test_sponsors_two_members_one_from_outside(forum_world):
    world = forum_world
    applicant = user_with_role(None, username="applicant2")
    with pytest.raises(ApplicationError) as error:
        sharing.membership_request(
            actor=applicant,
            community=world.community,
            organisation=world.teams["A"],
            sponsors=[world.users["author"], world.users["colleague"]],  # both team A
        )
    assert error.value.code == "sponsor_outside_organisation"
    assert error.value.field == "sponsors"
    request = sharing.membership_request(
        actor=applicant,
        community=world.community,
        organisation=world.teams["A"],
        sponsors=[world.users["author"], world.users["named"]],
    )
    assert request.status == "requested"
    page = world.client("author").get("/forum/requests/").content.decode()
    assert "applicant2" in page


# --- questions -----------------------------------------------------------------------------------


def test_a_question_to_chosen_organisations_answered_then_closed(forum_world):
    world = forum_world
    question = forum.thread_create(
        actor=world.users["author"],
        community=world.community,
        title="Who saw this loader?",
        body="Hash 1234",
        tlp="amber",
        audience_kind="organisations",
        organisations=[world.teams["B"]],
        kind="question",
    )
    answer = forum.post_create(actor=world.users["named"], thread=question, body="We did")
    assert set(answer.audience_organisations.all()) == {world.teams["A"], world.teams["B"]}
    private = forum.post_create(
        actor=world.users["named"],
        thread=question,
        body="Our sample",
        tlp="red",
        audience_kind="people",
        people=[world.users["author"]],
    )
    assert not Post.objects.visible_to(world.users["colleague"]).filter(pk=private.pk).exists()
    with pytest.raises(ApplicationError):  # an answer never widens the question's audience
        forum.post_create(
            actor=world.users["named"],
            thread=question,
            body="to all",
            tlp="green",
            audience_kind="community",
        )
    with pytest.raises(NotAllowed):
        forum.question_close(actor=world.users["named"], thread=question)
    response = world.client("author").post(f"/forum/threads/{question.pk}/close/")
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.closed
    with pytest.raises(NotAllowed):
        forum.post_create(actor=world.users["named"], thread=question, body="late")
    page = world.client("named").get(question.get_absolute_url()).content.decode()
    assert "This question is closed." in page and "Reply (Markdown)" not in page


# --- advisories, through the web and the API ------------------------------------------------------


def test_an_advisory_through_the_web(forum_world):
    client = forum_world.client("author")
    response = client.post(
        "/forum/communities/csirts/new/",
        {
            "title": "Advisory: VPN appliance flaw",
            "body": "Patch now.",
            "tlp": "green",
            "pap": "amber",
            "audience_kind": "community",
            "kind": "advisory",
            "category": "vulnerability",
            "language": "es",
            "summary": "Remote code execution",
            "recommendations": "Apply the vendor's fix.",
            "affected_sectors": ["finance", "energy"],
            "affected_countries": "pan, CRI",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    thread = Thread.objects.get(title="Advisory: VPN appliance flaw")
    assert (thread.tlp, thread.pap, thread.kind) == ("green", "amber", "advisory")
    assert (thread.affected_sectors, thread.affected_countries) == ("finance,energy", "PAN,CRI")
    page = forum_world.client("other_member").get(thread.get_absolute_url()).content.decode()
    for shown in (
        "TLP:GREEN",
        "PAP:AMBER",
        "Remote code execution",
        "Apply the vendor",
        "Finance, Energy",
        "PAN,CRI",
    ):
        assert shown in page, shown
    stix = client.get(f"/forum/threads/{thread.pk}/export/stix/").content.decode()
    assert "Remote code execution" in stix
    # Bad input names its field; nothing written.
    before = Thread.objects.count()
    for field, value in (("affected_countries", "Atlantis"), ("affected_sectors", ["bogus"])):
        data = {
            "title": "Bad",
            "body": "x",
            "tlp": "green",
            "audience_kind": "community",
            "kind": "advisory",
            "category": "other",
            "language": "en",
            field: value,
        }
        page = client.post("/forum/communities/csirts/new/", data)
        assert page.status_code == 200
    assert Thread.objects.count() == before


def test_an_advisory_through_the_api(forum_world):
    api = forum_world.token_client("author")
    body = {
        "community": "csirts",
        "title": "Advisory by API",
        "body": "text",
        "tlp": "amber",
        "pap": "red",
        "audience": "organisations",
        "organisations": [forum_world.teams["B"].pk],
        "kind": "advisory",
        "summary": "Phishing wave",
        "recommendations": "Block the domains.",
        "affected_sectors": ["finance"],
        "affected_countries": ["PAN"],
    }
    created = api.post("/api/forum/threads", body, content_type="application/json")
    assert created.status_code == 201, created.content
    answer = forum_world.token_client("named").get(f"/api/forum/threads/{created.json()['id']}")
    data = answer.json()
    assert (data["tlp"], data["pap"], data["kind"]) == ("amber", "red", "advisory")
    assert data["summary"] == "Phishing wave" and data["recommendations"] == "Block the domains."
    assert data["affected_sectors"] == ["finance"] and data["affected_countries"] == ["PAN"]
    assert (
        forum_world.token_client("other_member")
        .get(f"/api/forum/threads/{created.json()['id']}")
        .status_code
        == 404
    )
    bad = api.post(
        "/api/forum/threads",
        {**body, "affected_countries": ["XXX"]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    assert Thread.objects.filter(title="Advisory by API").count() == 1


# --- mail ---------------------------------------------------------------------------------------


def _prefer(world, reader: str, frequency: str, sectors: str = "") -> None:
    NotificationPreference.objects.filter(user=world.users[reader]).update(
        frequency=frequency, sectors=sectors
    )


def test_immediate_mail_carries_a_link_only_to_those_who_may_read(forum_world):
    world = forum_world
    for reader in ("named", "other_member", "colleague", "administrator", "author"):
        _prefer(world, reader, "immediate")
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        thread = forum.thread_create(
            actor=world.users["author"],
            community=world.community,
            title="Zqxsecret campaign",
            body="Zqxsecret details",
            tlp="amber",
            audience_kind="organisations",
            organisations=[world.teams["B"]],
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["colleague@a.test", "named@b.test"]  # not the author, not others
    for message in mail.outbox:
        assert message.subject.startswith("[TLP:AMBER]")
        assert "Zqxsecret" not in message.subject + message.body
        assert f"https://cicte.test/forum/threads/{thread.pk}/" in message.body


def test_sector_subscribers_are_told_of_advisories_they_may_read(forum_world):
    world = forum_world
    _prefer(world, "other_member", "weekly", "finance,health")
    _prefer(world, "other_community", "daily", "finance")  # may not read it
    _prefer(world, "named", "daily", "energy")  # another sector
    advisory = forum.thread_create(
        actor=world.users["author"],
        community=world.community,
        title="Bank trojan",
        body="x",
        tlp="green",
        audience_kind="community",
        kind="advisory",
        affected_sectors=["finance"],
    )
    assert [m.to for m in immediate_mails(advisory.pk)] == ["o@c.test"]
    mails = immediate_mails(advisory.pk)
    assert mails[0].subject.startswith("[TLP:GREEN]") and "Bank trojan" in mails[0].body
    page = world.client("other_member").post(
        "/forum/preferences/", {"frequency": "daily", "sectors": ["energy"]}
    )
    assert page.status_code == 302
    assert NotificationPreference.objects.get(user=world.users["other_member"]).sectors == "energy"


def test_the_digests_are_scheduled(forum_world):
    from django.utils.module_loading import import_string

    from cicte.ops import schedule
    from cicte.ops.jobs import JobFunction

    daily = schedule.REGISTRY["forum-digest-daily"]
    weekly = schedule.REGISTRY["forum-digest-weekly"]
    assert daily.every == dt.timedelta(days=1) and weekly.every == dt.timedelta(days=7)
    for entry in (daily, weekly):
        assert isinstance(import_string(entry.function), JobFunction)
    mail.outbox.clear()
    import_string(daily.function).enqueue(label="Daily forum digests")
    sent = {m.to[0] for m in mail.outbox}
    assert "named@b.test" in sent and "author@a.test" not in sent
    for message in mail.outbox:
        assert message.subject.startswith("[TLP:")


# --- break-glass removal of every kind of item --------------------------------------------------


def test_administrators_remove_messages_and_attachments(forum_world):
    world = forum_world
    admin = world.client("administrator")
    attachment = world.attachments["reply_amber"]
    post = world.attachments["reply_red"].post
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        admin.post(f"/workspace/forum/attachment/{attachment.pk}/remove/", {"reason": "malware"})
        admin.post(f"/workspace/forum/post/{post.pk}/remove/", {"reason": "court order"})
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not search_index.ids("forum.post", "zqxreplyredword").exists()  # unindexed
    assert not search(world.users["author"], "zqxreplyredword").exists()
    removals = {(r.item_type, r.reason) for r in Removal.objects.all()}
    assert removals == {("forum.attachment", "malware"), ("forum.post", "court order")}
    assert sorted(m.to[0] for m in mail.outbox) == ["author@a.test", "named@b.test"]
    for message in mail.outbox:
        assert "zqxreply" not in message.body
    member = world.client("named")
    member.raise_request_exception = False
    assert member.post(f"/workspace/forum/post/{post.pk}/remove/", {"reason": "x"}).status_code in {
        302,
        403,
        404,
    }
    assert Removal.objects.count() == 2


def test_the_index_is_rebuilt_from_the_providers(forum_world):
    from django.core.management import call_command

    from cicte.search.store import clear

    clear("forum.thread")
    clear("forum.post")
    author = forum_world.users["author"]
    assert not search(author, "zqxgreencommunityword").exists()
    call_command("reindex", "forum.thread", "forum.post", verbosity=0)
    assert search(author, "zqxgreencommunityword").count() == 1
    assert search(author, "zqxreplyredword").count() == 1  # a message's text finds its thread
