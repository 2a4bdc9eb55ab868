"""cicte remind [--days N] [--dry-run]: e-mail program managers what needs their attention."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cicte.assistance.reminders import MailUnavailable, build_reminders, reminders_send
from cicte.core.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy(
        "E-mail each program manager (or Secretariat staff) about events past their end date "
        "not marked held, requests waiting too long, recommendations past due, and the coming "
        "semi-annual report deadline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=14,
            help=_("Remind about requests waiting more than this many days in a status (14)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Print the reminders; send nothing.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 0:
            raise CommandError(_("--days must be zero or more."))
        plan = build_reminders(days=days)
        for note in plan.notes:
            self.stdout.write(_("Note: %(note)s") % {"note": note})
        if not plan.digests:
            self.stdout.write(_("Nothing to remind."))
            return
        if options["dry_run"]:
            for digest in plan.digests:
                self.stdout.write(
                    ngettext(
                        "--- To %(email)s (%(count)s item)",
                        "--- To %(email)s (%(count)s items)",
                        digest.count,
                    )
                    % {"email": digest.email, "count": digest.count}
                )
                self.stdout.write(digest.body())
            self.stdout.write(
                ngettext(
                    "Dry run: %(count)s e-mail not sent.",
                    "Dry run: %(count)s e-mails not sent.",
                    len(plan.digests),
                )
                % {"count": len(plan.digests)}
            )
            return
        try:
            logs = reminders_send(plan=plan)
        except MailUnavailable as exc:
            raise CommandError(
                _("Mail unavailable, reminders not sent (nothing marked as sent): %(error)s")
                % {"error": exc}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Sent %(count)s reminder e-mail.", "Sent %(count)s reminder e-mails.", len(logs)
                )
                % {"count": len(logs)}
            )
        )
