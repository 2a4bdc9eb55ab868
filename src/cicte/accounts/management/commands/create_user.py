"""cicte create-user USERNAME --email E --role ROLE [--member-state ISO3] [--program CODE]...

Creates a user with one role (and its scope) through the same service as the web invitation;
an invitation e-mail with a set-password link is sent unless ``--password-file`` gives the
password (scripted set-up). ``--program`` may be repeated (one membership per program);
``--plan`` chooses the plan whose program codes are meant (default: the latest). Modules add
their own membership options as they land.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.access.models import Role
from cicte.accounts.services import user_invite
from cicte.core.commands import TranslatedCommand
from cicte.core.errors import ApplicationError
from cicte.core.types import SYSTEM
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Program, WorkPlan
from cicte.sharing import services as sharing_services
from cicte.sharing.models import Community, CommunityRole, SharingOrganisation


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Create a user with a role and its scope (memberships); e-mails a set-password link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("the new user's sign-in name"))
        parser.add_argument("--email", required=True, help=_("the user's e-mail address"))
        parser.add_argument("--role", required=True, choices=Role.values, help=_("the user's role"))
        parser.add_argument("--member-state", help=_("ISO 3166 alpha-3 (points of contact)"))
        parser.add_argument(
            "--program",
            action="append",
            default=[],
            help=_("program code, e.g. 1.A (repeatable)"),
        )
        parser.add_argument("--plan", help=_("plan year or symbol for --program (default: latest)"))
        parser.add_argument("--organization", help=_("organization name or acronym (donors)"))
        parser.add_argument(
            "--organisation",
            help=_("vetted organisation of the sharing directory (forum members)"),
        )
        parser.add_argument(
            "--membership",
            action="append",
            default=[],
            metavar="COMMUNITY:ROLE",
            help=_(
                "community short name and role (member or moderator), repeatable; needs "
                "--organisation"
            ),
        )
        parser.add_argument("--first-name", default="", help=_("the user's first name"))
        parser.add_argument("--last-name", default="", help=_("the user's last name"))
        parser.add_argument(
            "--password-file", help=_("read the password from this file instead of e-mailing")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        state = None
        if options["member_state"]:
            state = MemberState.objects.filter(code=options["member_state"].upper()).first()
            if state is None:
                raise CommandError(
                    _("'%(code)s' is not an OAS member state.") % {"code": options["member_state"]}
                )
        programs: list[Program] = []
        if options["program"]:
            plan = self._plan(options["plan"])
            for code in options["program"]:
                program = Program.objects.filter(plan=plan, code=code).first()
                if program is None:
                    raise CommandError(
                        _("No program '%(code)s' in the %(year)s plan.")
                        % {"code": code, "year": plan.year}
                    )
                programs.append(program)
        organization = None
        if options["organization"]:
            name = options["organization"].strip()
            organization = (
                Organization.objects.filter(name__iexact=name).first()
                or Organization.objects.filter(acronym__iexact=name).first()
            )
            if organization is None:
                raise CommandError(_("No organization named '%(name)s'.") % {"name": name})
        organisation, memberships = self._sharing(options)
        password = None
        if options["password_file"]:
            try:
                password = Path(options["password_file"]).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s")
                    % {"path": options["password_file"], "error": exc.strerror or exc}
                ) from None
            if len(password) < 12:
                raise CommandError(_("The password must have at least 12 characters."))
        try:
            with transaction.atomic():
                user = user_invite(
                    actor=SYSTEM,
                    username=options["username"],
                    email=options["email"],
                    role=role,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    member_state=state,
                    programs=programs,
                    organization=organization,
                    password=password,
                    send=password is None,
                )
                for community, community_role in memberships:
                    assert organisation is not None
                    sharing_services.membership_grant(
                        actor=SYSTEM,
                        community=community,
                        user=user,
                        organisation=organisation,
                        role=community_role,
                    )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        done = (
            _("Created %(username)s (%(role)s) with the given password.")
            if password
            else _("Created %(username)s (%(role)s); an invitation was e-mailed.")
        )
        self.stdout.write(
            self.style.SUCCESS(done % {"username": user.get_username(), "role": role})
        )

    def _sharing(
        self, options: dict[str, Any]
    ) -> tuple[SharingOrganisation | None, list[tuple[Community, str]]]:
        organisation = None
        if options["organisation"]:
            name = options["organisation"].strip()
            organisation = SharingOrganisation.objects.filter(name__iexact=name).first()
            if organisation is None:
                raise CommandError(
                    _("No organisation named '%(name)s' in the sharing directory.") % {"name": name}
                )
        memberships: list[tuple[Community, str]] = []
        for spec in options["membership"]:
            slug, _sep, community_role = spec.partition(":")
            community_role = community_role or CommunityRole.MEMBER
            community = Community.objects.filter(slug=slug.strip()).first()
            if community is None:
                raise CommandError(_("No community '%(name)s'.") % {"name": slug})
            if community_role not in CommunityRole.values:
                raise CommandError(
                    _("'%(role)s' is not a community role (member, moderator).")
                    % {"role": community_role}
                )
            memberships.append((community, community_role))
        if memberships and organisation is None:
            raise CommandError(_("--membership needs --organisation."))
        return organisation, memberships

    def _plan(self, reference: str | None) -> WorkPlan:
        plans = WorkPlan.objects.order_by("-year", "-id")
        if reference:
            plan = (
                plans.filter(year=int(reference)).first()
                if reference.isdigit()
                else plans.filter(symbol=reference).first()
            )
        else:
            plan = plans.first()
        if plan is None:
            raise CommandError(
                _("No work plan '%(plan)s'; import one first.") % {"plan": reference}
                if reference
                else _("No work plan in the database; import one first.")
            )
        return plan
