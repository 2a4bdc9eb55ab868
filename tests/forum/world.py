"""A forum world: three CSIRT communities' worth of readers and one item per valid
marking × audience, each with a unique word in its title, its text and its attachment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.access.models import Role
from cicte.accounts.services import token_create
from cicte.core.types import SYSTEM
from cicte.forum import services as forum
from cicte.forum.models import Frequency, NotificationPreference
from cicte.sharing import services as sharing
from cicte.sharing.models import CommunityKind, MembershipPolicy
from tests.accounts.factories import user_with_role
from tests.factories import ProgramFactory, WorkAreaFactory, WorkPlanFactory

#: (tlp, audience kind): every combination the rule allows.
ITEMS = [
    ("clear", "public"),
    ("clear", "community"),
    ("green", "community"),
    ("amber", "organisations"),
    ("amber+strict", "organisations"),
    ("red", "people"),
]

READERS = [
    "author",
    "named",
    "colleague",
    "other_member",
    "other_community",
    "stakeholder",
    "point_of_contact",
    "program_manager",
    "administrator",
    "anonymous",
]

#: Whom each item reaches: the expected cell of the leak matrix.
SEES = {
    "author": set(ITEMS),
    "named": set(ITEMS),  # team B: named organisation and named person
    "colleague": {i for i in ITEMS if i[0] != "red"},  # author's organisation, not RED
    "other_member": {i for i in ITEMS if i[0] in {"clear", "green"}},  # community only
    "other_community": {("clear", "public")},
    "stakeholder": {("clear", "public")},
    "point_of_contact": {("clear", "public")},
    "program_manager": {("clear", "public")},
    "administrator": {("clear", "public")},  # no read bypass
    "anonymous": {("clear", "public")},
}

HIDDEN_MEMBER = "Zqxhidden Banker"  # a member of a community with hidden membership

#: More cells of the matrix: replies with narrower audiences and a released item.
#: key → (who sees it, the communities whose TAXII collection holds it, word in a title)
EXTRA: dict[str, tuple[set[str], set[str], bool]] = {
    # A RED reply by team B's person to the author only, in the community's GREEN thread.
    "reply_red": ({"named", "author"}, {"csirts"}, False),
    # An AMBER reply by the author to team B only, in the public CLEAR thread: the author's
    # organisation (colleague) still reads it, the rest of the community does not.
    "reply_amber": ({"author", "colleague", "named"}, {"csirts"}, False),
    # The AMBER thread released (reworded) into the stakeholders' community as GREEN: the
    # stakeholder reads the release only, never the CSIRT original.
    # The author's own organisation (colleague) reads it too: an organisation always reads
    # what its people originated, below RED.
    "released": ({"author", "colleague", "stakeholder"}, {"finance"}, True),
}

#: Members of each community (who is offered its TAXII collection).
COMMUNITY_MEMBERS = {
    "csirts": {"author", "named", "colleague", "other_member"},
    "other": {"other_community"},
    "finance": {"stakeholder", "author"},
}


def word(tlp: str, kind: str) -> str:
    """A unique, searchable word per item (letters only)."""
    return "zqx" + tlp.replace("+", "").replace("amberstrict", "amberstr") + kind + "word"


@dataclass
class ForumWorld:
    users: dict[str, Any]
    community: Any
    other_community: Any
    stakeholders: Any
    teams: dict[str, Any]
    threads: dict[Any, Any] = field(default_factory=dict)
    attachments: dict[Any, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    media_root: str = ""
    _clients: dict[str, Client] = field(default_factory=dict)

    def fresh(self) -> ForumWorld:
        """The same world with instances read again (a test's writes and cached
        permission facts never reach the next test)."""
        from django.contrib.auth import get_user_model

        from cicte.forum.models import Attachment, Thread
        from cicte.sharing.models import Community, SharingOrganisation

        users = get_user_model().objects.in_bulk([u.pk for u in self.users.values()])
        communities = Community.objects.in_bulk(
            [self.community.pk, self.other_community.pk, self.stakeholders.pk]
        )
        teams = SharingOrganisation.objects.in_bulk([t.pk for t in self.teams.values()])
        threads = Thread.objects.in_bulk([t.pk for t in self.threads.values()])
        attachments = Attachment.objects.in_bulk([a.pk for a in self.attachments.values()])
        return ForumWorld(
            users={k: users[u.pk] for k, u in self.users.items()},
            community=communities[self.community.pk],
            other_community=communities[self.other_community.pk],
            stakeholders=communities[self.stakeholders.pk],
            teams={k: teams[t.pk] for k, t in self.teams.items()},
            threads={k: threads[t.pk] for k, t in self.threads.items()},
            attachments={k: attachments[a.pk] for k, a in self.attachments.items()},
            tokens=self.tokens,
            media_root=self.media_root,
        )

    def client(self, reader: str) -> Client:
        if reader in self._clients:
            return self._clients[reader]
        client = Client()
        client.raise_request_exception = True
        if reader != "anonymous":
            client.force_login(self.users[reader])
        if reader == "administrator":  # administrators finish two-factor sign-in
            device = TOTPDevice.objects.get_or_create(
                user=self.users[reader], name="phone", confirmed=True
            )[0]
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        self._clients[reader] = client
        return client

    def token_client(self, reader: str) -> Client:
        if reader == "anonymous":
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[reader]}")


def build_forum_world() -> ForumWorld:
    plan = WorkPlanFactory(year=2012, status="approved")
    program = ProgramFactory(plan=plan, work_area=WorkAreaFactory(plan=plan, number=3))
    users = {
        "author": user_with_role(None, username="author", email="author@a.test"),
        "named": user_with_role(None, username="named", email="named@b.test"),
        "colleague": user_with_role(None, username="colleague", email="colleague@a.test"),
        "other_member": user_with_role(None, username="other_member", email="o@c.test"),
        "other_community": user_with_role(None, username="other_community", email="oc@d.test"),
        "stakeholder": user_with_role(
            None,
            username="stakeholder",
            email="s@bank.test",
            first_name="Zqxhidden",
            last_name="Banker",
        ),
        "point_of_contact": user_with_role(
            Role.POINT_OF_CONTACT, member_state="JAM", email="p@x.test"
        ),
        "program_manager": user_with_role(
            Role.PROGRAM_MANAGER, programs=[program], email="pm@x.test"
        ),
        "administrator": user_with_role(Role.ADMINISTRATOR, email="admin@x.test"),
    }
    teams = {
        name: sharing.organisation_create(actor=SYSTEM, name=f"Team {name}", kind="national_csirt")
        for name in ("A", "B", "C", "D")
    }
    teams["Bank"] = sharing.organisation_create(actor=SYSTEM, name="Bank", kind="private")
    teams["Host"] = sharing.organisation_create(
        actor=SYSTEM, name="CICTE Secretariat", kind="international"
    )
    community = sharing.community_create(
        actor=SYSTEM, slug="csirts", name="CSIRT community", kind=CommunityKind.CSIRT
    )
    other = sharing.community_create(
        actor=SYSTEM, slug="other", name="Other community", kind=CommunityKind.CSIRT
    )
    stakeholders = sharing.community_create(
        actor=SYSTEM,
        slug="finance",
        name="Financial sector",
        kind=CommunityKind.STAKEHOLDER,
        sector="finance",
        hidden_membership=True,
        policy=MembershipPolicy.APPROVAL,
        host=teams["Host"],
    )
    for reader, team, space in [
        ("author", "A", community),
        ("colleague", "A", community),
        ("named", "B", community),
        ("other_member", "C", community),
        ("other_community", "D", other),
        ("stakeholder", "Bank", stakeholders),
    ]:
        sharing.membership_grant(
            actor=SYSTEM, community=space, user=users[reader], organisation=teams[team]
        )
    world = ForumWorld(users, community, other, stakeholders, teams)
    for tlp, kind in ITEMS:
        w = word(tlp, kind)
        thread = forum.thread_create(
            actor=users["author"],
            community=community,
            title=f"Title {w}",
            body=f"Body of {w}",
            tlp=tlp,
            audience_kind=kind,
            organisations=[teams["B"]] if kind == "organisations" else [],
            people=[users["named"]] if kind == "people" else [],
            files=[SimpleUploadedFile(f"{w}.md", f"# {w}\n".encode(), "text/markdown")],
        )
        world.threads[(tlp, kind)] = thread
        world.attachments[(tlp, kind)] = thread.posts.get().attachments.get()
    sharing.membership_grant(
        actor=SYSTEM, community=stakeholders, user=users["author"], organisation=teams["A"]
    )
    _extra_items(world)
    for reader, user in users.items():
        world.tokens[reader] = token_create(actor=user, name="matrix").secret
        NotificationPreference.objects.create(user=user, frequency=Frequency.DAILY)
    from django.conf import settings

    world.media_root = str(settings.MEDIA_ROOT)
    return world


def _upload(w: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{w}.md", f"# {w}\n".encode(), "text/markdown")


def _extra_items(world: ForumWorld) -> None:
    users, teams = world.users, world.teams
    green = world.threads[("green", "community")]
    reply = forum.post_create(
        actor=users["named"],
        thread=green,
        body=f"Only for you: {word('reply', 'red')}",
        tlp="red",
        audience_kind="people",
        people=[users["author"]],
        files=[_upload(word("reply", "red"))],
    )
    world.threads["reply_red"] = green
    world.attachments["reply_red"] = reply.attachments.get()
    public = world.threads[("clear", "public")]
    reply = forum.post_create(
        actor=users["author"],
        thread=public,
        body=f"For team B: {word('reply', 'amber')}",
        tlp="amber",
        audience_kind="organisations",
        organisations=[teams["B"]],
        files=[_upload(word("reply", "amber"))],
    )
    world.threads["reply_amber"] = public
    world.attachments["reply_amber"] = reply.attachments.get()
    released = forum.thread_release(
        actor=users["author"],
        thread=world.threads[("amber", "organisations")],
        community=world.stakeholders,
        tlp="green",
        audience_kind="community",
        title=f"Title {word('released', 'green')}",
        body=f"Released: {word('released', 'green')}",
    )
    post = released.posts.get()
    from cicte.forum.services import _attach, _check_file

    _attach(users["author"], post, _check_file(_upload(word("released", "green"))))
    world.threads["released"] = released
    world.attachments["released"] = post.attachments.get()


#: The word of each extra item.
EXTRA_WORDS = {
    "reply_red": word("reply", "red"),
    "reply_amber": word("reply", "amber"),
    "released": word("released", "green"),
}
