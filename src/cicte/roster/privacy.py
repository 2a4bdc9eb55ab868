"""Field-level redaction, decided in one place, and the read-audit of sensitive fields.

Every path that shows an expert (web pages, the API, exports, search results, e-mail)
builds what it shows with :func:`expert_view` — never from the model directly — so the
decision "may this reader see this field?" is taken here once. A sensitive value shown to
someone is recorded in :class:`~cicte.roster.models.SensitiveRead` (who, which fields,
which expert, which path, when).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cicte.core.types import actor_user
from cicte.roster import permissions
from cicte.roster.models import Assignment, Expert, ReadPath, SensitiveRead

#: The sensitive fields of an expert (see docs/roster.md, "Privacy").
SENSITIVE_FIELDS: tuple[str, ...] = (
    "phone",
    "passport_number",
    "passport_expiry",
    "emergency_contact",
    "insurance",
    "medical_notes",
)
#: The sensitive fields of an assignment.
APPRAISAL_FIELDS: tuple[str, ...] = ("appraisal_rating", "appraisal")

#: Paths on which sensitive fields may ever be shown (never in search results or e-mail).
SHOWING_PATHS = frozenset({ReadPath.PAGE, ReadPath.API, ReadPath.EXPORT})


@dataclass
class AppraisalView:
    mission: str
    role: str
    start: dt.date
    end: dt.date
    experience: str
    rating: int | None = None
    appraisal: str | None = None


@dataclass
class ExpertView:
    """What one reader may see of one expert. Sensitive values are None when redacted."""

    id: int
    name: str
    nationality: str
    nominator: str
    status: str
    vetting_category: str
    vetted_on: dt.date | None
    notice_hours: int
    skills: list[tuple[str, str, int]]  # (identifier, title, level)
    languages: list[tuple[str, str]]
    sensitive_visible: bool
    email: str | None = None
    sensitive: dict[str, Any] = field(default_factory=dict)
    appraisals: list[AppraisalView] = field(default_factory=list)


def may_see(actor: Any, expert: Expert, path: str) -> bool:
    """Whether ``actor`` sees ``expert``'s sensitive fields on ``path`` — the one decision."""
    return path in SHOWING_PATHS and permissions.can_see_sensitive(actor, expert)


def record_reads(actor: Any, experts: Iterable[Expert], fields: Sequence[str], path: str) -> None:
    """Log that ``actor`` was shown ``fields`` of each expert (one row per expert)."""
    user = actor_user(actor)
    label = user.get_username() if user is not None else str(actor)
    rows = [
        SensitiveRead(reader=user, reader_label=label, expert=e, fields=",".join(fields), path=path)
        for e in experts
    ]
    if rows:
        SensitiveRead.objects.bulk_create(rows)


def _prefetched(experts: Sequence[Expert]) -> None:
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        list(experts),
        "skills__skill",
        "languages",
        "nominating_state",
        "nominating_organisation",
    )


def expert_views(
    actor: Any, experts: Sequence[Expert], *, path: str, appraisals: bool = False
) -> list[ExpertView]:
    """The redacted views of ``experts`` for ``actor`` on ``path`` (reads logged)."""
    experts = list(experts)
    _prefetched(experts)
    shown: list[Expert] = []
    result = []
    assignments: dict[int, list[Assignment]] = {}
    if appraisals:
        for a in Assignment.objects.filter(expert__in=experts).select_related("mission"):
            assignments.setdefault(a.expert_id, []).append(a)
    for e in experts:
        visible = may_see(actor, e, path)
        own = permissions.is_own(actor, e)
        view = ExpertView(
            id=e.pk,
            name=e.name,
            nationality=e.nationality,
            nominator=e.nominator_label,
            status=e.status,
            vetting_category=e.vetting_category,
            vetted_on=e.vetted_on,
            notice_hours=e.notice_hours,
            skills=[(s.skill.identifier, s.skill.title, s.level) for s in e.skills.all()],
            languages=[(lang.language, lang.level) for lang in e.languages.all()],
            sensitive_visible=visible,
            email=e.email if (permissions.is_staff(actor) or own) else None,
        )
        if visible:
            view.sensitive = {name: getattr(e, name) for name in SENSITIVE_FIELDS}
            shown.append(e)
        for a in assignments.get(e.pk, []):
            item = AppraisalView(
                mission=a.mission.title,
                role=a.role,
                start=a.start,
                end=a.end,
                experience=a.experience,
            )
            if visible:
                item.rating = a.appraisal_rating
                item.appraisal = a.appraisal
            view.appraisals.append(item)
        result.append(view)
    fields = SENSITIVE_FIELDS + (APPRAISAL_FIELDS if appraisals else ())
    record_reads(actor, [e for e in shown if not permissions.is_own(actor, e)], fields, path)
    return result


def expert_view(actor: Any, expert: Expert, *, path: str, appraisals: bool = True) -> ExpertView:
    return expert_views(actor, [expert], path=path, appraisals=appraisals)[0]
