"""The pure functions: folding and query terms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cicte import search
from cicte.search.text import MAX_TERMS

HOSTILE = [
    '"',
    '"unclosed',
    "NEAR(",
    "NEAR(a b",
    "*",
    "a*",
    "OR",
    "a OR b",
    "AND NOT",
    "--",
    "'; drop table search_entry; --",
    "title:foo",
    "^start",
    "(a",
    "a)",
    "{a b}",
    "!a & b | c",
    "a:* & b",
    "\\",
    "%",
    "_",
    "\x00",
    "😀",
]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("México", "mexico"),
        ("  PANAMÁ  ", "panama"),
        ("Ñandú  São\tPaulo", "nandu sao paulo"),
        ("Straße", "strasse"),
        ("CÔTE D’IVOIRE", "cote d’ivoire"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert search.fold(text) == folded


def test_terms_are_folded_words_only() -> None:
    assert search.terms("  México, Panamá!  ") == ["mexico", "panama"]
    assert search.terms("'; drop table x; --") == ["drop", "table", "x"]
    assert search.terms('NEAR("a" b*') == ["near", "a", "b"]
    assert search.terms("mexico MEXICO México") == ["mexico"]
    assert search.terms("   ") == []
    assert search.terms('* " -- : ( )') == []
    assert len(search.terms(" ".join(f"w{i}" for i in range(40)))) == MAX_TERMS


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_terms_are_plain_words(query: str) -> None:
    for term in search.terms(query):
        assert term.isalnum(), term


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_terms_of_any_text_are_alphanumeric_and_folded(query: str) -> None:
    found = search.terms(query)
    assert len(found) <= MAX_TERMS
    for term in found:
        assert term.isalnum()
        assert search.fold(term) == term
