"""Who sees and does what in an exercise: decided once, here, by **exercise role**.

The secrecy rule (issue 14): players never see the MSEL, expected actions, future or
contingency injects, the Controller/Evaluator Handbook, observations or draft ratings; the
After-Action Report draft is visible only to the director and the evaluators until it is
final. Every path (pages, API, iCalendar, exports, search, mail) reads through the filters
below (``Model.objects.visible_to(actor)``), so the rule is written once.

* director: everything of the exercise;
* planner, controller, simulator: the design, the whole MSEL, the handbook, all responses,
  the hot wash (not the simulator);
* evaluator: as a controller, plus the observations and the AAR draft;
* player (one team): the overview and the Situation Manual; the injects *released* to their
  team; their team's responses; the AAR once final;
* observer: the overview, the Situation Manual, the live feed of released injects; the AAR
  once final.

Secretariat staff without a role in an exercise see its overview (it counts in the plan) and
its final AAR, nothing else; they may assign roles (an audited act). The command line
(``SYSTEM``) acts as a director. Models are looked up by name: ``models.py`` builds its
querysets on this module, so this module does not import it back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cicte.access import permissions as roles
from cicte.core.types import SYSTEM
from cicte.delivery import permissions as delivery_permissions


class ExerciseRole(models.TextChoices):
    DIRECTOR = "director", _("Exercise director")
    PLANNER = "planner", _("Planner")
    CONTROLLER = "controller", _("Controller / facilitator")
    EVALUATOR = "evaluator", _("Evaluator")
    SIMULATOR = "simulator", _("Simulation cell")
    PLAYER = "player", _("Player")
    OBSERVER = "observer", _("Observer")


R = ExerciseRole
#: Exercise staff: they hold the MSEL and the Controller/Evaluator Handbook.
STAFF = frozenset({R.DIRECTOR, R.PLANNER, R.CONTROLLER, R.EVALUATOR, R.SIMULATOR})
DESIGNERS = frozenset({R.DIRECTOR, R.PLANNER})
CONTROLLERS = frozenset({R.DIRECTOR, R.CONTROLLER})
EVALUATORS = frozenset({R.DIRECTOR, R.EVALUATOR})
HOT_WASH = frozenset({R.DIRECTOR, R.PLANNER, R.CONTROLLER, R.EVALUATOR})
EVERY_ROLE = frozenset(R)


@dataclass
class ExternalActor:
    """A participant without an account, reaching the exercise through their link."""

    participant: Any
    is_authenticated: bool = False
    is_active: bool = True
    is_anonymous: bool = True
    pk: None = None

    def __str__(self) -> str:
        return f"participant link: {self.participant.name}"


@dataclass
class Grants:
    """What one actor holds: exercise id → roles, and player team ids."""

    roles: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    teams: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    everything: bool = False

    def exercises(self, wanted: frozenset[str]) -> list[int]:
        return sorted(pk for pk, held in self.roles.items() if held & wanted)

    def team_ids(self) -> list[int]:
        return sorted({t for teams in self.teams.values() for t in teams})


def grants(actor: Any) -> Grants:
    result = Grants()
    if actor is SYSTEM:
        result.everything = True
        return result
    if isinstance(actor, ExternalActor):
        person = actor.participant
        if person.is_valid():
            result.roles[person.exercise_id].add(person.role)
            if person.team_id:
                result.teams[person.exercise_id].add(person.team_id)
        return result
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return result
    membership = apps.get_model("exercises", "Membership")
    for exercise_id, role, team_id in membership.objects.filter(user_id=actor.pk).values_list(
        "exercise_id", "role", "team_id"
    ):
        result.roles[exercise_id].add(role)
        if team_id:
            result.teams[exercise_id].add(team_id)
    return result


def roles_in(actor: Any, exercise: Any) -> set[str]:
    held = grants(actor)
    if held.everything:
        return {str(r) for r in EVERY_ROLE} - {R.PLAYER.value, R.OBSERVER.value}
    return set(held.roles.get(exercise.pk, set()))


def player_teams(actor: Any, exercise: Any) -> set[int]:
    return set(grants(actor).teams.get(exercise.pk, set()))


def _has(actor: Any, exercise: Any, wanted: frozenset[str]) -> bool:
    return bool(roles_in(actor, exercise) & wanted)


# --- read filters (the querysets' visible_to) --------------------------------------------

_ALL = Q()
_NONE = Q(pk__in=[])


def exercise_filter(actor: Any) -> Q:
    held = grants(actor)
    if held.everything or roles.is_secretariat(actor):
        return _ALL
    return Q(pk__in=held.exercises(EVERY_ROLE))


def inject_filter(actor: Any) -> Q:
    """Staff: the whole MSEL. Players: released injects addressed to their team.
    Observers: the released injects (the live feed)."""
    held = grants(actor)
    if held.everything:
        return _ALL
    released = Q(status="released")
    return (
        Q(exercise_id__in=held.exercises(STAFF))
        | (released & Q(exercise_id__in=held.exercises(frozenset({R.OBSERVER}))))
        | (released & Q(teams__in=held.team_ids()))
    )


def response_filter(actor: Any) -> Q:
    held = grants(actor)
    if held.everything:
        return _ALL
    return Q(inject__exercise_id__in=held.exercises(STAFF)) | Q(team_id__in=held.team_ids())


def observation_filter(actor: Any) -> Q:
    held = grants(actor)
    return _ALL if held.everything else Q(exercise_id__in=held.exercises(EVALUATORS))


def hotwash_filter(actor: Any) -> Q:
    held = grants(actor)
    return _ALL if held.everything else Q(exercise_id__in=held.exercises(HOT_WASH))


def report_filter(actor: Any) -> Q:
    """The draft: director and evaluators. Final: every participant, and Secretariat staff."""
    held = grants(actor)
    if held.everything:
        return _ALL
    final = Q(status="final")
    condition = Q(exercise_id__in=held.exercises(EVALUATORS)) | (
        final & Q(exercise_id__in=held.exercises(EVERY_ROLE))
    )
    if roles.is_secretariat(actor):
        condition |= final
    return condition


def session_filter(actor: Any) -> Q:
    held = grants(actor)
    if held.everything:
        return _ALL
    return Q(exercise_id__in=held.exercises(STAFF)) | (
        Q(staff_only=False) & Q(exercise_id__in=held.exercises(EVERY_ROLE))
    )


# --- predicates (services check them; pages use them to hide what a role cannot use) -----


def can_create_exercise(actor: Any, event: Any) -> bool:
    """Whoever may edit the delivery event (Secretariat, its program's manager)."""
    return actor is SYSTEM or delivery_permissions.can_edit_event(actor, event)


def can_manage_roles(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, DESIGNERS) or roles.can_edit_everything(actor)


def can_design(actor: Any, exercise: Any) -> bool:
    """Objectives, modules, the MSEL and its import."""
    return _has(actor, exercise, DESIGNERS)


def can_see_msel(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, STAFF)


def can_control(actor: Any, exercise: Any) -> bool:
    """Start, pause, resume, end; release or skip injects; add a contingency inject."""
    return _has(actor, exercise, CONTROLLERS)


def can_evaluate(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, EVALUATORS)


def can_write_hotwash(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, HOT_WASH)


def can_edit_report(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, EVALUATORS)


def can_finalize_report(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, frozenset({R.DIRECTOR}))


def can_play(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, frozenset({R.PLAYER}))


def can_view_statistics(actor: Any, exercise: Any) -> bool:
    return _has(actor, exercise, STAFF)
