from __future__ import annotations

import datetime as dt

import pytest

from cicte.core.periods import parse_period
from cicte.reports.build import report_data
from tests.reports.factories import Scenario, build_scenario

ISSUED = dt.date(2012, 7, 16)


@pytest.fixture
def scenario(db) -> Scenario:
    return build_scenario()


@pytest.fixture
def report_en(scenario):
    return report_data(
        plan=scenario.plan, period=parse_period("2012-H1"), language="en", issued=ISSUED
    )


@pytest.fixture
def report_es(scenario):
    return report_data(
        plan=scenario.plan, period=parse_period("2012-H1"), language="es", issued=ISSUED
    )
