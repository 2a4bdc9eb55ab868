"""The index through its public interface, on whichever database the run uses."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cicte import search
from cicte.search import registry, store
from cicte.search.models import Entry
from tests.search.test_text import HOSTILE

SCOPE = "tests.user"
pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    User = get_user_model()
    names = ["mexico", "panama", "lima", "quito", "bogota"]
    made = {name: User.objects.create_user(username=name) for name in names}
    search.index(SCOPE, made["mexico"].pk, title="Taller en México", body="Ciudad de México")
    search.index(SCOPE, made["panama"].pk, title="Workshop", body="Ciudad de Panamá, PANAMA")
    search.index(SCOPE, made["lima"].pk, title="mexico city notes", body="")
    search.index(SCOPE, made["quito"].pk, title="Quito", body="Ecuador; 'drop' table")
    return made


def _fts_consistent() -> None:
    """SQLite: FTS5's own check of its index against the external-content table."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_entry_fts(search_entry_fts, rank) VALUES ('integrity-check', 1)"
            )


def _names(queryset) -> list[str]:
    return [user.username for user in queryset]


def _all():
    return get_user_model().objects.all()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mexico", {"mexico", "lima"}),
        ("MÉXICO", {"mexico", "lima"}),
        ("méx", {"mexico", "lima"}),  # a prefix of a word
        ("panama", {"panama"}),
        ("Panamá", {"panama"}),
        ("PANAMÁ ciudad", {"panama"}),
        ("ciudad", {"mexico", "panama"}),
        ("mexico ciudad", {"mexico"}),  # every term
        ("taller mexico", {"mexico"}),
        ("nowhere", set()),
    ],
)
def test_accent_and_case_insensitive_both_ways(users, query, expected) -> None:
    assert set(_names(search.matches(_all(), SCOPE, query))) == expected


def test_plain_text_indexed_finds_accented_query(db) -> None:
    user = get_user_model().objects.create_user(username="plain")
    search.index(SCOPE, user.pk, title="mexico panama")
    assert _names(search.matches(_all(), SCOPE, "México Panamá")) == ["plain"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_results_or_nothing(users, query) -> None:
    found = list(search.matches(_all(), SCOPE, query))
    assert all(user.username in users for user in found)


def test_hostile_query_with_words_still_finds(users) -> None:
    assert _names(search.matches(_all(), SCOPE, "'; drop table")) == ["quito"]
    assert _names(search.matches(_all(), SCOPE, '"quito')) == ["quito"]
    assert _names(search.matches(_all(), SCOPE, "NEAR(quito")) == []  # "near" is a word too
    assert Entry.objects.filter(scope=SCOPE).count() == 4  # nothing was dropped


def test_blank_query_is_none(users) -> None:
    assert list(search.matches(_all(), SCOPE, "  ")) == []
    assert list(search.matches(_all(), SCOPE, "*")) == []


def test_only_narrows_the_given_queryset(users) -> None:
    visible = _all().exclude(username="lima")
    assert _names(search.matches(visible, SCOPE, "mexico")) == ["mexico"]
    assert _names(search.matches(visible.none(), SCOPE, "mexico")) == []


def test_scopes_are_separate(users) -> None:
    search.index("tests.other", users["bogota"].pk, title="México")
    assert set(_names(search.matches(_all(), SCOPE, "mexico"))) == {"mexico", "lima"}
    assert _names(search.matches(_all(), "tests.other", "mexico")) == ["bogota"]


def test_ranked_title_before_body(users) -> None:
    search.index(SCOPE, users["bogota"].pk, title="Other", body="quito")
    ranked = list(search.matches(_all(), SCOPE, "quito"))
    assert [u.username for u in ranked] == ["quito", "bogota"]
    assert ranked[0].search_rank > ranked[1].search_rank


def test_upsert_replaces_and_unindex_removes(users) -> None:
    pk = users["mexico"].pk
    search.index(SCOPE, pk, title="Kingston")
    assert _names(search.matches(_all(), SCOPE, "taller")) == []
    assert _names(search.matches(_all(), SCOPE, "kingston")) == ["mexico"]
    _fts_consistent()
    search.unindex(SCOPE, pk)
    search.unindex(SCOPE, pk)  # twice is fine
    assert _names(search.matches(_all(), SCOPE, "kingston")) == []
    search.index_many(SCOPE, [(pk, {"title": "again"}), (users["lima"].pk, {"title": "lima"})])
    assert _names(search.matches(_all(), SCOPE, "again")) == ["mexico"]
    _fts_consistent()


def test_one_query_to_search_and_bulk_writes(users) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert len(list(search.matches(_all(), SCOPE, "mexico"))) == 2
    assert len(queries) == 1
    rows = [(pk, {"title": f"row {pk} Señor"}) for pk in range(1, 4501)]
    with CaptureQueriesContext(connection) as queries:
        assert search.index_many("tests.bulk", rows) == 4500
    # one executemany per 2,000 rows (on SQLite with a MAX(id) read and one INSERT ... SELECT)
    assert len(queries) == (9 if connection.vendor == "sqlite" else 3)
    assert Entry.objects.filter(scope="tests.bulk", title__contains="senor").count() == 4500


def test_search_uses_the_full_text_index(users) -> None:
    # Enough rows in the scope that a scan would cost more than the full-text index.
    search.index_many(
        SCOPE, ((pk, {"title": f"other words {pk}"}) for pk in range(10**6, 10**6 + 3000))
    )
    queryset = search.matches(_all(), SCOPE, "mexico")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The entries' side (with 40 users the planner rightly starts from the users).
            sql, params = store.hits(SCOPE, "mexico").query.sql_with_params()
            cursor.execute("ANALYZE search_entry")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # whatever the plan, it reads the stored tsvector and never recomputes one
            assert "document @@" in plan and "to_tsvector" not in plan, plan
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # never a full scan; the planner may prefer the (scope, object_id) index to the
            # GIN one for a scope of a few thousand rows, which is as good
            assert "Seq Scan" not in plan, plan
            assert "search_entry_document_gin" in plan or "search_entry_unique" in plan, plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan, plan
    assert len(list(queryset)) == 2


WORD = st.text(alphabet="aeiounrstlcmpAEIOUÁÉÍÓÚáéíóúñÑçÇüÜãõâêô", min_size=1, max_size=12)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WORD, min_size=1, max_size=5))
def test_folded_text_finds_the_original(users, words) -> None:
    text = " ".join(words)
    pk = users["bogota"].pk
    search.index(SCOPE, pk, title=text)
    for query in (text, search.fold(text), text.upper(), words[-1][:1]):
        assert "bogota" in _names(search.matches(_all(), SCOPE, query)), query


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_query_never_raises(users, query) -> None:
    found = _names(search.matches(_all(), SCOPE, query))
    assert set(found) <= set(users)


def test_reindex_command(users) -> None:
    User = get_user_model()
    registry.register_provider(
        SCOPE, lambda: ((u.pk, {"title": u.username}) for u in User.objects.all())
    )
    try:
        call_command("reindex", SCOPE)
        assert Entry.objects.filter(scope=SCOPE).count() == 5
        assert _names(search.matches(_all(), SCOPE, "BOGOTÁ")) == ["bogota"]
        assert _names(search.matches(_all(), SCOPE, "taller")) == []  # the old entry went
        _fts_consistent()
        with pytest.raises(CommandError, match=r"Unknown search scope 'nope\.nope'"):
            call_command("reindex", "nope.nope")
    finally:
        registry._providers.pop(SCOPE)
