"""cicte remind [--days N] [--dry-run]: e-mail program managers what needs their attention."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicte.assistance.reminders import MailUnavailable, build_reminders, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each program manager (or Secretariat staff) about events past their end date "
        "not marked held, requests waiting too long, recommendations past due, and the coming "
        "semi-annual report deadline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=14,
            help="Remind about requests waiting more than this many days in a status (14).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the reminders; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 0:
            raise CommandError("--days must be zero or more.")
        plan = build_reminders(days=days)
        for note in plan.notes:
            self.stdout.write(f"Note: {note}")
        if not plan.digests:
            self.stdout.write("Nothing to remind.")
            return
        if options["dry_run"]:
            for digest in plan.digests:
                self.stdout.write(f"--- To {digest.email} ({digest.count} items)")
                self.stdout.write(digest.body())
            self.stdout.write(f"Dry run: {len(plan.digests)} e-mails not sent.")
            return
        try:
            logs = reminders_send(plan=plan)
        except MailUnavailable as exc:
            raise CommandError(
                f"Mail unavailable, reminders not sent (nothing marked as sent): {exc}"
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Sent {len(logs)} reminder e-mails."))
