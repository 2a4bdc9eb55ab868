"""The command line: create-user with forum memberships, and the digests."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from cicte.sharing.models import CommunityMembership

pytestmark = pytest.mark.django_db


def test_create_user_with_an_organisation_and_memberships(forum_world, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("a-long-enough-password")
    call_command(
        "create_user",
        "newteam",
        "--email=n@e.test",
        "--role=donor",
        "--organization=" + _donor_org(),
        "--organisation=Team C",
        "--membership=csirts:member",
        "--membership=other:moderator",
        f"--password-file={secret}",
    )
    user = get_user_model().objects.get(username="newteam")
    rows = CommunityMembership.objects.filter(user=user).order_by("community__slug")
    assert [(m.community.slug, m.role, m.status) for m in rows] == [
        ("csirts", "member", "active"),
        ("other", "moderator", "active"),
    ]


def _donor_org() -> str:
    from tests.factories import OrganizationFactory

    return OrganizationFactory(name="Donor org").name


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--organisation=Nope"], "No organisation named 'Nope'"),
        (["--organisation=Team C", "--membership=nope:member"], "No community 'nope'"),
        (["--organisation=Team C", "--membership=csirts:king"], "'king' is not a community role"),
        (["--membership=csirts:member"], "--membership needs --organisation"),
    ],
)
def test_create_user_refuses_bad_memberships(forum_world, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_user", "bad", "--email=b@e.test", "--role=secretariat", *options)
    assert not get_user_model().objects.filter(username="bad").exists()


def test_forum_digest_mails_each_reader_what_they_may_read(forum_world):
    mail.outbox.clear()
    call_command("forum_digest", "daily")
    by_reader = {m.to[0]: m for m in mail.outbox}
    named = by_reader["named@b.test"]
    assert named.subject.startswith("[TLP:RED]")  # the widest label of the digest
    assert "zqxredpeopleword" not in named.body  # RED: a link only
    assert "zqxclearpublicword" in named.body  # CLEAR: the title
    assert "author@a.test" not in by_reader  # own items are not mailed
    stakeholder = by_reader.get("s@bank.test")
    assert stakeholder is None or "zqxgreen" not in stakeholder.body
