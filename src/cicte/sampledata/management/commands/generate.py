"""cicte generate — synthetic plans, events and participants for benchmarks and load tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from cicte.core.commands import TranslatedCommand
from cicte.sampledata.synthetic import SyntheticDataError, synthetic_data_generate


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("--as-of '%(value)s': expected a date like 2026-06-30.") % {"value": text}
        ) from None


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Generate clearly labelled synthetic data: one [SYNTHETIC] Work Plan per year cloned "
        "from the 2012 plan, events, contributions, beneficiaries, participation by member "
        "state and named participants ('Participant 0000123'). Deterministic for a seed. "
        "Not audited (bulk inserts write no history). Never run it on a production database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=20, help=_("plans, one per year (20)"))
        parser.add_argument("--events", type=int, default=200_000, help=_("events in all"))
        parser.add_argument(
            "--participants", type=int, default=3_000_000, help=_("named participant rows in all")
        )
        parser.add_argument("--seed", type=int, default=2012, help=_("random seed (2012)"))
        parser.add_argument(
            "--plan-year-start", type=int, default=2012, help=_("year of the first plan (2012)")
        )
        parser.add_argument("--batch", type=int, default=5000, help=_("events per insert batch"))
        parser.add_argument(
            "--as-of",
            default=None,
            help=_("events ending before this date are mostly held (default: today)"),
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help=_("add events to synthetic plans already in the database"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else None
        quiet = options["verbosity"] == 0
        with tqdm(  # type: ignore[call-overload]  # the stream is Django's OutputWrapper
            total=max(options["events"], 0),
            unit="event",
            desc=_("Generating"),
            disable=quiet,
            file=self.stderr._out,  # the real stream (tqdm redraws in place)
        ) as bar:
            try:
                result = synthetic_data_generate(
                    years=options["years"],
                    events=options["events"],
                    participants=options["participants"],
                    seed=options["seed"],
                    plan_year_start=options["plan_year_start"],
                    batch=options["batch"],
                    as_of=as_of,
                    append=options["append"],
                    on_batch=bar.update,
                )
            except SyntheticDataError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Generated %(events)s events in %(plans)s synthetic plans (%(new)s new): "
                    "%(contributions)s contributions, %(beneficiaries)s beneficiary links, "
                    "%(partners)s partner links, %(participation)s participation rows, "
                    "%(participants)s participants; %(rows)s rows in %(seconds)s s "
                    "(%(speed)s rows/s)."
                )
                % {
                    "events": result.events,
                    "plans": len(result.plans),
                    "new": result.plans_created,
                    "contributions": result.event_targets,
                    "beneficiaries": result.beneficiaries,
                    "partners": result.partners,
                    "participation": result.country_participation,
                    "participants": result.participants,
                    "rows": result.rows,
                    "seconds": f"{result.seconds:.1f}",
                    "speed": f"{result.rows_per_second:,.0f}",
                }
            )
        )
