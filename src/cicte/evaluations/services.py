"""Writes of the evaluations app: evaluations, recommendations, questionnaires, responses."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.access import permissions as roles
from cicte.core import audit
from cicte.core.errors import ApplicationError, NotAllowed
from cicte.core.versioning import check_version
from cicte.delivery.models import Event
from cicte.evaluations.models import (
    Evaluation,
    EvaluationKind,
    Questionnaire,
    Recommendation,
    RecommendationStatus,
    Response,
)
from cicte.plan.models import Program, Project


class EvaluationErrorCode(enum.StrEnum):
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    QUESTIONNAIRE_CLOSED = "questionnaire_closed"
    ALREADY_ANSWERED = "already_answered"
    BAD_CODE = "bad_code"


SCORE_FIELDS = ("satisfaction", "relevance", "knowledge_before", "knowledge_after")
NONCE_SALT = "cicte.evaluations.response-code"


def _programs_of(*, project: Project | None, event: Event | None) -> list[Program]:
    programs: list[Program] = []
    if project is not None:
        programs.append(project.program)
    if event is not None:
        programs.extend(
            Program.objects.filter(projects__targets__contributions__event=event).distinct()
        )
    return programs


def can_manage_evaluation(user: Any, *, project: Project | None, event: Event | None) -> bool:
    """Secretariat staff who may edit everything, or the program manager of a linked program."""
    if roles.can_edit_program(user, None):
        return True
    return any(roles.can_edit_program(user, p) for p in _programs_of(project=project, event=event))


def _require(actor: Any, *, project: Project | None, event: Event | None) -> None:
    if not can_manage_evaluation(actor, project=project, event=event):
        raise NotAllowed(
            _("You may not record evaluations for this work."), code=EvaluationErrorCode.FORBIDDEN
        )


def _check_rating(rating: int | None) -> None:
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ApplicationError(
            EvaluationErrorCode.INVALID, _("The rating must be between 1 and 5.")
        )


def evaluation_create(
    *,
    actor: Any,
    kind: str,
    date: dt.date,
    evaluator: str,
    project: Project | None = None,
    event: Event | None = None,
    rating: int | None = None,
    findings: str = "",
) -> Evaluation:
    if project is None and event is None:
        raise ApplicationError(
            EvaluationErrorCode.INVALID, _("Link the evaluation to a project or an event.")
        )
    if kind not in EvaluationKind.values:
        raise ApplicationError(EvaluationErrorCode.INVALID, _("Unknown kind of evaluation."))
    if not evaluator.strip():
        raise ApplicationError(EvaluationErrorCode.INVALID, _("Name the evaluator."))
    _check_rating(rating)
    _require(actor, project=project, event=event)
    with transaction.atomic():
        evaluation = Evaluation(
            kind=kind,
            date=date,
            evaluator=evaluator.strip(),
            project=project,
            event=event,
            rating=rating,
            findings=findings.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.save(evaluation, actor=actor)
    return evaluation


def evaluation_update(
    *,
    actor: Any,
    evaluation: Evaluation,
    kind: str,
    date: dt.date,
    evaluator: str,
    project: Project | None = None,
    event: Event | None = None,
    rating: int | None = None,
    findings: str = "",
    version: int | None = None,
) -> Evaluation:
    """Correct an evaluation; the actor must be allowed on both the old and the new subject.
    ``version`` is the token the editor read: a stale one is refused."""
    _require(actor, project=evaluation.project, event=evaluation.event)
    if project is None and event is None:
        raise ApplicationError(
            EvaluationErrorCode.INVALID, _("Link the evaluation to a project or an event.")
        )
    if kind not in EvaluationKind.values:
        raise ApplicationError(EvaluationErrorCode.INVALID, _("Unknown kind of evaluation."))
    if not evaluator.strip():
        raise ApplicationError(EvaluationErrorCode.INVALID, _("Name the evaluator."))
    _check_rating(rating)
    _require(actor, project=project, event=event)
    with transaction.atomic():
        item = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        check_version(item, version)
        item.kind = kind
        item.date = date
        item.evaluator = evaluator.strip()
        item.project = project
        item.event = event
        item.rating = rating
        item.findings = findings.strip()
        audit.save(item, actor=actor)
    return item


def recommendation_add(
    *,
    actor: Any,
    evaluation: Evaluation,
    text: str,
    owner: Any = None,
    due_date: dt.date | None = None,
) -> Recommendation:
    _require(actor, project=evaluation.project, event=evaluation.event)
    if not text.strip():
        raise ApplicationError(EvaluationErrorCode.INVALID, _("Write the recommendation."))
    with transaction.atomic():
        item = Recommendation(
            evaluation=evaluation, text=text.strip(), owner=owner, due_date=due_date
        )
        audit.save(item, actor=actor)
    return item


def recommendation_set_status(
    *,
    actor: Any,
    recommendation: Recommendation,
    status: str,
    note: str = "",
    version: int | None = None,
) -> Recommendation:
    """Open → in progress → closed (a closure note is required); a closed one may be reopened.
    The owner may update their own recommendation."""
    evaluation = recommendation.evaluation
    is_owner = bool(getattr(actor, "pk", None)) and recommendation.owner_id == actor.pk
    if not is_owner:
        _require(actor, project=evaluation.project, event=evaluation.event)
    if status not in RecommendationStatus.values:
        raise ApplicationError(EvaluationErrorCode.INVALID, _("Unknown status."))
    with transaction.atomic():
        item = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        check_version(item, version)
        if status == RecommendationStatus.CLOSED:
            if not note.strip():
                raise ApplicationError(
                    EvaluationErrorCode.INVALID,
                    _("Say how the recommendation was addressed to close it."),
                )
            item.closed_at = timezone.now()
            item.closure_note = note.strip()
        else:
            item.closed_at = None
        item.status = status
        audit.save(item, actor=actor)
    return item


def questionnaire_open(*, actor: Any, event: Event) -> Questionnaire:
    """Create the event's questionnaire (with a fresh token) or reopen it."""
    _require(actor, project=None, event=event)
    with transaction.atomic():
        item = Questionnaire.objects.select_for_update().filter(event=event).first()
        if item is None:
            item = Questionnaire(event=event)
        item.is_open = True
        item.closed_at = None
        audit.save(item, actor=actor)
    return item


def questionnaire_close(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    _require(actor, project=None, event=questionnaire.event)
    with transaction.atomic():
        item = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        item.is_open = False
        item.closed_at = timezone.now()
        audit.save(item, actor=actor)
    return item


def response_code_issue(*, questionnaire: Questionnaire) -> str:
    """A signed one-time response code to embed in the form."""
    return signing.dumps({"q": questionnaire.pk, "n": secrets.token_urlsafe(16)}, salt=NONCE_SALT)


def _response_code_read(*, questionnaire: Questionnaire, code: str) -> str:
    try:
        data = signing.loads(code, salt=NONCE_SALT, max_age=60 * 60 * 24 * 30)
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("q") != questionnaire.pk or not data.get("n"):
        raise ApplicationError(
            EvaluationErrorCode.BAD_CODE,
            _("This form has expired or was altered. Open the link again."),
        )
    return str(data["n"])


def response_submit(
    *,
    questionnaire: Questionnaire,
    code: str,
    satisfaction: int,
    relevance: int,
    knowledge_before: int,
    knowledge_after: int,
    comment: str = "",
) -> Response:
    """An anonymous participant answers. Refused when the questionnaire is closed or when
    the one-time response code was already used (double submission)."""
    nonce = _response_code_read(questionnaire=questionnaire, code=code)
    scores = {
        "satisfaction": satisfaction,
        "relevance": relevance,
        "knowledge_before": knowledge_before,
        "knowledge_after": knowledge_after,
    }
    for value in scores.values():
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ApplicationError(
                EvaluationErrorCode.INVALID, _("Every answer is a score from 1 to 5.")
            )
    try:
        with transaction.atomic():
            current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
            if not current.is_open:
                raise ApplicationError(
                    EvaluationErrorCode.QUESTIONNAIRE_CLOSED,
                    _("This questionnaire is closed and no longer accepts answers."),
                )
            return Response.objects.create(
                questionnaire=current, nonce=nonce, comment=comment.strip()[:4000], **scores
            )
    except IntegrityError:
        raise ApplicationError(
            EvaluationErrorCode.ALREADY_ANSWERED, _("These answers were already submitted.")
        ) from None
