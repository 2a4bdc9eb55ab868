"""The IATI 2.03 activity file as an ordered registry of small element functions (the way
Akvo RSR's export is built): each function turns one :class:`~cicte.iati.data.Activity` into
the elements of one kind, and the registry's order is the schema's sequence.

To add an element: write ``def name(activity, plan) -> list[Element]`` and register it with
``@element(order)`` at the place the schema's ``iati-activity`` sequence puts it.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal

from cicte.iati.data import Activity, IatiPlan, Money

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ElementFunction = Callable[[Activity, IatiPlan], list[ET.Element]]
_REGISTRY: list[tuple[int, str, ElementFunction]] = []

TBD = "To be determined once funding is identified"


def element(order: int) -> Callable[[ElementFunction], ElementFunction]:
    def register(function: ElementFunction) -> ElementFunction:
        _REGISTRY.append((order, function.__name__, function))
        _REGISTRY.sort(key=lambda entry: entry[0])
        return function

    return register


def registered() -> list[str]:
    return [name for _, name, _ in _REGISTRY]


def _el(tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    node = ET.Element(tag, {k.replace("_", "-"): v for k, v in attributes.items() if v != ""})
    if text is not None:
        node.text = text
    return node


def _narrative(parent: ET.Element, text: str, language: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, "narrative")
    if language:
        node.set(XML_LANG, language)
    node.text = text
    return node


def _text(tag: str, text: str, **attributes: str) -> ET.Element:
    node = _el(tag, **attributes)
    _narrative(node, text)
    return node


def _date(day: dt.date) -> str:
    return day.isoformat()


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _value(money: Money) -> ET.Element:
    return _el("value", _amount(money.value), currency=money.currency, value_date=_date(money.date))


@element(10)
def iati_identifier(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    return [_el("iati-identifier", activity.identifier)]


@element(20)
def reporting_org(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    node = _el("reporting-org", ref=plan.reporter.ref, type=plan.reporter.type)
    if plan.reporter.name:
        _narrative(node, plan.reporter.name)
    return [node]


@element(30)
def title(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    return [_text("title", f"{activity.code} {activity.title}")]


@element(40)
def description(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    general = _text(
        "description",
        f"{plan.plan.title} ({plan.plan.symbol}). {activity.work_area} — {activity.program}. "
        f"Project {activity.code}: {activity.title}",
        type="1",
    )
    nodes = [general]
    if activity.unfunded_targets:
        nodes.append(
            _text(
                "description",
                f"{TBD}: targets {', '.join(activity.unfunded_targets)}.",
                type="4",
            )
        )
    return nodes


@element(50)
def participating_org(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    nodes = []
    for funder in activity.funders:
        nodes.append(_text("participating-org", funder, role="1"))
    accountable = _el("participating-org", ref=plan.reporter.ref, type=plan.reporter.type, role="2")
    _narrative(accountable, plan.reporter.name or plan.reporter.ref)
    nodes.append(accountable)
    implementing = _el(
        "participating-org", ref=plan.reporter.ref, type=plan.reporter.type, role="4"
    )
    _narrative(implementing, plan.reporter.name or plan.reporter.ref)
    nodes.append(implementing)
    for partner in activity.partners:
        nodes.append(_text("participating-org", partner, role="4"))
    return nodes


@element(60)
def activity_status(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    return [_el("activity-status", code=activity.status)]


@element(70)
def activity_date(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    nodes = [
        _el("activity-date", type="1", iso_date=_date(activity.planned_start)),
        _el("activity-date", type="3", iso_date=_date(activity.planned_end)),
    ]
    if activity.actual_start:
        nodes.insert(1, _el("activity-date", type="2", iso_date=_date(activity.actual_start)))
    if activity.actual_end:
        nodes.append(_el("activity-date", type="4", iso_date=_date(activity.actual_end)))
    return nodes


@element(80)
def activity_scope(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    # IATI ActivityScope: 4 national (one country), 3 multi-national, 2 regional (none yet).
    count = len(activity.countries)
    return [_el("activity-scope", code="4" if count == 1 else "3" if count else "2")]


@element(90)
def recipient_country(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    if not activity.countries:
        # No event held yet: the Americas as the region (OECD DAC region 498, "America, regional").
        return [_el("recipient-region", code="498", vocabulary="1", percentage="100")]
    return [
        _el("recipient-country", code=code, percentage=f"{share}")
        for code, share in activity.countries
    ]


@element(100)
def sector(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    return [_el("sector", vocabulary="1", code=activity.sector, percentage="100")]


@element(110)
def budget(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    if activity.budget is None:
        return []
    node = _el("budget", type="1", status="1")
    node.append(_el("period-start", iso_date=_date(activity.planned_start)))
    node.append(_el("period-end", iso_date=_date(activity.planned_end)))
    node.append(_value(activity.budget))
    return [node]


@element(120)
def transaction(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    nodes = []
    for item in activity.transactions:
        node = _el("transaction")
        node.append(_el("transaction-type", code=item.code))
        node.append(_el("transaction-date", iso_date=_date(item.date)))
        node.append(_value(item.money))
        if item.description:
            node.append(_text("description", item.description))
        if item.provider:
            node.append(_text("provider-org", item.provider))
        nodes.append(node)
    return nodes


@element(130)
def result(activity: Activity, plan: IatiPlan) -> list[ET.Element]:
    if not activity.indicators:
        return []
    node = _el("result", type="1", aggregation_status="1")  # output; values add up
    node.append(_text("title", f"{activity.code} {activity.title}"))
    for item in activity.indicators:
        indicator = _el("indicator", measure="1" if item.quantitative else "5", ascending="1")
        indicator.append(_text("title", f"{item.code} {item.title}"))
        if item.unfunded:
            indicator.append(_text("description", TBD))
        for period in item.periods:
            part = ET.SubElement(indicator, "period")
            part.append(_el("period-start", iso_date=_date(period.period.start)))
            part.append(_el("period-end", iso_date=_date(period.period.end)))
            if item.quantitative and period.target is not None:
                target = ET.SubElement(part, "target", value=str(period.target))
                if item.unfunded:
                    comment = ET.SubElement(target, "comment")
                    _narrative(comment, TBD)
            if period.actual is not None and item.quantitative:
                ET.SubElement(part, "actual", value=str(period.actual))
        node.append(indicator)
    return [node]


def activity_element(activity: Activity, plan: IatiPlan) -> ET.Element:
    node = _el(
        "iati-activity",
        last_updated_datetime=plan.generated.isoformat(),
        default_currency="USD",
    )
    node.set(XML_LANG, plan.language)
    for _, _, function in _REGISTRY:
        node.extend(function(activity, plan))
    return node


def activities_document(plan: IatiPlan) -> bytes:
    root = _el("iati-activities", version="2.03", generated_datetime=plan.generated.isoformat())
    for activity in plan.activities:
        root.append(activity_element(activity, plan))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
