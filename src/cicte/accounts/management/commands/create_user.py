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
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicte.access.models import Role
from cicte.accounts.services import user_invite
from cicte.core.errors import ApplicationError
from cicte.core.types import SYSTEM
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Program, WorkPlan


class Command(BaseCommand):
    help = "Create a user with a role and its scope (memberships); e-mails a set-password link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--member-state", help="ISO 3166 alpha-3 (points of contact)")
        parser.add_argument(
            "--program", action="append", default=[], help="program code, e.g. 1.A (repeatable)"
        )
        parser.add_argument("--plan", help="plan year or symbol for --program (default: latest)")
        parser.add_argument("--organization", help="organization name or acronym (donors)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-file", help="read the password from this file instead of e-mailing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        state = None
        if options["member_state"]:
            state = MemberState.objects.filter(code=options["member_state"].upper()).first()
            if state is None:
                raise CommandError(f"{options['member_state']!r} is not an OAS member state.")
        programs: list[Program] = []
        if options["program"]:
            plan = self._plan(options["plan"])
            for code in options["program"]:
                program = Program.objects.filter(plan=plan, code=code).first()
                if program is None:
                    raise CommandError(f"No program {code!r} in the {plan.year} plan.")
                programs.append(program)
        organization = None
        if options["organization"]:
            name = options["organization"].strip()
            organization = (
                Organization.objects.filter(name__iexact=name).first()
                or Organization.objects.filter(acronym__iexact=name).first()
            )
            if organization is None:
                raise CommandError(f"No organization named {name!r}.")
        password = None
        if options["password_file"]:
            try:
                password = Path(options["password_file"]).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"Cannot read {options['password_file']}: {exc}") from None
            if len(password) < 12:
                raise CommandError("The password must have at least 12 characters.")
        try:
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
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        how = "with the given password" if password else "an invitation was e-mailed"
        self.stdout.write(self.style.SUCCESS(f"Created {user.get_username()} ({role}); {how}."))

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
            raise CommandError(f"No work plan {reference or ''!r}; import one first.".strip())
        return plan
