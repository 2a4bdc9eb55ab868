"""Reads of scholarships: calls a user may see, the balance by state and sex while
selecting, completions by state, sex and course (no names), and the export sheets."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from cicte.core.exports import Sheet
from cicte.evaluations.selectors import FeedbackSummary, feedback_by_event
from cicte.scholarships import permissions
from cicte.scholarships.models import Nomination, NominationStatus, ScholarshipCall, Sex, Travel

AWARDED = (NominationStatus.ACCEPTED, NominationStatus.COMPLETED, NominationStatus.NOT_COMPLETED)


def calls_for(user: Any) -> QuerySet[ScholarshipCall]:
    return (
        ScholarshipCall.objects.visible_to(user)
        .select_related("provider", "target", "plan")
        .annotate(
            nominated=Count("nominations", distinct=True),
            awarded=Count("nominations", filter=Q(nominations__status__in=AWARDED), distinct=True),
        )
        .order_by("-start_date", "-id")
    )


def nominations_of(call: ScholarshipCall, user: Any) -> list[Nomination]:
    return list(
        Nomination.objects.visible_to(user)
        .filter(call=call)
        .select_related("member_state", "nominated_by", "travel")
        .prefetch_related("documents")
        .order_by(permissions_rank(), "member_state__code", "name")
    )


def permissions_rank() -> Any:
    from django.db.models import F

    return F("rank").asc(nulls_last=True)


@dataclass
class BalanceRow:
    state: str
    women: int = 0
    men: int = 0
    not_stated: int = 0
    nominated: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.not_stated


@dataclass
class Balance:
    rows: list[BalanceRow] = field(default_factory=list)
    seats: int = 0

    @property
    def women(self) -> int:
        return sum(r.women for r in self.rows)

    @property
    def men(self) -> int:
        return sum(r.men for r in self.rows)

    @property
    def awarded(self) -> int:
        return sum(r.total for r in self.rows)


def balance(call: ScholarshipCall) -> Balance:
    """Awards by member state and sex (and nominations per state), one query."""
    rows: dict[str, BalanceRow] = {}
    for code, sex, status in Nomination.objects.filter(call=call).values_list(
        "member_state__code", "sex", "status"
    ):
        row = rows.setdefault(code, BalanceRow(code))
        row.nominated += 1
        if status in AWARDED:
            if sex == Sex.FEMALE:
                row.women += 1
            elif sex == Sex.MALE:
                row.men += 1
            else:
                row.not_stated += 1
    return Balance([rows[c] for c in sorted(rows)], call.seats)


@dataclass
class CompletionRow:
    course: str
    provider: str
    state: str
    women: int = 0
    men: int = 0
    not_stated: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.not_stated


def completions(user: Any, *, plan_id: int | None = None) -> list[CompletionRow]:
    """Completed scholarships by course, member state and sex (aggregates only): every call
    for staff, the calls their organizations fund for donors (one query)."""
    if not permissions.can_view_completions(user):
        return []
    query = Nomination.objects.filter(status=NominationStatus.COMPLETED)
    organizations = permissions.donor_organization_ids(user)
    if organizations is not None:
        query = query.filter(call__funding_source_id__in=organizations)
    if plan_id is not None:
        query = query.filter(call__plan_id=plan_id)
    counts: dict[tuple[str, str, str], CompletionRow] = {}
    for course, provider, code, sex, n in (
        query.values_list("call__course", "call__provider__name", "member_state__code", "sex")
        .annotate(n=Count("id"))
        .order_by("call__course", "member_state__code", "sex")
    ):
        row = counts.setdefault((course, provider, code), CompletionRow(course, provider, code))
        if sex == Sex.FEMALE:
            row.women += n
        elif sex == Sex.MALE:
            row.men += n
        else:
            row.not_stated += n
    return list(counts.values())


@dataclass
class CallFigures:
    call: ScholarshipCall
    nominated: int
    awarded: int
    completed: int
    women_completed: int
    men_completed: int


def call_figures(calls: QuerySet[ScholarshipCall]) -> list[CallFigures]:
    """Per call: nominations, awards and completions (one query)."""
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for call_id, status, sex, n in (
        Nomination.objects.filter(call__in=calls)
        .values_list("call_id", "status", "sex")
        .annotate(n=Count("id"))
        .order_by()
    ):
        item = totals[call_id]
        item["nominated"] += n
        if status in AWARDED:
            item["awarded"] += n
        if status == NominationStatus.COMPLETED:
            item["completed"] += n
            item[f"completed_{sex}"] += n
    return [
        CallFigures(
            call,
            totals[call.pk]["nominated"],
            totals[call.pk]["awarded"],
            totals[call.pk]["completed"],
            totals[call.pk][f"completed_{Sex.FEMALE}"],
            totals[call.pk][f"completed_{Sex.MALE}"],
        )
        for call in calls.select_related("provider", "target")
    ]


def export_sheets(call: ScholarshipCall, user: Any) -> list[Sheet]:
    """Nominations and awards of a call (personal data: staff). Cells are made formula-safe
    by :mod:`cicte.core.exports`."""
    nominations = nominations_of(call, user)
    header = [
        _("Rank"),
        _("Name"),
        _("Member state"),
        _("Institution"),
        _("Position"),
        _("Sex"),
        _("E-mail"),
        _("Language"),
        _("Status"),
        _("Reason"),
        _("Confirmed"),
    ]

    def row(n: Nomination) -> list[object]:
        return [
            n.rank,
            n.name,
            n.member_state.code,
            n.institution,
            n.position,
            n.get_sex_display(),
            n.email,
            n.language,
            n.get_status_display(),
            n.decision_reason,
            n.confirmed_at.date() if n.confirmed_at else None,
        ]

    travel_header = [
        _("Name"),
        _("Member state"),
        _("Status"),
        _("Departure"),
        _("Return"),
        _("Itinerary"),
        _("Travel status"),
        _("Cost"),
        _("Currency"),
    ]
    travel_rows = [
        [
            n.name,
            n.member_state.code,
            n.get_status_display(),
            t.departure,
            t.return_date,
            t.itinerary,
            t.get_status_display(),
            t.cost,
            t.currency,
        ]
        for n in nominations
        if (t := travel_of(n)) is not None
    ]
    return [
        Sheet(_("Nominations"), header, [row(n) for n in nominations], auto_filter=True),
        Sheet(
            _("Awards"),
            header,
            [row(n) for n in nominations if n.status in AWARDED],
            auto_filter=True,
        ),
        Sheet(_("Travel"), travel_header, travel_rows, auto_filter=True),
    ]


def travel_of(nomination: Nomination) -> Travel | None:
    try:
        return nomination.travel
    except Travel.DoesNotExist:
        return None


@dataclass(frozen=True)
class CallFeedback:
    """Participant feedback of a call's completed scholars (the evaluations' questionnaire of
    the call's event): aggregates only, no answer is tied to a name."""

    course: str
    summary: FeedbackSummary


def call_feedback(call: ScholarshipCall) -> FeedbackSummary | None:
    if call.event_id is None:
        return None
    found = feedback_by_event(event_ids=[call.event_id]).get(call.event_id)
    return found or FeedbackSummary(
        responses=0,
        events=1,
        satisfaction=None,
        relevance=None,
        knowledge_before=None,
        knowledge_after=None,
    )


def feedback_of_calls(user: Any) -> list[CallFeedback]:
    """Feedback per call for the calls the reader follows (staff: all; donors: those their
    organizations fund), calls with answers only (two queries)."""
    if not permissions.can_view_completions(user):
        return []
    calls = ScholarshipCall.objects.filter(event__isnull=False)
    organizations = permissions.donor_organization_ids(user)
    if organizations is not None:
        calls = calls.filter(funding_source_id__in=organizations)
    pairs = list(calls.order_by("course").values_list("event_id", "course"))
    found = feedback_by_event(event_ids=[e for e, _c in pairs])
    return [CallFeedback(course, found[e]) for e, course in pairs if e in found]
