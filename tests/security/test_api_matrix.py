"""Every API operation (read from the OpenAPI document) as every role, through API tokens:
allowed or denied as below, never a server error, and participants' names and e-mails only
for staff and for a point of contact's own country's participants.

Operations added later fall under the default rule: reads must not fail or leak personal
data; writes must refuse anonymous callers with 401.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cicte.api.openapi import openapi_document
from tests.security.matrix import ALLOW, ANY, DENY, ROLES, STAFF, expect
from tests.security.world import MARKER

pytestmark = pytest.mark.django_db

PUBLIC = expect(set(ROLES))
EVENT_READERS = expect({"point_of_contact", "donor", *STAFF})
PERSONAL_DATA_READERS = expect({"point_of_contact", *STAFF})
EVENT_WRITERS = expect(STAFF)
EVERYTHING_EDITORS = expect({"secretariat", "admin"})
STAFF_ONLY = expect(STAFF)

# (method, path, variant) -> expectations. Variants fill {event_id} with Jamaica's event
# (the program manager's program; funded by the donor) or Barbados's event (neither).
API_RULES: dict[tuple[str, str, str], dict[str, str]] = {
    ("get", "/api/events", ""): EVENT_READERS,
    ("get", "/api/events/{event_id}", "jam"): EVENT_READERS,
    ("get", "/api/events/{event_id}", "brb"): expect({*STAFF}),
    ("get", "/api/events/{event_id}/participants", "jam"): PERSONAL_DATA_READERS,
    ("get", "/api/events/{event_id}/participants", "brb"): expect({*STAFF}),
    ("post", "/api/events", ""): EVENT_WRITERS,
    ("patch", "/api/events/{event_id}", "jam"): EVENT_WRITERS,
    ("patch", "/api/events/{event_id}", "brb"): EVERYTHING_EDITORS,
    ("post", "/api/events/{event_id}/status", "jam"): EVENT_WRITERS,
    ("post", "/api/events/{event_id}/status", "brb"): EVERYTHING_EDITORS,
    ("get", "/api/narratives", ""): STAFF_ONLY,
    ("put", "/api/narratives", ""): EVENT_WRITERS,
    # Forum items: who sees which item is the leak matrix's (tests/forum/test_leak_matrix.py);
    # here only "never a server error, always the error shape".
    ("get", "/api/forum/threads/{pk}", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/forum/threads/{pk}/posts", ""): dict.fromkeys(ROLES, ANY),
    # TAXII 2.1 (issue 11): API tokens only; which collection a caller gets is
    # tests/forum/test_taxii.py's and the leak matrix's.
    ("get", "/api/taxii2/", ""): {**dict.fromkeys(ROLES, ALLOW), "anonymous": DENY},
    ("get", "/api/taxii2/root/", ""): {**dict.fromkeys(ROLES, ALLOW), "anonymous": DENY},
    ("get", "/api/taxii2/root/collections/", ""): {
        **dict.fromkeys(ROLES, ALLOW),
        "anonymous": DENY,
    },
    ("get", "/api/taxii2/root/collections/{collection}/", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/taxii2/root/collections/{collection}/objects/", ""): dict.fromkeys(ROLES, ANY),
    # Issue 20: approvals are the workspace's; scholarship completions are staff's and
    # donors'. Who may write is decided in the services (tests/approvals, tests/scholarships).
    ("get", "/api/approvals", ""): STAFF_ONLY,
    ("get", "/api/approvals/completeness", ""): STAFF_ONLY,
    ("get", "/api/approvals/{approval_id}/changes", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/scholarships/calls/{call_id}", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/scholarships/calls/{call_id}/nominations", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/scholarships/completions", ""): expect({"donor", *STAFF}),
    ("post", "/api/scholarships/confirm/{token}", ""): dict.fromkeys(ROLES, ANY),
    # Strategies entries: who sees which is the strategies leak matrix's
    # (tests/strategies/test_leak_matrix.py); here only "never a server error, the error shape".
    ("get", "/api/strategies/documents/{pk}", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/strategies/assessments/{pk}", ""): dict.fromkeys(ROLES, ANY),
    # The experts roster: signed-in only (the public reads /api/roster/stats, aggregates);
    # who sees which expert and field is the privacy matrix's
    # (tests/roster/test_privacy_matrix.py).
    ("get", "/api/roster/experts", ""): {**dict.fromkeys(ROLES, ANY), "anonymous": DENY},
    ("get", "/api/roster/experts/{pk}", ""): {**dict.fromkeys(ROLES, ANY), "anonymous": DENY},
    ("get", "/api/roster/missions", ""): {**dict.fromkeys(ROLES, ANY), "anonymous": DENY},
    # The knowledge base: who sees which item is the leak matrix's
    # (tests/knowledge/test_leak_matrix.py); here only "never a server error, the error shape".
    ("get", "/api/knowledge/events/{pk}", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/knowledge/documents/{pk}", ""): dict.fromkeys(ROLES, ANY),
    ("get", "/api/knowledge/lessons/{pk}", ""): dict.fromkeys(ROLES, ANY),
    # Exercises: signed-in callers; what each sees is its exercise role's
    # (tests/exercises/test_secrecy_matrix.py); here only "never a server error".
    ("get", "/api/exercises", ""): expect(set(ROLES) - {"anonymous"}),
    **{
        (method, path, ""): dict.fromkeys(ROLES, ANY)
        for method, path in (
            ("get", "/api/exercises/{pk}"),
            ("get", "/api/exercises/{pk}/injects"),
            ("post", "/api/exercises/{pk}/injects/{inject_id}/release"),
            ("post", "/api/exercises/{pk}/injects/{inject_id}/responses"),
            ("get", "/api/exercises/{pk}/observations"),
            ("post", "/api/exercises/{pk}/observations"),
            ("get", "/api/exercises/{pk}/report"),
        )
    },
    # Issue 17: requests for assistance (staff; a point of contact, their own state's),
    # evaluations (the workspace's), funding (staff; a donor, what it funds). The placeholders
    # are filled with Jamaica's request, an evaluation of Jamaica's event, the donor's
    # contribution to 1.A.1 (the manager's program) — see _issue_17 below.
    ("get", "/api/assistance/requests", ""): expect({"point_of_contact", *STAFF}),
    ("post", "/api/assistance/requests", ""): expect({"point_of_contact", *STAFF}),
    ("get", "/api/assistance/requests/{request_id}", ""): expect({"point_of_contact", *STAFF}),
    ("post", "/api/assistance/requests/{request_id}/transition", ""): expect(STAFF),
    ("get", "/api/evaluations", ""): STAFF_ONLY,
    ("post", "/api/evaluations", ""): STAFF_ONLY,
    ("get", "/api/evaluations/{evaluation_id}", ""): STAFF_ONLY,
    ("put", "/api/evaluations/{evaluation_id}", ""): STAFF_ONLY,
    ("post", "/api/evaluations/{evaluation_id}/recommendations", ""): STAFF_ONLY,
    ("get", "/api/evaluations/recommendations", ""): STAFF_ONLY,
    ("get", "/api/evaluations/recommendations/{recommendation_id}", ""): STAFF_ONLY,
    ("post", "/api/evaluations/recommendations/{recommendation_id}/status", ""): STAFF_ONLY,
    ("get", "/api/evaluations/questionnaires", ""): STAFF_ONLY,
    ("post", "/api/evaluations/questionnaires", ""): STAFF_ONLY,
    ("get", "/api/evaluations/feedback", ""): STAFF_ONLY,
    ("get", "/api/funding/plans/{plan}", ""): STAFF_ONLY,
    ("get", "/api/funding/projects", ""): expect({"donor", *STAFF}),
    ("get", "/api/funding/projects/{project_id}", ""): expect({"donor", *STAFF}),
    ("put", "/api/funding/projects/{project_id}/budget", ""): STAFF_ONLY,
    ("put", "/api/funding/targets/{target_id}/need", ""): STAFF_ONLY,
    ("get", "/api/funding/donors", ""): STAFF_ONLY,
    ("post", "/api/funding/donors", ""): EVERYTHING_EDITORS,
    ("get", "/api/funding/contributions", ""): expect({"donor", *STAFF}),
    ("post", "/api/funding/contributions", ""): EVERYTHING_EDITORS,
    ("get", "/api/funding/contributions/{contribution_id}", ""): expect({"donor", *STAFF}),
    ("post", "/api/funding/contributions/{contribution_id}/received", ""): EVERYTHING_EDITORS,
}


#: Query strings of reads with required parameters.
QUERIES: dict[tuple[str, str], dict[str, str]] = {
    ("get", "/api/narratives"): {"plan": "2012"},
    ("get", "/api/approvals"): {"plan": "2012"},
    ("get", "/api/approvals/completeness"): {"plan": "2012", "program": "1.A", "period": "2012-H1"},
    ("get", "/api/funding/projects"): {"plan": "2012"},
}


def _issue_17(world) -> dict[str, Any]:
    """A request of Jamaica's, an evaluation of Jamaica's event with a recommendation, the
    donor's pledge to 1.A.1 and a target of 1.A.1 waiting for funding: the path placeholders."""
    from cicte.assistance.models import AssistanceRequest
    from cicte.evaluations.models import Evaluation, Recommendation
    from cicte.funding.models import Contribution, Donor
    from tests.factories import TargetFactory

    if "issue_17" in world.extra:
        return world.extra["issue_17"]
    request = AssistanceRequest.objects.create(
        member_state=world.jam_event.host_state,
        title="Matrix request",
        needs="Training",
        contact_name="Contact",
        contact_email="contact@example.gov",
    )
    evaluation = Evaluation.objects.create(
        kind="external", event=world.jam_event, date="2012-05-01", evaluator="Evaluator"
    )
    recommendation = Recommendation.objects.create(evaluation=evaluation, text="Do more")
    donor = Donor.objects.create(kind="organization", organization=world.donor)
    contribution = Contribution.objects.create(
        donor=donor,
        plan=world.plan,
        amount=100,
        date="2012-02-01",
        project=world.target.project,
    )
    waiting = TargetFactory(
        plan=world.plan, project=world.target.project, code="1.A.1.z", funding="to_be_identified"
    )
    world.extra["issue_17"] = {
        "{request_id}": request.pk,
        "{evaluation_id}": evaluation.pk,
        "{recommendation_id}": recommendation.pk,
        "{project_id}": world.target.project.pk,
        "{target_id}": waiting.pk,
        "{contribution_id}": contribution.pk,
        "donor": donor.pk,
    }
    return world.extra["issue_17"]


def default_rule(method: str) -> dict[str, str]:
    if method == "get":
        return PUBLIC
    return {**dict.fromkeys(ROLES, ANY), "anonymous": DENY}


def bodies(world) -> dict[tuple[str, str], dict[str, Any]]:
    ids = _issue_17(world)
    evaluation = {
        "kind": "external",
        "event": world.jam_event.pk,
        "date": "2012-05-02",
        "evaluator": "Matrix evaluator",
    }
    return {
        ("post", "/api/assistance/requests"): {
            "member_state": "JAM",
            "title": "Matrix request",
            "needs": "Training",
            "contact_name": "Contact",
            "contact_email": "contact@example.gov",
        },
        ("post", "/api/assistance/requests/{request_id}/transition"): {"to_status": "under_review"},
        ("post", "/api/evaluations"): evaluation,
        ("put", "/api/evaluations/{evaluation_id}"): evaluation,
        ("post", "/api/evaluations/{evaluation_id}/recommendations"): {"text": "Matrix"},
        ("post", "/api/evaluations/recommendations/{recommendation_id}/status"): {
            "status": "in_progress"
        },
        ("post", "/api/evaluations/questionnaires"): {"event": world.jam_event.pk},
        ("put", "/api/funding/projects/{project_id}/budget"): {"amount_usd": "1000"},
        ("put", "/api/funding/targets/{target_id}/need"): {"amount_usd": "1000"},
        ("post", "/api/funding/donors"): {
            "kind": "permanent_observer",
            "observer_name": "Matrix observer",
        },
        ("post", "/api/funding/contributions"): {
            "donor": ids["donor"],
            "plan": "2012",
            "amount": "10",
            "date": "2012-03-01",
        },
        ("post", "/api/funding/contributions/{contribution_id}/received"): {"date": "2012-04-01"},
        ("post", "/api/events"): {
            "plan": "2012",
            "kind": "course",
            "title": "Matrix course",
            "start_date": "2012-04-02",
            "end_date": "2012-04-03",
            "targets": [{"code": world.target.code, "units": 1}],
        },
        ("patch", "/api/events/{event_id}"): {"city": "Bridgetown"},
        ("post", "/api/events/{event_id}/status"): {"status": "confirmed"},
        ("put", "/api/narratives"): {
            "plan": "2012",
            "program": "1.A",
            "period": "2012-H1",
            "text": "Progress as planned.",
        },
    }


def operations() -> list[tuple[str, str]]:
    document = openapi_document()
    return [
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_every_operation_has_an_expectation():
    ops = operations()
    assert len(ops) >= 20
    for method, path in ops:
        for variant in ("", "jam", "brb"):
            rule = API_RULES.get((method, path, variant)) or default_rule(method)
            assert set(rule) == set(ROLES)


def _url(path: str, world, variant: str) -> str:
    event = world.brb_event if variant == "brb" else world.jam_event
    for placeholder, pk in _issue_17(world).items():
        if placeholder.startswith("{"):
            path = path.replace(placeholder, str(pk))
    return (
        path.replace("{event_id}", str(event.pk)).replace("{plan}", "2012").replace("{code}", "JAM")
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(world, role):
    client = world.client(role, via="token") if role != "anonymous" else Client()
    client.raise_request_exception = False
    payloads = bodies(world)
    problems: list[str] = []
    for method, path in operations():
        variants = ["jam", "brb"] if "{event_id}" in path else [""]
        for variant in variants:
            expected = (API_RULES.get((method, path, variant)) or default_rule(method))[role]
            url = _url(path, world, variant)
            payload = payloads.get((method, path), QUERIES.get((method, path), {}))
            call = getattr(client, method)
            response = (
                call(url, payload)
                if method == "get"
                else call(url, payload, content_type="application/json")
            )
            status = response.status_code
            where = f"{method.upper()} {url} as {role}"
            if status >= 500:
                problems.append(f"{where} → {status}")
                continue
            if status >= 400 and set(response.json()) != {"error"}:
                problems.append(f"{where} → {status} without the error shape")
            if expected == ALLOW and not 200 <= status < 300:
                problems.append(f"{where} → {status}, expected success")
            if expected == DENY:
                wanted = {401} if role == "anonymous" else {403, 404}
                if status not in wanted:
                    problems.append(f"{where} → {status}, expected {sorted(wanted)}")
            text = response.content.decode().lower()
            if MARKER.lower() in text:
                own_country_only = (
                    role == "point_of_contact"
                    and path.endswith("/participants")
                    and "ann." in text
                    and "bob." not in text
                    and "cy." not in text
                )
                if role not in STAFF and not own_country_only:
                    problems.append(f"{where} shows personal data")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["program_manager", "admin"])
def test_api_reads_through_the_browser_session(world, role):
    client = world.client(role)
    assert client.get("/api/events").status_code == 200
    people = client.get(f"/api/events/{world.jam_event.pk}/participants")
    assert people.status_code == 200
    assert MARKER in people.content.decode()
