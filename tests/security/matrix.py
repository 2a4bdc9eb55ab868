"""The permission matrix: which role may open which route. Data-driven so that routes added
later are covered by a default rule (``workspace:*`` needs Secretariat staff; everything else
outside /api/ and /admin/ is open) plus the explicit exceptions below.

Expectations: ``ALLOW`` (not 401/403, not sent to sign in), ``DENY`` (401/403/404 or sent to
sign in), ``ANY`` (depends on the data; only the personal-data check applies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ALLOW, DENY, ANY = "allow", "deny", "any"

ROLES = [
    "anonymous",
    "no_role",
    "point_of_contact",
    "donor",
    "program_manager",
    "secretariat",
    "admin",
]
STAFF = {"program_manager", "secretariat", "admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}


def expect(allowed: set[str], *, any_roles: set[str] = frozenset()) -> dict[str, str]:  # type: ignore[assignment]
    return {
        role: ANY if role in any_roles else (ALLOW if role in allowed else DENY) for role in ROLES
    }


EVERYONE = expect(set(ROLES))
WORKSPACE = expect(STAFF)
ADMINISTRATORS = expect({"admin"})
SIGNED_IN_ONLY = expect(SIGNED_IN)
NOT_CHECKED = dict.fromkeys(ROLES, ANY)


@dataclass(frozen=True)
class Rule:
    pattern: str  # regular expression on "namespace:name" (or the route when unnamed)
    expectations: dict[str, str]
    reason: str = ""
    personal_data: frozenset[str] = frozenset(STAFF)  # roles that may see participants' data


#: First match wins. Exceptions first, defaults last.
RULES = [
    Rule(
        r"^api:",
        NOT_CHECKED,
        "the API has its own matrix (test_api_matrix.py, which checks whose participants)",
        personal_data=frozenset(STAFF | {"point_of_contact"}),
    ),
    Rule(r"^admin:(login|logout)$", NOT_CHECKED, "the admin site's sign-in pages"),
    Rule(
        r"^admin:",
        {**NOT_CHECKED, "anonymous": DENY},
        "Django admin: its own staff/superuser checks; two-factor required for administrators",
    ),
    Rule(
        r"^(accounts:(login|logout|password-reset.*)|set_language)$",
        NOT_CHECKED,
        "sign-in machinery",
    ),
    Rule(r"^accounts:(user-|activity)", ADMINISTRATORS, "user management, activity log"),
    Rule(r"^accounts:history", WORKSPACE, "record history: staff"),
    Rule(
        r"^my-country$",
        expect({"point_of_contact"}, any_roles=STAFF),
        "a point of contact's own country (staff are sent to the workspace)",
        personal_data=frozenset(STAFF | {"point_of_contact"}),
    ),
    Rule(r"^accounts:", SIGNED_IN_ONLY, "own API tokens and two-factor settings"),
    Rule(
        r"^requests:",
        expect({"point_of_contact"}, any_roles=STAFF),
        "points of contact follow their country's requests; staff are sent to the queue",
    ),
    Rule(
        r"^public-funding:",
        expect({"donor"}, any_roles=STAFF | {"anonymous"}),
        "donors follow what they fund; staff are sent to the workspace",
    ),
    Rule(
        r"^forum:(index|search|autocomplete|directory|community|thread|export|attachment)$",
        EVERYONE,
        "the forum: open pages whose content is filtered per item (visible_to); an item the "
        "reader may not see is a 404 (tests/forum/test_leak_matrix.py)",
        personal_data=frozenset(),
    ),
    Rule(r"^forum:", SIGNED_IN_ONLY, "forum actions and preferences: signed-in members"),
    Rule(r"^taxii:", NOT_CHECKED, "TAXII 2.1: API tokens only (tests/forum/test_taxii.py)"),
    Rule(
        r"^workspace:forum-",
        ADMINISTRATORS,
        "the existence list and break-glass removal: administrators only",
    ),
    # The strategies database (3.A.7): public pages read through visible_to (an entry the
    # reader may not see is a 404: tests/strategies/test_leak_matrix.py); writes below.
    Rule(
        r"^strategies:submit$",
        expect({"point_of_contact", "secretariat", "admin"}),
        "submit an entry: points of contact (own state) and the Secretariat",
    ),
    Rule(
        r"^strategies:assessment-new$",
        expect({"secretariat", "admin"}),
        "new assessment: the Secretariat (assigned staff; tests/strategies/test_services.py)",
    ),
    Rule(r"^strategies:verify$", WORKSPACE, "verification: staff (the service decides)"),
    Rule(
        r"^strategies:(document-edit|archive-url|show-in-progress|assessment-ratings"
        r"|assessment-consent)$",
        {**NOT_CHECKED, "anonymous": DENY},
        "per entry: its state's points of contact and the Secretariat (tests/strategies)",
    ),
    # The knowledge base (3.B.2): pages read through visible_to for the reader (an item the
    # reader may not see is a 404: tests/knowledge/test_leak_matrix.py); writes below.
    Rule(
        r"^knowledge:(document-new|lesson-new)$",
        expect({"secretariat", "admin"}),
        "add a document or a lesson: network members and the Secretariat",
    ),
    Rule(
        r"^knowledge:event-new$",
        expect({"point_of_contact", "secretariat", "admin"}),
        "register an event: a host state's point of contact, or the Secretariat",
    ),
    Rule(r"^knowledge:view-as$", ADMINISTRATORS, "view as (read-only): administrators only"),
    Rule(r"^knowledge:subscriptions$", SIGNED_IN_ONLY, "the reader's own subscriptions"),
    Rule(
        r"^knowledge:(workspace|aar-publish|release-exercise|document-version|lesson-"
        r"(validate|publish|apply)|event-(validate|public)|team-(add|remove)|contact-add"
        r"|message-post|checklist-copy|workspace-document|task-update|subscription-remove"
        r"|view-as-stop)$",
        {**NOT_CHECKED, "anonymous": DENY},
        "per event or item: its host team, the host state or the Secretariat (tests/knowledge)",
    ),
    Rule(
        r"^roster:(invitation|answer)$",
        NOT_CHECKED,
        "roster invitation and answer links: by unguessable token (unknown token: 404)",
        personal_data=frozenset(),
    ),
    Rule(
        r"^roster:poc",
        expect({"point_of_contact"}),
        "the point of contact's roster area: their own state's nominees, requests, missions",
    ),
    Rule(
        r"^roster:",
        SIGNED_IN_ONLY,
        "the expert's own area and the point of contact's area: content filtered per reader "
        "(tests/roster/test_privacy_matrix.py)",
    ),
    Rule(
        r"^exercises:(x|x-.*|calendar)$",
        NOT_CHECKED,
        "exercise participant links and calendar feeds: by unguessable token (unknown: 404, "
        "expired or revoked: 410; tests/exercises)",
        personal_data=frozenset(),
    ),
    Rule(
        r"^exercises:",
        {**NOT_CHECKED, "anonymous": DENY},
        "exercises: signed-in users; what each sees is its exercise role's "
        "(tests/exercises/test_secrecy_matrix.py)",
        personal_data=frozenset(),
    ),
    Rule(r"^feedback:", NOT_CHECKED, "questionnaire by personal token (unknown token: 404)"),
    Rule(
        r"^workspace:event-import$",
        expect({"secretariat", "admin"}),
        "imports may touch every program: not for program managers",
    ),
    Rule(
        r"^scholarships:completions$",
        expect({"donor", *STAFF}),
        "scholarship completions by state, sex and course: staff and donors (no names)",
    ),
    Rule(
        r"^scholarships:(nominate|withdraw)$",
        {**NOT_CHECKED, "anonymous": DENY},
        "points of contact for their own state (tests/scholarships/test_rules.py)",
    ),
    Rule(r"^ops:jobs$", SIGNED_IN_ONLY, "the background jobs the user started"),
    Rule(
        r"^ops:job",
        NOT_CHECKED,
        "one job's page and file: its owner only, others get 404 (tests/ops/test_jobs.py)",
    ),
    Rule(r"^workspace:", WORKSPACE, "default: the staff workspace"),
    Rule(r".*", EVERYONE, "default: public pages", personal_data=frozenset()),
]


def rule_for(name: str) -> Rule:
    for rule in RULES:
        if re.search(rule.pattern, name):
            return rule
    raise AssertionError(name)  # the last rule matches everything


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "workspace/events/<int:pk>/"
    name: str  # e.g. "workspace:event"
    pattern: URLPattern


def walk(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern of the project, with its full route and namespaced name."""
    routes: list[Route] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            routes += walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            full = f"{namespace}:{name}" if namespace and name else (name or namespace + ":")
            if not name:
                full = f"{namespace}:{prefix}{entry.pattern}" if namespace else str(entry.pattern)
            routes.append(Route(prefix + str(entry.pattern), full, entry))
    return routes


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def fill(route: str, values: dict[str, Any], by_segment: dict[str, Any]) -> str | None:
    """The route with its parameters filled from fixtures (None for regex routes)."""
    if route.startswith("^") or "(?P<" in route:
        return None

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        if name == "pk" and before in by_segment:
            return str(by_segment[before])
        if name in values:
            return str(values[name])
        return "1" if match["conv"] == "int" else "x"

    return "/" + _PARAM.sub(value, route)
