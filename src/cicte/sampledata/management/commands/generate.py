"""cicte generate — synthetic plans, events and participants for benchmarks and load tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cicte.sampledata.synthetic import SyntheticDataError, synthetic_data_generate


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of {text!r}: expected a date like 2026-06-30.") from None


class Command(BaseCommand):
    help = (
        "Generate clearly labelled synthetic data: one [SYNTHETIC] Work Plan per year cloned "
        "from the 2012 plan, events, contributions, beneficiaries, participation by member "
        "state and named participants ('Participant 0000123'). Deterministic for a seed. "
        "Not audited (bulk inserts write no history). Never run it on a production database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=20, help="plans, one per year (20)")
        parser.add_argument("--events", type=int, default=200_000, help="events in all")
        parser.add_argument(
            "--participants", type=int, default=3_000_000, help="named participant rows in all"
        )
        parser.add_argument("--seed", type=int, default=2012, help="random seed (2012)")
        parser.add_argument(
            "--plan-year-start", type=int, default=2012, help="year of the first plan (2012)"
        )
        parser.add_argument("--batch", type=int, default=5000, help="events per insert batch")
        parser.add_argument(
            "--as-of",
            default=None,
            help="events ending before this date are mostly held (default: today)",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="add events to synthetic plans already in the database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else None
        quiet = options["verbosity"] == 0
        with tqdm(  # type: ignore[call-overload]  # the stream is Django's OutputWrapper
            total=max(options["events"], 0),
            unit="event",
            desc="generate",
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
                f"Generated {result.events} events in {len(result.plans)} synthetic plans "
                f"({result.plans_created} new): {result.event_targets} contributions, "
                f"{result.beneficiaries} beneficiary links, {result.partners} partner links, "
                f"{result.country_participation} participation rows, "
                f"{result.participants} participants; {result.rows} rows in "
                f"{result.seconds:.1f} s ({result.rows_per_second:,.0f} rows/s)."
            )
        )
