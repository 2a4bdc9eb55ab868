"""Writes are decided in the services: the same actor on the same object gets the same decision
from the web and from the API, and removing any one service check makes the matrix fail.

Each case names a write (a web form POST and, where there is one, its API call), a probe that
reads what the write would change, and the service predicate that decides it. A cell runs
inside a savepoint that is rolled back, so every cell starts from the same world. A decision
is read from the database (did the probe change?), not from status codes, so a refusal shown
as a form error and a refusal as a 403 count the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from cicte.core.versioning import version_of
from cicte.delivery.models import Attachment, Event
from cicte.evaluations.models import Evaluation
from cicte.funding.models import Budget, Contribution, Donor
from cicte.reports.models import Narrative, PublishedReport
from tests.security.matrix import ROLES, walk

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _event_form(world: Any, event: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "plan": world.plan.pk,
        "version": version_of(event) if event is not None else "",
        "kind": "workshop",
        "title": "Changed title",
        "start_date": "2012-03-01",
        "end_date": "2012-03-02",
        "status": "held",
        "modality": "national",
        "city": "Kingston",
        "host_state": "JAM",
        "participants_total": 10,
        "participants_women": 5,
        "participants_men": 5,
        "currency": "USD",
        "targets-TOTAL_FORMS": 1,
        "targets-INITIAL_FORMS": 0,
        "targets-0-target": "",
        "targets-0-units": 1,
        "countries-TOTAL_FORMS": 0,
        "countries-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


@dataclass(frozen=True)
class Case:
    name: str
    route: str  # the URL name, for the coverage check
    web: Callable[[Any, Any], Any]
    api: Callable[[Any, Any], Any] | None
    probe: Callable[[Any], Any]
    guard: str  # "module:function" the service asks; patched to allow-all in the mutation test
    expected: frozenset[str]  # roles allowed


def _jam(world: Any) -> Any:
    return world.jam_event


def _brb(world: Any) -> Any:
    return world.brb_event


def _title(event_of: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda world: Event.objects.get(pk=event_of(world).pk).title


def _status(event_of: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda world: Event.objects.get(pk=event_of(world).pk).status


def _api(method: str, path: Callable[[Any], str], body: Callable[[Any], dict]) -> Callable:
    def call(client: Any, world: Any) -> Any:
        send = getattr(client, method)
        return send(path(world), data=json.dumps(body(world)), content_type="application/json")

    return call


def _narrative_text(world: Any, program: Any) -> str:
    found = Narrative.objects.filter(program=program, period="2012-H1").first()
    return found.text if found else ""


def _donor_pk(world: Any) -> int:
    """The world's donor organization as a funding donor (made inside the rolled-back cell)."""
    donor, _created = Donor.objects.get_or_create(kind="organization", organization=world.donor)
    return int(donor.pk)


STAFF_EDIT_ALL = frozenset({"secretariat", "admin"})
WITH_MANAGER = STAFF_EDIT_ALL | {"program_manager"}

CASES = [
    Case(
        "edit an event of the manager's program",
        "workspace:event-edit",
        web=lambda c, w: c.post(
            reverse("workspace:event-edit", args=[w.jam_event.pk]),
            _event_form(w, w.jam_event, **{"targets-0-target": w.target.code}),
        ),
        api=_api(
            "patch", lambda w: f"/api/events/{w.jam_event.pk}", lambda w: {"title": "Changed title"}
        ),
        probe=_title(_jam),
        guard="cicte.delivery.permissions:can_edit_event",
        expected=WITH_MANAGER,
    ),
    Case(
        "edit an event of another program",
        "workspace:event-edit",
        web=lambda c, w: c.post(
            reverse("workspace:event-edit", args=[w.brb_event.pk]),
            _event_form(w, w.brb_event, **{"targets-0-target": w.other_target.code}),
        ),
        api=_api(
            "patch", lambda w: f"/api/events/{w.brb_event.pk}", lambda w: {"title": "Changed title"}
        ),
        probe=_title(_brb),
        guard="cicte.delivery.permissions:can_edit_event",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "change the status of an event of another program",
        "workspace:event-status",
        web=lambda c, w: c.post(
            reverse("workspace:event-status", args=[w.brb_event.pk]), {"status": "cancelled"}
        ),
        api=_api(
            "post",
            lambda w: f"/api/events/{w.brb_event.pk}/status",
            lambda w: {"status": "cancelled"},
        ),
        probe=_status(_brb),
        guard="cicte.delivery.permissions:can_edit_event",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "record an event toward another program's target",
        "workspace:event-create",
        web=lambda c, w: c.post(
            reverse("workspace:event-create"),
            _event_form(w, None, **{"targets-0-target": w.other_target.code}),
        ),
        api=_api(
            "post",
            lambda w: "/api/events",
            lambda w: {
                "plan": "2012",
                "kind": "workshop",
                "title": "Changed title",
                "start_date": "2012-03-01",
                "end_date": "2012-03-02",
                "status": "held",
                "targets": [{"code": w.other_target.code, "units": 1}],
            },
        ),
        probe=lambda w: Event.objects.filter(title="Changed title").count(),
        guard="cicte.delivery.permissions:can_count_toward",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "duplicate an event of another program",
        "workspace:event-duplicate",
        web=lambda c, w: c.post(reverse("workspace:event-duplicate", args=[w.brb_event.pk])),
        api=None,
        probe=lambda w: Event.objects.count(),
        guard="cicte.delivery.permissions:can_edit_event",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "write the narrative of another program",
        "workspace:report-narrative",
        web=lambda c, w: c.post(
            reverse("workspace:report-narrative"),
            {"program": w.other_program.pk, "period": "2012-H1", "lang": "en", "text": "Ours"},
        ),
        api=_api(
            "put",
            lambda w: "/api/narratives",
            lambda w: {
                "plan": "2012",
                "program": w.other_program.code,
                "period": "2012-H1",
                "text": "Ours",
            },
        ),
        probe=lambda w: _narrative_text(w, w.other_program),
        guard="cicte.reports.permissions:can_write_narrative",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "write the narrative of the manager's program",
        "workspace:report-narrative",
        web=lambda c, w: c.post(
            reverse("workspace:report-narrative"),
            {"program": w.program.pk, "period": "2012-H1", "lang": "en", "text": "Ours"},
        ),
        api=_api(
            "put",
            lambda w: "/api/narratives",
            lambda w: {
                "plan": "2012",
                "program": w.program.code,
                "period": "2012-H1",
                "text": "Ours",
            },
        ),
        probe=lambda w: _narrative_text(w, w.program),
        guard="cicte.reports.permissions:can_write_narrative",
        expected=WITH_MANAGER,
    ),
    Case(
        "attach a document to an event of another program",
        "workspace:event-attachment-add",
        web=lambda c, w: c.post(
            reverse("workspace:event-attachment-add", args=[w.brb_event.pk]),
            {
                "kind": "report",
                "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4 r", "application/pdf"),
            },
        ),
        api=None,
        probe=lambda w: Attachment.objects.filter(event=w.brb_event).count(),
        guard="cicte.delivery.permissions:can_edit_event",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "set the budget of another program's project",
        "workspace:funding-budget",
        web=lambda c, w: c.post(
            reverse("workspace:funding-budget", args=[w.other_target.project.pk]),
            {"amount": "1000", "notes": ""},
        ),
        api=_api(
            "put",
            lambda w: f"/api/funding/projects/{w.other_target.project.pk}/budget",
            lambda w: {"amount_usd": "1000"},
        ),
        probe=lambda w: Budget.objects.filter(project=w.other_target.project).count(),
        guard="cicte.access.permissions:can_edit_program",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "record a contribution earmarked to the manager's program's project",
        "workspace:funding-contribution-new",
        web=lambda c, w: c.post(
            reverse("workspace:funding-contribution-new"),
            {
                "donor": _donor_pk(w),
                "plan": w.plan.pk,
                "status": "pledged",
                "amount": "1000",
                "currency": "USD",
                "rate_to_usd": "",
                "project": w.target.project.pk,
                "date": "2012-02-01",
            },
        ),
        api=_api(
            "post",
            lambda w: "/api/funding/contributions",
            lambda w: {
                "donor": _donor_pk(w),
                "plan": "2012",
                "amount": "1000",
                "date": "2012-02-01",
                "project": w.target.project.pk,
            },
        ),
        probe=lambda w: Contribution.objects.count(),
        guard="cicte.access.permissions:can_edit_program",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "record an evaluation of another program's event",
        "workspace:evaluations-new",
        web=lambda c, w: c.post(
            reverse("workspace:evaluations-new"),
            {
                "kind": "follow_up",
                "event": w.brb_event.pk,
                "date": "2012-05-01",
                "evaluator": "External evaluator",
            },
        ),
        api=_api(
            "post",
            lambda w: "/api/evaluations",
            lambda w: {
                "kind": "follow_up",
                "event": w.brb_event.pk,
                "date": "2012-05-01",
                "evaluator": "External evaluator",
            },
        ),
        probe=lambda w: Evaluation.objects.count(),
        guard="cicte.evaluations.services:can_manage_evaluation",
        expected=STAFF_EDIT_ALL,
    ),
    Case(
        "publish the semi-annual report",
        "workspace:report-publish",
        web=lambda c, w: c.post(
            reverse("workspace:report-publish"),
            {"plan": w.plan.pk, "period": "2012-H2", "lang": "en"},
        ),
        api=None,
        probe=lambda w: PublishedReport.objects.filter(period="2012-H2").count(),
        guard="cicte.reports.permissions:can_publish_report",
        expected=STAFF_EDIT_ALL,
    ),
]


def _decide(world: Any, role: str, case: Case, via: str) -> bool:
    """Run one write in a savepoint that is rolled back; True when it changed the probe."""
    client = world.client(role, via="token" if via == "api" and role != "anonymous" else "session")
    client.raise_request_exception = False
    call = case.web if via == "web" else case.api
    assert call is not None
    before = case.probe(world)
    changed = False
    try:
        with transaction.atomic():
            response = call(client, world)
            assert response.status_code < 500, (case.name, via, role, response.status_code)
            changed = case.probe(world) != before
            raise _Rollback
    except _Rollback:
        pass
    return changed


@pytest.mark.parametrize("role", ROLES)
def test_web_and_api_decide_the_same(world, role):
    problems = []
    for case in CASES:
        web = _decide(world, role, case, "web")
        expected = role in case.expected
        if web != expected:
            problems.append(f"web: {case.name}: {role} {'allowed' if web else 'refused'}")
        if case.api is not None:
            api = _decide(world, role, case, "api")
            if api != web:
                problems.append(f"web and API disagree on {case.name!r} for {role}: {web} / {api}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_service_check_is_load_bearing(world, case, monkeypatch):
    """Remove the service's check (its predicate answers yes): a role the view lets through
    (a program manager, who may use the workspace) is no longer refused — so the decision
    is the service's, and the matrix above fails without it."""
    refused = [r for r in ("program_manager", "point_of_contact") if r not in case.expected]
    role = refused[0]
    assert not _decide(world, role, case, "web")
    module_name, name = case.guard.split(":")
    module = __import__(module_name, fromlist=[name])
    monkeypatch.setattr(module, name, lambda *args, **kwargs: True)
    if role != "program_manager":
        return  # the workspace (a role check in the view) keeps others out: nothing to prove
    flipped = _decide(world, role, case, "web")
    if case.api is not None:
        flipped = flipped or _decide(world, role, case, "api")
    assert flipped, f"{case.name}: refused without the service's check — the view decides"


#: Write routes and where their decisions are tested. Every POST route of the project is here
#: (test below); those not in CASES are decided by role alone or are tested in their app.
WRITE_ROUTES = {
    "workspace:event-edit": "CASES",
    "workspace:event-status": "CASES",
    "workspace:event-create": "CASES",
    "workspace:event-duplicate": "CASES",
    "workspace:report-narrative": "CASES",
    "workspace:report-publish": "CASES",
    "workspace:event-attachment-add": "CASES",
    "workspace:event-import": "tests/delivery/test_views.py (program manager refused)",
    "workspace:assistance-new": "tests/assistance/test_workflow.py",
    "workspace:assistance-transition": "tests/assistance/test_workflow.py",
    "requests:new": "tests/access/test_access_model.py (union) + tests/assistance",
    "requests:close": "tests/assistance/test_workflow.py",
    "workspace:evaluations-new": "CASES",
    "workspace:evaluations-edit": "tests/evaluations/test_services.py",
    "workspace:evaluations-recommendation-add": "tests/evaluations/test_services.py",
    "workspace:evaluations-recommendation-status": "tests/evaluations/test_services.py",
    "workspace:evaluations-questionnaire": "tests/evaluations/test_services.py",
    "feedback:form": "tests/evaluations (one-time codes)",
    "workspace:funding-budget": "CASES",
    "workspace:funding-need": "tests/funding/test_funding.py",
    "workspace:funding-contribution-new": "tests/funding/test_funding.py",
    "workspace:funding-contribution-received": "tests/funding/test_funding.py",
    "workspace:funding-donors": "tests/funding/test_funding.py",
    "accounts:user-invite": "administrators only (matrix.py)",
    "accounts:user-edit": "administrators only (matrix.py)",
    "accounts:user-set-active": "administrators only (matrix.py)",
    "accounts:tokens": "own tokens (tests/accounts)",
    "accounts:token-revoke": "own tokens (tests/accounts)",
    "accounts:history-restore": "tests/access/test_access_model.py (restore)",
    "accounts:login": "sign-in",
    "accounts:logout": "sign-out",
    "accounts:otp-enrol": "own device",
    "accounts:otp-verify": "own device",
    "accounts:password-reset": "sign-in",
    "accounts:password-reset-confirm": "sign-in",
    "set_language": "preference",
    "forum:thread-new": "tests/forum/test_services.py (members only) + test_leak_matrix.py",
    "forum:reply": "tests/forum/test_services.py (narrowing, locked, not visible)",
    "forum:moderate": "tests/forum/test_services.py (moderators only)",
    "forum:reshare": "tests/forum/test_services.py (readers only, never an edit)",
    "forum:release": "tests/forum/test_services.py (originator only)",
    "forum:join": "tests/forum/test_services.py (sponsors)",
    "forum:request-endorse": "tests/forum/test_services.py (named sponsors only)",
    "forum:request-approve": "tests/forum/test_services.py (Secretariat only)",
    "forum:request-decline": "tests/forum/test_services.py (Secretariat only)",
    "forum:preferences": "own preference (tests/forum/test_services.py)",
    "workspace:forum-remove": "tests/forum/test_services.py (administrators only)",
    # issue 11, completed (forum branch)
    "forum:close": "tests/forum/test_features.py (the question's originator or a moderator)",
    "forum:reshare-accept": "tests/forum/test_features.py (the originator only)",
    "forum:reshare-decline": "tests/forum/test_features.py (the originator only)",
    "forum:organisation-edit": "tests/forum/test_features.py (Secretariat or own vetted people)",
    "forum:submit": "tests/forum/test_anonymous.py (members of a hosted community)",
    "forum:submission-publish": "tests/forum/test_anonymous.py (the host only)",
    "forum:submission-decline": "tests/forum/test_anonymous.py (the host only)",
    # Issue 20: period approvals and scholarships.
    "workspace:approval-submit": "tests/approvals/test_lock.py (bad input: other program)",
    "workspace:approval-decide": "tests/approvals/test_done_when.py (manager refused: 403)",
    "workspace:approval-unlock": "tests/approvals/test_done_when.py (administrators only)",
    "workspace:scholarship-call-new": "tests/scholarships/test_rules.py (managers of the target)",
    "workspace:scholarship-call-publish": "tests/scholarships/test_rules.py",
    "workspace:scholarship-call-close": "tests/scholarships/test_rules.py",
    "workspace:scholarship-selection": "tests/scholarships/test_done_when.py + test_rules.py",
    "workspace:scholarship-withdraw": "tests/scholarships/test_rules.py",
    "workspace:scholarship-complete": "tests/scholarships/test_rules.py",
    "workspace:scholarship-travel": "tests/scholarships/test_feedback_and_travel.py (call staff)",
    "scholarships:nominate": "tests/scholarships/test_rules.py (own state only)",
    "scholarships:withdraw": "tests/scholarships/test_rules.py (own state only)",
    "scholarships:confirm": "tests/scholarships/test_rules.py (secret link; twice: error)",
    "strategies:submit": "tests/strategies/test_services.py + test_views.py (own state only)",
    "strategies:document-edit": "tests/strategies/test_services.py (own state only)",
    "strategies:archive-url": "tests/strategies/test_fetching.py (own state; allow-list)",
    "strategies:show-in-progress": "tests/strategies/test_services.py (the state decides)",
    "strategies:verify": "tests/strategies/test_services.py (the Secretariat only)",
    "strategies:assessment-new": "tests/strategies/test_services.py (assigned staff)",
    "strategies:assessment-ratings": "tests/strategies/test_services.py (assigned staff)",
    "strategies:assessment-consent": "tests/strategies/test_services.py (the state's PoCs)",
    "workspace:strategies-engagements": "tests/strategies/test_engagements.py (Secretariat)",
    "workspace:strategies-engagement": "tests/strategies/test_engagements.py (Secretariat)",
    # The experts roster (3.A.9): decisions in roster/permissions.py via the services.
    "workspace:roster-vet": "tests/roster/test_journey.py (Secretariat only: services.expert_vet)",
    "workspace:roster-partner-nominate": (
        "tests/roster/test_secondary_paths.py (Secretariat only: services.expert_nominate)"
    ),
    "workspace:roster-training-add": "roster services.training_record (Secretariat only)",
    "workspace:roster-mission-new": "tests/roster/test_journey.py (services.mission_open)",
    "workspace:roster-alert": "tests/roster/test_bad_input.py (vetted, available)",
    "workspace:roster-propose": "tests/roster/test_journey.py (Secretariat only)",
    "workspace:roster-deploy": "tests/roster/test_journey.py (ToR and NDA first)",
    "workspace:roster-report-add": "tests/roster/test_journey.py (TLP:RED, named officials)",
    "workspace:roster-mission-close": "tests/roster/test_journey.py (report, appraisals)",
    "workspace:roster-select": "tests/roster/test_journey.py (available and released)",
    "workspace:roster-document-add": "tests/roster/test_journey.py (type-checked uploads)",
    "workspace:roster-assignment-close": "tests/roster/test_journey.py (roster managers only)",
    "roster:me-profile": "own profile only (services.profile_update)",
    "roster:me-skill": "own profile only (services.skill_set)",
    "roster:me-language": "own profile only (services.language_set)",
    "roster:me-absence": "own profile only (services.absence_add)",
    "roster:me-certification": "tests/roster/test_bad_input.py (own, type-checked)",
    "roster:me-leave": "tests/roster/test_privacy_matrix.py::test_leave_and_anonymise",
    "roster:invitation": "the invitation token (services.invitation_accept)",
    "roster:answer": "the answer token, expiring (tests/roster/test_bad_input.py)",
    "roster:poc-nominate": "tests/roster/test_bad_input.py (own state only)",
    "roster:poc-request": "tests/roster/test_journey.py (assistance.request_submit: own state)",
    "roster:release": "tests/roster/test_journey.py (the nominating state's contact)",
    "roster:team-accept": "tests/roster/test_journey.py (the requesting state's contact)",
    # Exercises (issue 14): every decision is the exercise role's, in the services; who may do
    # what is tested per role in tests/exercises (the secrecy matrix and the conduct tests).
    "exercises:new": "tests/exercises/test_done_when.py (event editors only)",
    "exercises:setup": "tests/exercises/test_done_when.py (designers and role managers)",
    "exercises:role-remove": "tests/exercises/test_done_when.py (role managers)",
    "exercises:link-revoke": "tests/exercises/test_conduct.py (role managers)",
    "exercises:msel": "tests/exercises/test_msel.py (designers)",
    "exercises:msel-import": "tests/exercises/test_msel.py (designers)",
    "exercises:attachment-add": "tests/exercises/test_attachments.py (planners, controllers)",
    "exercises:attachment-remove": "tests/exercises/test_attachments.py (pending injects only)",
    "exercises:msel-map": "tests/exercises/test_msel.py (designers, all or nothing)",
    "exercises:ready": "tests/exercises/test_conduct.py (readiness)",
    "exercises:comcheck": "tests/exercises/test_conduct.py (participants)",
    "exercises:control-action": "tests/exercises/test_conduct.py (director and controllers)",
    "exercises:inject-action": "tests/exercises/test_conduct.py (director and controllers)",
    "exercises:respond": "tests/exercises/test_conduct.py (players of the addressed team)",
    "exercises:evaluate-post": "tests/exercises/test_conduct.py (evaluators; P/S/M/U)",
    "exercises:report-post": "tests/exercises/test_done_when.py (director, evaluators)",
    "exercises:x-comcheck": "tests/exercises/test_conduct.py (valid participant link)",
    "exercises:x-respond": "tests/exercises/test_secrecy_matrix.py (valid participant link)",
    # The knowledge base (issue 15): decisions in knowledge/permissions.py via the services;
    # every write refused while an administrator views as someone (test_views.py).
    "knowledge:document-new": "tests/knowledge/test_services.py (network members, Secretariat)",
    "knowledge:document-version": "tests/knowledge/test_services.py (originator, host team)",
    "knowledge:lesson-new": "tests/knowledge/test_services.py (network members, host team)",
    "knowledge:lesson-validate": "tests/knowledge/test_services.py (Secretariat only)",
    "knowledge:lesson-publish": "tests/knowledge/test_services.py (Secretariat only)",
    "knowledge:lesson-apply": "tests/knowledge/test_services.py (readers of the lesson)",
    "knowledge:release-exercise": "tests/knowledge/test_services.py (the exercise's director)",
    "knowledge:event-new": "tests/knowledge/test_services.py (own state's PoC, Secretariat)",
    "knowledge:event-validate": "tests/knowledge/test_services.py (Secretariat only)",
    "knowledge:event-public": "tests/knowledge/test_services.py (the host state decides)",
    "knowledge:team-add": "tests/knowledge/test_services.py (team lead, Secretariat)",
    "knowledge:team-remove": "tests/knowledge/test_services.py (team lead, Secretariat)",
    "knowledge:contact-add": "tests/knowledge/test_services.py (this event's host team)",
    "knowledge:message-post": "tests/knowledge/test_views.py (this event's host team)",
    "knowledge:checklist-copy": "tests/knowledge/test_services.py (this event's host team)",
    "knowledge:workspace-document": "tests/knowledge/test_views.py (this event's host team)",
    "knowledge:aar-publish": "tests/knowledge/test_services.py (host team, after the event)",
    "knowledge:task-update": "tests/knowledge/test_services.py (this event's host team)",
    "knowledge:subscriptions": "own subscriptions only (services.subscription_add)",
    "knowledge:subscription-remove": "own subscriptions only (services.subscription_remove)",
    "knowledge:view-as": "tests/knowledge/test_views.py (administrators only, audited)",
    "knowledge:view-as-stop": "own session only",
}


def test_every_write_route_is_classified():
    """A new POST route must say where its permission decision is tested."""
    names = {route.name for route in walk()}
    unknown = sorted(name for name in WRITE_ROUTES if name not in names)
    assert not unknown, f"routes that no longer exist: {unknown}"
    from tests.security.matrix import RULES  # noqa: F401 - the read matrix covers GET

    posting = {
        name
        for name in names
        if name.split(":")[0] in {"workspace", "requests", "feedback", "accounts", "my-country"}
        and any(
            word in name
            for word in (
                "new",
                "create",
                "edit",
                "status",
                "duplicate",
                "attachment-add",
                "import",
                "narrative",
                "publish",
                "transition",
                "close",
                "add",
                "budget",
                "need",
                "received",
                "donors",
                "questionnaire",
                "invite",
                "active",
                "revoke",
                "restore",
            )
        )
    }
    missing = sorted(posting - set(WRITE_ROUTES))
    assert not missing, f"write routes without a permission test: {missing}"
