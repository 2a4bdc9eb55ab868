"""Writes of the funding app. Amounts are decimals; every contribution keeps its own currency
and the rate to US dollars recorded with it."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cicte.access import permissions as roles
from cicte.core import audit
from cicte.core.errors import ApplicationError, NotAllowed
from cicte.core.versioning import check_version
from cicte.directory.models import MemberState, Organization
from cicte.funding.models import (
    Budget,
    Contribution,
    ContributionStatus,
    Donor,
    DonorKind,
    FundingNeed,
)
from cicte.funding.money import MoneyError, normalize_currency, parse_amount
from cicte.plan.models import Funding, Program, Project, Target, WorkPlan


class FundingErrorCode(enum.StrEnum):
    FORBIDDEN = "forbidden"
    NEGATIVE_AMOUNT = "negative_amount"
    UNKNOWN_CURRENCY = "unknown_currency"
    BAD_RATE = "bad_rate"
    INVALID = "invalid"


def _require_everything(actor: Any) -> None:
    if not roles.can_edit_program(actor, None):
        raise NotAllowed(_("You may not record funding."), code=FundingErrorCode.FORBIDDEN)


def _require_program(actor: Any, program: Program) -> None:
    if not roles.can_edit_program(actor, program):
        raise NotAllowed(
            _("You may not edit the funding of this program."), code=FundingErrorCode.FORBIDDEN
        )


def _positive(value: object, *, allow_zero: bool = False) -> Decimal:
    try:
        amount = parse_amount(value)
    except MoneyError:
        raise ApplicationError(
            FundingErrorCode.INVALID, _("%(value)s is not an amount.") % {"value": value}
        ) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ApplicationError(
            FundingErrorCode.NEGATIVE_AMOUNT,
            _("The amount must be greater than zero (got %(value)s).") % {"value": value}
            if not allow_zero
            else _("The amount cannot be negative (got %(value)s).") % {"value": value},
        )
    return amount


def donor_create(
    *,
    actor: Any,
    kind: str,
    member_state: MemberState | None = None,
    organization: Organization | None = None,
    observer_name: str = "",
) -> Donor:
    _require_everything(actor)
    observer_name = observer_name.strip()
    expected = {
        DonorKind.MEMBER_STATE: member_state is not None and organization is None,
        DonorKind.ORGANIZATION: organization is not None and member_state is None,
        DonorKind.PERMANENT_OBSERVER: bool(observer_name)
        and member_state is None
        and organization is None,
    }
    if not expected.get(kind):  # type: ignore[call-overload]
        raise ApplicationError(
            FundingErrorCode.INVALID,
            _(
                "A donor is a member state, an organization or a named permanent observer "
                "(one of them, matching its kind)."
            ),
        )
    if kind != DonorKind.PERMANENT_OBSERVER:
        observer_name = ""
    try:
        with transaction.atomic():
            donor = Donor(
                kind=kind,
                member_state=member_state,
                organization=organization,
                observer_name=observer_name,
            )
            audit.save(donor, actor=actor)
    except IntegrityError:
        raise ApplicationError(FundingErrorCode.INVALID, _("This donor already exists.")) from None
    return donor


def contribution_record(
    *,
    actor: Any,
    donor: Donor,
    plan: WorkPlan,
    amount: object,
    currency: str,
    date: dt.date,
    status: str = ContributionStatus.PLEDGED,
    rate_to_usd: object = None,
    project: Project | None = None,
    program: Program | None = None,
    notes: str = "",
) -> Contribution:
    """Record a pledge or a receipt. Earmark to a project, a program, or neither (unearmarked).

    ``rate_to_usd`` is US dollars per unit of ``currency``; it may be omitted for USD only.
    """
    _require_everything(actor)
    value = _positive(amount)
    try:
        code = normalize_currency(currency)
    except MoneyError:
        raise ApplicationError(
            FundingErrorCode.UNKNOWN_CURRENCY,
            _("Unknown currency “%(code)s”: use an ISO 4217 code such as USD or EUR.")
            % {"code": currency},
        ) from None
    if rate_to_usd in (None, ""):
        if code != "USD":
            raise ApplicationError(
                FundingErrorCode.BAD_RATE,
                _("Record the rate to US dollars for an amount in %(code)s.") % {"code": code},
            )
        rate = Decimal(1)
    else:
        try:
            rate = parse_amount(rate_to_usd)
        except MoneyError:
            rate = Decimal(0)
        if rate <= 0 or (code == "USD" and rate != 1):
            raise ApplicationError(
                FundingErrorCode.BAD_RATE,
                _("The rate to US dollars must be greater than zero (and 1 for USD)."),
            )
    if status not in ContributionStatus.values:
        raise ApplicationError(FundingErrorCode.INVALID, _("Unknown status."))
    if project is not None and program is not None:
        raise ApplicationError(
            FundingErrorCode.INVALID, _("Earmark to a project or a program, not both.")
        )
    for item in (project, program):
        if item is not None and item.plan_id != plan.pk:
            raise ApplicationError(
                FundingErrorCode.INVALID, _("The project or program is not in this plan.")
            )
    with transaction.atomic():
        contribution = Contribution(
            donor=donor,
            plan=plan,
            status=status,
            amount=value,
            currency=code,
            rate_to_usd=rate,
            project=project,
            program=program,
            date=date,
            notes=notes.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.save(contribution, actor=actor)
    return contribution


def contribution_mark_received(
    *,
    actor: Any,
    contribution: Contribution,
    date: dt.date,
    rate_to_usd: object = None,
    version: int | None = None,
) -> Contribution:
    """A pledge is received; the rate may be updated to the one of the day received."""
    _require_everything(actor)
    with transaction.atomic():
        item = Contribution.objects.select_for_update().get(pk=contribution.pk)
        check_version(item, version)
        if item.status == ContributionStatus.RECEIVED:
            raise ApplicationError(FundingErrorCode.INVALID, _("Already received."))
        if rate_to_usd not in (None, ""):
            rate = _positive(rate_to_usd)
            if item.currency == "USD" and rate != 1:
                raise ApplicationError(FundingErrorCode.BAD_RATE, _("The rate for USD is 1."))
            item.rate_to_usd = rate
        item.status = ContributionStatus.RECEIVED
        item.date = date
        audit.save(item, actor=actor)
    return item


def budget_set(
    *,
    actor: Any,
    project: Project,
    amount_usd: object,
    notes: str = "",
    version: int | None = None,
) -> Budget:
    """A project's budget. ``version``: the token of the budget the editor saw (0: none)."""
    _require_program(actor, project.program)
    value = _positive(amount_usd, allow_zero=True)
    with transaction.atomic():
        budget = Budget.objects.select_for_update().filter(project=project).first()
        if budget is None:
            budget = Budget(project=project)
        elif version is not None:
            check_version(budget, version)
        budget.amount_usd = value
        budget.notes = notes.strip()
        audit.save(budget, actor=actor)
    return budget


def funding_need_set(
    *,
    actor: Any,
    target: Target,
    estimated_usd: object,
    notes: str = "",
    version: int | None = None,
) -> FundingNeed:
    """The estimated need of a target that waits for funding ("to be identified")."""
    _require_program(actor, target.project.program)
    if target.funding != Funding.TO_BE_IDENTIFIED:
        raise ApplicationError(
            FundingErrorCode.INVALID,
            _("Only targets “to be determined once funding is identified” have a funding need."),
        )
    value = _positive(estimated_usd, allow_zero=True)
    with transaction.atomic():
        need = FundingNeed.objects.select_for_update().filter(target=target).first()
        if need is None:
            need = FundingNeed(target=target)
        elif version is not None:
            check_version(need, version)
        need.estimated_usd = value
        need.notes = notes.strip()
        audit.save(need, actor=actor)
    return need
