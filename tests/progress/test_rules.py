"""Progress arithmetic and status rules as properties (pure functions, no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cicte.core.periods import parse_period
from cicte.progress.charts import rollup_chart
from cicte.progress.rules import elapsed_share, percent, target_kind, target_status
from cicte.progress.types import Rollup

quantities = st.integers(min_value=1, max_value=500)
counts = st.integers(min_value=0, max_value=1000)
shares = st.floats(min_value=0, max_value=1)


@given(quantities, counts, counts, shares)
def test_status_of_numeric_targets(quantity, delivered, planned, share):
    status = target_status(
        kind="quantitative", quantity=quantity, delivered=delivered, planned=planned, share=share
    )
    if delivered >= quantity:
        assert status == "achieved"
    elif delivered == 0 and planned == 0:
        assert status == "not_started"
    elif share >= 1.0:
        assert status == "behind"  # whole year over: behind = not achieved
    else:
        assert status in ("on_track", "behind")
        assert (status == "on_track") == (delivered / quantity >= share)


@given(st.one_of(st.none(), quantities), counts, counts, shares, st.booleans())
def test_qualitative_and_unfunded_never_get_a_numeric_status(
    quantity, delivered, planned, share, unfunded
):
    kind = target_kind(quantity=quantity, unfunded=unfunded)
    status = target_status(
        kind=kind, quantity=quantity, delivered=delivered, planned=planned, share=share
    )
    if unfunded:
        assert (kind, status) == ("unfunded", "unfunded")
    elif quantity is None:
        assert (kind, status) == ("qualitative", "qualitative")
    else:
        assert kind == "quantitative"


@given(quantities, counts)
def test_percent(quantity, delivered):
    value = percent(delivered, quantity)
    assert value is not None
    assert abs(value - 100 * delivered / quantity) <= 0.05 + 1e-9
    if delivered > quantity:
        assert value >= 100  # over-delivery shows above 100 %
    elif delivered < quantity:
        assert value <= 100
    else:
        assert value == 100


def test_percent_without_quantity_is_none():
    assert percent(3, None) is None
    assert percent(3, 0) is None


@given(st.dates(min_value=parse_period("2012").start, max_value=parse_period("2012").end))
def test_elapsed_share_grows_through_the_year(day):
    share = elapsed_share(year=2012, period=parse_period(f"2012-01-01..{day.isoformat()}"))
    assert 0 < share <= 1
    assert abs(share - (day.timetuple().tm_yday / 366)) < 1e-9


def test_chart_caps_bars_and_keeps_the_text():
    chart = rollup_chart(
        [
            Rollup(code="1", title="A", quantity=4, delivered=5, percent=125.0),
            Rollup(code="2", title="B", quantity=18, delivered=7, percent=38.9),
            Rollup(code="3", title="C"),
        ],
        of="of",
        expected=0.5,
    )
    first, second, third = chart.bars
    assert first.width == chart.bar_width
    assert first.value == "5 of 4 (125 %)"
    assert second.value == "7 of 18 (39 %)"
    assert second.width == round(7 / 18 * chart.bar_width, 1)
    assert (third.value, third.width, third.expected_x) == ("—", 0.0, None)
    assert first.expected_x == chart.label_width + chart.bar_width / 2
