"""The import's write phase (ids reserved, one executemany per table): the rows it leaves
are the ones the ORM path left (events, contributions, M2M, creation records, search
entries), and a row the database refuses leaves the database as it was, naming the row."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from cicte.core.bulk import reserve_ids
from cicte.core.models import DataVersion
from cicte.core.types import SYSTEM
from cicte.delivery.models import Event, EventTarget
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS, read_events
from cicte.delivery.services import events_import
from cicte.delivery.services import imports as imports_module
from cicte.search.models import Entry

pytestmark = pytest.mark.django_db

HEADER = ",".join([*REQUIRED_COLUMNS, "modality", "cost", "currency", "notes"])
STATES = ["JAM", "BRB", "PER", "MEX", "CHL"]


def lines(count: int) -> list[str]:
    """Rows with every kind of value: one or two targets, units, no country, no partner,
    several beneficiaries, a cost or none, notes."""
    out = []
    for i in range(count):
        target = "1.A.1.a" if i % 3 else "1.A.1.b*2;1.B.1.a"
        country = "" if i % 7 == 0 else STATES[i % 5]
        beneficiaries = ";".join(STATES[: i % 4])
        partners = ["", "CIP", "CIP;ICAO"][i % 3]
        cost = "" if i % 2 else f"{1000 + i}.50"
        out.append(
            f"{target},Event {i:04d} México,workshop,2012-03-{1 + i % 27:02d},"
            f"2012-03-{2 + i % 27:02d},City {i},{country},{beneficiaries},"
            f"{10 + i % 5},{i % 3},{i % 2},{partners},held,1,national,{cost},USD,note {i}"
        )
    return out


def parse(rows: list[str]):
    parsed = read_events(("\n".join([HEADER, *rows]) + "\n").encode())
    assert parsed.errors == []
    return parsed


def test_written_rows_equal_the_rows_of_the_file_and_their_audit(plan, officer):
    parsed = parse(lines(40))
    result = events_import(actor=officer, plan=plan, rows=parsed.rows)
    assert (result.created, result.errors, result.written) == (40, [], True)
    by_title = {e.title: e for e in Event.objects.all()}
    historical_b = apps.get_model("delivery", "HistoricalEvent_beneficiaries")
    historical_p = apps.get_model("delivery", "HistoricalEvent_partners")
    for row in parsed.rows:
        event = by_title[row.title]
        assert (event.plan_id, event.kind, event.start_date, event.end_date) == (
            plan.pk,
            row.kind,
            row.start_date,
            row.end_date,
        )
        assert (event.status, event.modality, event.city, event.notes) == (
            row.status,
            row.modality,
            row.city,
            row.notes,
        )
        assert (event.host_state.code if event.host_state else None) == row.country
        assert (event.participants_total, event.participants_women, event.participants_men) == (
            row.participants,
            row.women,
            row.men,
        )
        assert (event.cost, event.currency, event.created_by) == (row.cost, "USD", officer)
        assert event.import_key and event.created_at and event.updated_at
        contributions = dict(event.contributions.values_list("target__code", "units"))
        assert contributions == {ref.code: ref.units for ref in row.targets}
        assert sorted(event.beneficiaries.values_list("code", flat=True)) == sorted(
            row.beneficiaries
        )
        assert sorted(event.partners.values_list("acronym", flat=True)) == sorted(row.partners)
        # The creation record holds the event's values, the user, and the M2M rows.
        record = event.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+",
            officer,
            None,
        )
        for field in Event.history.model.tracked_fields:
            assert getattr(record, field.attname) == getattr(event, field.attname), field.name
        through_b = set(event.beneficiaries.through.objects.filter(event=event).values_list("pk"))
        assert set(historical_b.objects.filter(history=record).values_list("id")) == through_b
        through_p = set(event.partners.through.objects.filter(event=event).values_list("pk"))
        assert set(historical_p.objects.filter(history=record).values_list("id")) == through_p
        assert sorted(
            EventTarget.history.filter(event_id=event.pk).values_list(
                "id", "target_id", "units", "history_type", "history_user"
            )
        ) == sorted(
            (pk, target, units, "+", officer.pk)
            for pk, target, units in event.contributions.values_list("pk", "target_id", "units")
        )
        entry = Entry.objects.get(scope="delivery.event", object_id=event.pk)
        assert entry.title == row.title.replace("é", "e").casefold()
    # A second import finds every row by its key and changes nothing.
    again = events_import(actor=officer, plan=plan, rows=parsed.rows)
    assert (again.created, again.unchanged) == (0, 40)


def test_ids_continue_after_deleted_events_and_the_orm_follows_on(plan):
    events_import(actor=SYSTEM, plan=plan, rows=parse(lines(3)).rows)
    highest = Event.objects.order_by("-pk").first()
    assert highest is not None
    highest_pk = highest.pk
    highest.delete()
    events_import(actor=SYSTEM, plan=plan, rows=parse(lines(5)[3:]).rows)
    assert Event.objects.order_by("pk").first().pk < highest_pk  # type: ignore[union-attr]
    assert min(Event.objects.filter(title__in=["Event 0003 México", "Event 0004 México"])
               .values_list("pk", flat=True)) > highest_pk  # fmt: skip
    later = Event.objects.create(
        plan=plan, kind="workshop", title="After", start_date="2012-01-01", end_date="2012-01-01"
    )
    assert later.pk > max(Event.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_reserve_ids_are_fresh_and_distinct(plan):
    from django.db import transaction

    with transaction.atomic():
        first = reserve_ids(Event, 3)
        assert len(set(first)) == 3
        if connection.vendor == "postgresql":  # a sequence never gives a value twice
            assert not set(first) & set(reserve_ids(Event, 3))
    assert reserve_ids(Event, 0) == []


def test_a_row_refused_by_the_database_leaves_everything_unchanged(plan, monkeypatch):
    monkeypatch.setattr(imports_module, "WRITE_BATCH", 40)
    events_import(actor=SYSTEM, plan=plan, rows=parse(["1.A.1.a,Kept,workshop,2012-01-02,"
                  "2012-01-02,,,,0,0,0,,held,1,,,,"]).rows)  # fmt: skip
    tables = [
        Event,
        EventTarget,
        Event.history.model,
        EventTarget.history.model,
        Event.beneficiaries.through,
        Event.partners.through,
        apps.get_model("delivery", "HistoricalEvent_beneficiaries"),
        apps.get_model("delivery", "HistoricalEvent_partners"),
        Entry,
    ]
    before = [model.objects.count() for model in tables]
    versions = list(DataVersion.objects.order_by("plan_id").values_list("plan_id", "version"))
    parsed = parse(lines(150))
    refused = parsed.rows[120]  # in the fourth batch: three batches are written before it
    original = imports_module._event_values

    def values(row, host_id):
        result = original(row, host_id)
        if row is refused:  # the parser checks it; the database's constraint refuses it too
            result["participants_women"] = result["participants_total"] + 1
        return result

    monkeypatch.setattr(imports_module, "_event_values", values)
    result = events_import(actor=SYSTEM, plan=plan, rows=parsed.rows)
    assert not result.written and result.created == 0
    assert [error.row for error in result.errors] == [refused.row]
    assert str(result.errors[0]).startswith(
        f"row {refused.row}: the database refused this row, nothing was imported"
    )
    assert [model.objects.count() for model in tables] == before
    assert (
        list(DataVersion.objects.order_by("plan_id").values_list("plan_id", "version")) == versions
    )
