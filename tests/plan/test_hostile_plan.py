"""Regressions (issue 10, items 8 and 9): hostile plan documents end with one clear line and
an unchanged database — in the pure parser and through ``cicte import-plan`` (plans have no
web or API import)."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from cicte.plan.models import Target, WorkPlan
from cicte.plan.parsing.canonical import loads_json, loads_yaml, plan_to_dict
from cicte.plan.parsing.types import PlanParseError

DEEP = 100_000


def deep_json() -> str:
    return '{"symbol": "X", "extra": ' + "[" * DEEP + "]" * DEEP + "}"


def deep_yaml() -> str:
    return "symbol: X\nextra: " + "[" * DEEP + "]" * DEEP + "\n"


def huge_plan(plan_2012_document, **changes: object) -> dict:
    data = copy.deepcopy(plan_to_dict(plan_2012_document))
    target = data["work_areas"][0]["programs"][0]["projects"][0]["targets"][0]
    target["quantity"] = changes.get("quantity", target["quantity"])
    if "number" in changes:
        data["work_areas"][0]["number"] = changes["number"]
    return data


def test_parser_bounds_nesting_depth():
    for loads, text in ((loads_json, deep_json()), (loads_yaml, deep_yaml())):
        with pytest.raises(PlanParseError, match="nested more than"):
            loads(text)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"quantity": 2**40}, "quantity"), ({"number": 70_000}, "number")],
)
def test_parser_bounds_numbers(plan_2012_document, changes, field):
    with pytest.raises(PlanParseError) as raised:
        loads_json(json.dumps(huge_plan(plan_2012_document, **changes)))
    message = str(raised.value)
    assert field in message and "\n" not in message


def _import(path):
    call_command("import_plan", str(path), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_command_refuses_deep_nesting(tmp_path, suffix):
    path = tmp_path / f"plan.{suffix}"
    path.write_text(deep_json() if suffix == "json" else deep_yaml(), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        _import(path)
    message = str(raised.value)
    assert "nested more than" in message and "\n" not in message
    assert not WorkPlan.objects.exists()


@pytest.mark.django_db
def test_command_refuses_huge_quantity(tmp_path, plan_2012_document):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(huge_plan(plan_2012_document, quantity=2**40)), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        _import(path)
    assert "quantity" in str(raised.value) and "2147483647" in str(raised.value)
    assert not WorkPlan.objects.exists() and not Target.objects.exists()


def test_text_layout_plans_are_bounded_too(plan_2012_document):
    from cicte.plan.parsing.canonical import check_bounds

    plan = copy.deepcopy(plan_2012_document)
    check_bounds(plan)  # the real plan is within bounds
    target = plan.work_areas[0].programs[0].projects[0].targets[0]
    target.quantity = 2**31
    with pytest.raises(PlanParseError, match=rf"target {target.code}: quantity must be at most"):
        check_bounds(plan)
