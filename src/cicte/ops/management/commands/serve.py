"""cicte serve [--bind HOST:PORT] [--workers N]: the production web server (gunicorn).

Static files are collected first (whitenoise serves them with compressed, content-hashed
names); the server refuses to start, with one line, when production settings are missing or
the database is not migrated.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cicte.core.commands import TranslatedCommand


def default_workers() -> int:
    """WEB_CONCURRENCY, else 2 x cores + 1, at most 8 (each worker holds the app in memory;
    SQLite serialises writes anyway)."""
    if os.environ.get("WEB_CONCURRENCY", "").isdigit():
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def production_problem() -> str | None:
    if not settings.PRODUCTION:
        return _(
            "cicte serve needs production settings: set CICTE_ENV=production, SECRET_KEY "
            "(50+ random characters) and ALLOWED_HOSTS (see docs/operations.md); for "
            "development use 'make run'."
        )
    if not settings.ALLOWED_HOSTS:
        return _("cicte serve: ALLOWED_HOSTS is empty; set it to the site's host name(s).")
    return None


def unapplied_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Serve the site in production with gunicorn (static files by whitenoise). Needs "
        "CICTE_ENV=production, SECRET_KEY and ALLOWED_HOSTS; run 'cicte migrate' first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("CICTE_BIND", "127.0.0.1:8000"),
            help=_("Address to listen on (CICTE_BIND, default 127.0.0.1:8000)."),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("Worker processes (WEB_CONCURRENCY, default 2 x cores + 1, at most 8)."),
        )
        parser.add_argument(
            "--timeout", type=int, default=120, help=_("Seconds before a stuck request (120).")
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help=_("Do not collect static files first.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problem = production_problem()
        if problem:
            raise CommandError(problem)
        pending = unapplied_migrations()
        if pending:
            raise CommandError(
                ngettext(
                    "The database has %(count)s unapplied migration: run 'cicte migrate' first.",
                    "The database has %(count)s unapplied migrations: run 'cicte migrate' first.",
                    pending,
                )
                % {"count": pending}
            )
        if not options["no_collectstatic"]:
            call_command("collectstatic", "--noinput", verbosity=0)
        workers = options["workers"] or default_workers()
        if workers < 1:
            raise CommandError(_("--workers must be 1 or more."))
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "cicte.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(workers),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "30",
            "--max-requests",
            "2000",
            "--max-requests-jitter",
            "200",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            "--error-logfile",
            "-",
        ]
        shm = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data: avoids disk stalls
        if os.path.isdir(shm):
            command += ["--worker-tmp-dir", shm]
        self.stdout.write(
            ngettext(
                "Serving on http://%(bind)s with %(count)s worker.",
                "Serving on http://%(bind)s with %(count)s workers.",
                workers,
            )
            % {"bind": options["bind"], "count": workers}
        )
        self.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, command)  # noqa: S606 - replaces this process (systemd)
