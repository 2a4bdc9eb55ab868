"""Walk every URL pattern of the project as every role: allowed or denied as the matrix says,
never a server error, and participants' names and e-mails only where the role may see them.

Rules and their reasons: tests/security/matrix.py. Parameters are filled from the world
fixture (tests/security/world.py); a 404 (no such object) counts as neither allowed nor
denied, so new routes with unknown parameters never break the walk, but a 5xx always does.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.matrix import ALLOW, ANY, DENY, ROLES, rule_for, walk
from tests.security.world import MARKER

pytestmark = pytest.mark.django_db

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (401, 403):
        return "deny"
    if status in (301, 302) and response.get("Location", "").split("?")[0].endswith(LOGIN_PATHS):
        return "deny"
    if status == 404:
        return "missing"
    if status == 405:
        return "method"
    return "allow"


def body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace").lower()


def values_for(world) -> tuple[dict, dict]:
    history_id = world.jam_event.history.first().history_id
    values = {
        "year": 2012,
        "code": "JAM",
        "plan": "2012",
        "fmt": "html",
        "token": "no-such-token",
        "uidb64": "MQ",
        "app_label": "delivery",
        "model_name": "event",
        "pk": world.jam_event.pk,
        "history_id": history_id,
        "event_id": world.jam_event.pk,
    }
    by_segment = {
        "events": world.jam_event.pk,
        "targets": world.target.pk,
        "projects": world.target.project.pk,
        "users": world.users["no_role"].pk,
        "event": world.jam_event.pk,
        "attachments": world.extra["attachment"].pk,
        "reports": world.extra["report"].pk,
    }
    return values, by_segment


def client_for(world, role: str) -> Client:
    client = world.client(role)
    client.raise_request_exception = False
    return client


def test_matrix_covers_every_route():
    routes = walk()
    assert len(routes) > 50
    for route in routes:
        rule = rule_for(route.name)
        assert set(rule.expectations) == set(ROLES), route


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    values, by_segment = values_for(world)
    client = client_for(world, role)
    problems: list[str] = []
    checked = 0
    for route in walk():
        url = route_url = None
        rule = rule_for(route.name)
        url = route_url = _url(route.route, values, by_segment)
        if url is None:
            continue
        expected = rule.expectations[role]
        response = client.get(url)
        checked += 1
        got = outcome(response)
        if got == "error":
            problems.append(f"GET {route_url} ({route.name}) → {response.status_code}")
            continue
        if expected == ALLOW and got == "deny":
            problems.append(f"GET {url} ({route.name}) denied to {role}; rule {rule.pattern}")
        if expected == DENY and got == "allow":
            problems.append(f"GET {url} ({route.name}) allowed to {role}; rule {rule.pattern}")
        if MARKER.lower() in body(response) and role not in rule.personal_data:
            problems.append(f"GET {url} ({route.name}) shows personal data to {role}")
        if expected == DENY:
            posted = client.post(url, {})
            if outcome(posted) not in {"deny", "missing", "method"}:
                problems.append(
                    f"POST {url} ({route.name}) → {posted.status_code} for {role} (should deny)"
                )
    assert checked > 50
    assert not problems, "\n".join(problems)


def _url(route: str, values: dict, by_segment: dict) -> str | None:
    from tests.security.matrix import fill

    return fill(route, values, by_segment)


def test_matrix_expectations_are_explicit_for_accounts():
    assert rule_for("accounts:user-list").expectations["secretariat"] == DENY
    assert rule_for("accounts:user-list").expectations["admin"] == ALLOW
    assert rule_for("workspace:anything-new").expectations["point_of_contact"] == DENY
    assert rule_for("public:anything-new").expectations["anonymous"] == ALLOW
    assert rule_for("api:event_list").expectations["anonymous"] == ANY
