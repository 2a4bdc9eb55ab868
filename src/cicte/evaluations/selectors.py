"""Reads of the evaluations app. Feedback averages are exact (sums ÷ counts) and computed per
event first, so an event that counts toward several targets is never counted twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from cicte.core.periods import Period
from cicte.delivery.models import Event, EventTarget
from cicte.evaluations.models import (
    Evaluation,
    EvaluationKind,
    Questionnaire,
    Recommendation,
    RecommendationStatus,
    Response,
)
from cicte.plan.models import Program, Project, WorkPlan

SCORES = ("satisfaction", "relevance", "knowledge_before", "knowledge_after")


@dataclass
class _Sums:
    count: int = 0
    satisfaction: int = 0
    relevance: int = 0
    knowledge_before: int = 0
    knowledge_after: int = 0

    def add(self, other: _Sums) -> None:
        self.count += other.count
        for name in SCORES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _avg(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FeedbackSummary:
    """Participant feedback on a 1–5 scale; averages rounded to 2 decimals (None: no answers)."""

    responses: int
    events: int
    satisfaction: Decimal | None
    relevance: Decimal | None
    knowledge_before: Decimal | None
    knowledge_after: Decimal | None

    @property
    def knowledge_gain(self) -> Decimal | None:
        if self.knowledge_before is None or self.knowledge_after is None:
            return None
        return self.knowledge_after - self.knowledge_before

    @classmethod
    def from_sums(cls, sums: _Sums, events: int) -> FeedbackSummary:
        return cls(
            responses=sums.count,
            events=events,
            **{name: _avg(getattr(sums, name), sums.count) for name in SCORES},
        )


def _sums_by_event(event_filter: Q) -> dict[int, _Sums]:
    rows = (
        Response.objects.filter(event_filter)
        .values("questionnaire__event_id")
        .annotate(n=Count("id"), **{f"s_{name}": Sum(name) for name in SCORES})
        .order_by()
    )
    return {
        row["questionnaire__event_id"]: _Sums(
            count=row["n"], **{name: row[f"s_{name}"] or 0 for name in SCORES}
        )
        for row in rows
    }


def _summary(event_filter: Q) -> FeedbackSummary:
    total = _Sums()
    per_event = _sums_by_event(event_filter)
    for sums in per_event.values():
        total.add(sums)
    return FeedbackSummary.from_sums(total, events=len(per_event))


def feedback_for_event(*, event: Event) -> FeedbackSummary:
    return _summary(Q(questionnaire__event=event))


def feedback_by_event(*, event_ids: list[int]) -> dict[int, FeedbackSummary]:
    """Feedback of each of these events (one query); events without answers are left out."""
    return {
        event_id: FeedbackSummary.from_sums(sums, events=1)
        for event_id, sums in _sums_by_event(Q(questionnaire__event_id__in=event_ids)).items()
    }


def feedback_for_project(*, project: Project) -> FeedbackSummary:
    events = EventTarget.objects.filter(target__project=project).values("event_id")
    return _summary(Q(questionnaire__event_id__in=events))


def feedback_for_program(*, program: Program) -> FeedbackSummary:
    events = EventTarget.objects.filter(target__project__program=program).values("event_id")
    return _summary(Q(questionnaire__event_id__in=events))


@dataclass(frozen=True)
class ProgramFeedback:
    program: Program
    feedback: FeedbackSummary


def feedback_by_program(*, plan: WorkPlan, period: Period | None = None) -> list[ProgramFeedback]:
    """Feedback per program of a plan (events held in the period, by end date); 3 queries."""
    event_filter = Q(questionnaire__event__plan=plan)
    if period is not None:
        event_filter &= Q(
            questionnaire__event__end_date__gte=period.start,
            questionnaire__event__end_date__lte=period.end,
        )
    per_event = _sums_by_event(event_filter)
    pairs = (
        EventTarget.objects.filter(event_id__in=list(per_event))
        .values_list("event_id", "target__project__program_id")
        .distinct()
    )
    by_program: dict[int, _Sums] = defaultdict(_Sums)
    events_by_program: dict[int, int] = defaultdict(int)
    for event_id, program_id in pairs:
        by_program[program_id].add(per_event[event_id])
        events_by_program[program_id] += 1
    programs = Program.objects.filter(pk__in=list(by_program)).order_by("position")
    return [
        ProgramFeedback(
            program=p, feedback=FeedbackSummary.from_sums(by_program[p.pk], events_by_program[p.pk])
        )
        for p in programs
    ]


def _evaluations() -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related("project", "project__program", "event")


def evaluation_list(
    *, kind: str | None = None, plan: WorkPlan | None = None
) -> QuerySet[Evaluation]:
    qs = _evaluations().annotate(
        open_recommendations=Count(
            "recommendations", filter=~Q(recommendations__status=RecommendationStatus.CLOSED)
        ),
        total_recommendations=Count("recommendations"),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if plan is not None:
        qs = qs.filter(Q(project__plan=plan) | Q(event__plan=plan))
    return qs.order_by("-date", "-id")


def recommendation_tracker(
    *, status: str | None = None, open_only: bool = True
) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.select_related(
        "evaluation", "owner", "evaluation__project", "evaluation__event"
    )
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.exclude(status=RecommendationStatus.CLOSED)
    return qs.order_by("due_date", "id")


def recommendations_followed_up(*, evaluation: Evaluation) -> QuerySet[Recommendation]:
    """For a follow-up evaluation (4.A): the recommendations of the earlier evaluations of the
    same subject — the same event, or the same project, or an event counting toward a target
    of that project (e.g. an exercise's improvement plan) — that it checks on."""
    if evaluation.kind != EvaluationKind.FOLLOW_UP:
        return Recommendation.objects.none()
    subject = Q(pk__in=[])
    if evaluation.event_id:
        subject |= Q(evaluation__event_id=evaluation.event_id)
    if evaluation.project_id:
        subject |= Q(evaluation__project_id=evaluation.project_id) | Q(
            evaluation__event__in=EventTarget.objects.filter(
                target__project_id=evaluation.project_id
            ).values("event_id")
        )
    return (
        Recommendation.objects.filter(subject, evaluation__date__lte=evaluation.date)
        .exclude(evaluation=evaluation)
        .select_related("evaluation", "owner")
        .order_by("due_date", "id")
    )


def recommendations_past_due(*, today: dt.date | None = None) -> list[Recommendation]:
    today = today or timezone.localdate()
    return list(recommendation_tracker(open_only=True).filter(due_date__lt=today))


def questionnaire_for_event(*, event: Event) -> Questionnaire | None:
    return Questionnaire.objects.filter(event=event).first()


@dataclass(frozen=True)
class EvaluationRow:
    kind: str
    kind_label: str
    subject: str
    date: dt.date
    evaluator: str
    rating: int | None
    findings: str
    recommendations_total: int
    recommendations_open: int
    recommendations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EvaluationsReport:
    """Evaluation results of a plan in a period: the report section's data."""

    period_label: str
    evaluations: list[EvaluationRow]
    recommendations_total: int
    recommendations_closed: int
    recommendations_past_due: int
    feedback: FeedbackSummary
    feedback_by_program: list[ProgramFeedback]


def evaluations_in_period(*, plan: WorkPlan, period: Period) -> EvaluationsReport:
    """Evaluations dated in the period, their recommendations and participant feedback."""
    evaluations = list(
        _evaluations()
        .filter(Q(project__plan=plan) | Q(event__plan=plan))
        .filter(date__gte=period.start, date__lte=period.end)
        .prefetch_related("recommendations")
        .order_by("date", "id")
    )
    rows = []
    total = closed = past_due = 0
    for item in evaluations:
        recs = list(item.recommendations.all())
        open_recs = [r for r in recs if r.status != RecommendationStatus.CLOSED]
        total += len(recs)
        closed += len(recs) - len(open_recs)
        past_due += sum(1 for r in open_recs if r.due_date and r.due_date < period.end)
        rows.append(
            EvaluationRow(
                kind=item.kind,
                kind_label=str(item.get_kind_display()),
                subject=item.subject,
                date=item.date,
                evaluator=item.evaluator,
                rating=item.rating,
                findings=item.findings,
                recommendations_total=len(recs),
                recommendations_open=len(open_recs),
                recommendations=[r.text for r in recs],
            )
        )
    by_program = feedback_by_program(plan=plan, period=period)
    overall = _summary(
        Q(
            questionnaire__event__plan=plan,
            questionnaire__event__end_date__gte=period.start,
            questionnaire__event__end_date__lte=period.end,
        )
    )
    return EvaluationsReport(
        period_label=period.label,
        evaluations=rows,
        recommendations_total=total,
        recommendations_closed=closed,
        recommendations_past_due=past_due,
        feedback=overall,
        feedback_by_program=by_program,
    )
