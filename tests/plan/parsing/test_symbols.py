"""Document symbols are written one canonical way."""

from __future__ import annotations

import pytest

from cicte.plan.parsing.symbols import SYMBOL_RE, mandate_kind, normalize_symbol


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("AG/RES.2618 (XLI-O/11)", "AG/RES. 2618 (XLI-O/11)"),
        ("AG/RES. 2618 (XLI-O/11)", "AG/RES. 2618 (XLI-O/11)"),
        ("ag/res 2618(xli-o/11)", "AG/RES. 2618 (XLI-O/11)"),
        ("AG/RES.  2618  ( XLI - O / 11 )", "AG/RES. 2618 (XLI-O/11)"),
        ("AG/DEC. 66 (XLI-0/11)", "AG/DEC. 66 (XLI-O/11)"),
        ("AG/RES. 2397 (XXXVIII-O/08)", "AG/RES. 2397 (XXXVIII-O/08)"),
        ("AG/RES. 1 (XXXII-E/06)", "AG/RES. 1 (XXXII-E/06)"),
        ("CICTE/DEC.1/11", "CICTE/DEC. 1/11"),
        ("CICTE/DEC. 1/07", "CICTE/DEC. 1/07"),
        ("cicte/dec 01/07", "CICTE/DEC. 1/07"),
        ("CICTE/doc.12./08", "CICTE/doc.12/08"),
        ("CICTE/DOC. 12/08", "CICTE/doc.12/08"),
        ("CICTE/doc.5/12 rev. 1", "CICTE/doc.5/12 rev. 1"),
        ("CICTE/doc.5/12 Rev.1", "CICTE/doc.5/12 rev. 1"),
        ("CICTE/doc.5/12, corr. 2", "CICTE/doc.5/12 corr. 2"),
    ],
)
def test_normalize_symbol(written: str, canonical: str) -> None:
    assert normalize_symbol(written) == canonical
    assert normalize_symbol(canonical) == canonical  # idempotent


def test_unknown_text_is_only_tidied() -> None:
    assert normalize_symbol("  OEA/Ser.L/X.2.12  ") == "OEA/Ser.L/X.2.12"
    assert normalize_symbol("Resolution  1540 (2004)") == "Resolution 1540 (2004)"


@pytest.mark.parametrize(
    ("symbol", "kind"),
    [
        ("AG/RES. 2618 (XLI-O/11)", "ga_resolution"),
        ("AG/DEC. 66 (XLI-O/11)", "ga_declaration"),
        ("CICTE/DEC. 1/11", "cicte_declaration"),
        ("CICTE/doc.12/08", "cicte_decision"),
        ("OEA/Ser.L/X.2.12", None),
    ],
)
def test_mandate_kind(symbol: str, kind: str | None) -> None:
    assert mandate_kind(symbol) == kind


def test_symbol_found_inside_a_line() -> None:
    line = "Support For Implementation ... Resolution 1540 (2004) AG/RES. 2534 (XL-O/10)"
    match = SYMBOL_RE.search(line)
    assert match is not None
    assert normalize_symbol(match[0]) == "AG/RES. 2534 (XL-O/10)"
