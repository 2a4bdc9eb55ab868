"""The privacy matrix: every sensitive field × every role × every path (page, API, export,
search, e-mail). A field's marker must appear exactly where the role may see it: vetted
roster managers and the expert themself on pages, the API and exports; nobody in search
results or e-mail. Reads shown to others are logged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from cicte.directory.models import MemberState
from cicte.roster import services, tasks
from cicte.roster.models import Certification, Mission, SensitiveRead
from tests.roster.world import MARKERS, ROLES, add_past_assignment, build_world

pytestmark = pytest.mark.django_db

#: Who may see expert A's sensitive fields, per path.
ALLOWED = {
    "page": {"expert_self", "roster_manager"},
    "api": {"expert_self", "roster_manager"},
    "export": {"expert_self", "roster_manager"},  # staff export; the expert's own download
    "search": set(),
    "email": set(),
}


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _paths(world, expert_id: int) -> dict[str, list[str]]:
    return {
        "page": [
            f"/workspace/roster/experts/{expert_id}/",
            "/workspace/roster/",
            "/roster/",
            "/roster/country/",
            "/roster/country/?state=BRA",
            f"/workspace/roster/missions/{world.extra['mission'].pk}/",
        ],
        "api": [
            f"/api/roster/experts/{expert_id}",
            "/api/roster/experts",
            "/api/roster/stats",
            "/api/roster/missions",
        ],
        "export": [
            "/workspace/roster/export/csv/",
            "/workspace/roster/export/xlsx/",
            "/roster/me/export.json",
        ],
        "search": [
            "/workspace/roster/?q=Ana",
            "/api/roster/experts?q=Ana",
            "/workspace/roster/?q=PD-WRL-003",
            "/api/roster/experts?q=es",
        ],
    }


@pytest.fixture
def world(plan_2012, django_capture_on_commit_callbacks):
    world = build_world(plan_2012)
    add_past_assignment(world)
    # An open mission on which expert A is a ranked candidate (and alerted).
    request = services.support_request(
        actor=world.users["poc_requesting"],
        member_state=MemberState.objects.get(code="JAM"),
        title="Zqrequest",
        needs="Help",
        contact_name="C",
        contact_email="c@example.org",
        urgency="urgent",
    )
    mission = services.mission_open(
        actor=world.users["secretariat"],
        request=request,
        title="Zqmission",
        kind="incident_response",
        start=dt.date(2030, 5, 1),
        end=dt.date(2030, 5, 5),
        target=world.target,
        skills=[world.skills["PD-WRL-003"]],
        languages=["en"],
    )
    world.extra["mission"] = mission
    Certification.objects.create(
        expert=world.experts["a"], name="GCIH", expires_on=dt.date.today() + dt.timedelta(days=10)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.alert_send(
            actor=world.users["secretariat"],
            mission=mission,
            experts=[world.experts["a"]],
            deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
        )
        for email, lines in tasks.due_reminders(dt.date.today()).items():
            mail.send_mail("reminders", "\n".join(lines), None, [email])
    return world


def test_privacy_matrix(world):
    expert = world.experts["a"]
    paths = _paths(world, expert.pk)
    seen: dict[tuple[str, str, str], bool] = {}
    for role in ROLES:
        client = world.client(role)
        client.raise_request_exception = True
        for path_kind, urls in paths.items():
            bodies = []
            for url in urls:
                response = client.get(url)
                assert response.status_code < 500, (role, url)
                bodies.append(_text(response))
            text = " ".join(bodies)
            for name, marker in MARKERS.items():
                seen[(name, role, path_kind)] = marker in text
    mail_text = " ".join(f"{m.subject} {m.body}" for m in mail.outbox)
    assert mail.outbox, "the alert and the reminder were e-mailed"
    for name, marker in MARKERS.items():
        for role in ROLES:
            seen[(name, role, "email")] = marker in mail_text
    wrong = sorted(
        (name, role, path, found)
        for (name, role, path), found in seen.items()
        if found != (role in ALLOWED[path])
    )
    assert not wrong, wrong
    assert len(seen) == len(MARKERS) * len(ROLES) * 5
    # A search by a sensitive value finds nobody, whoever searches.
    for role in ("roster_manager", "secretariat", "poc_nominating", "expert_self"):
        found = world.client(role).get(f"/api/roster/experts?q={MARKERS['passport_number']}")
        assert found.json()["total"] == 0, role


def test_reads_are_logged_per_path(world):
    expert = world.experts["a"]
    manager = world.client("roster_manager")
    SensitiveRead.objects.all().delete()
    manager.get(f"/workspace/roster/experts/{expert.pk}/")
    manager.get(f"/api/roster/experts/{expert.pk}")
    manager.get("/workspace/roster/export/csv/")
    manager.get("/workspace/roster/?q=Ana")  # search: nothing shown, nothing logged
    reads = SensitiveRead.objects.filter(expert=expert, reader_label="rmanager")
    assert sorted(reads.values_list("path", flat=True)) == ["api", "export", "page"]
    assert "passport_number" in reads.first().fields
    # The expert's own reads are not someone else's read; their download lists the reads.
    data = world.client("expert_self").get("/roster/me/export.json").json()
    assert {r["path"] for r in data["reads_of_sensitive_fields"]} >= {"api", "export", "page"}
    assert data["sensitive"]["passport_number"] == MARKERS["passport_number"]


def test_public_sees_aggregates_only(world):
    anonymous = world.client("anonymous")
    stats = anonymous.get("/api/roster/stats").json()
    assert stats["experts"] == 4 and stats["vetted"] == 4
    assert "Ana" not in str(stats)
    assert anonymous.get("/api/roster/experts").status_code == 401
    assert anonymous.get("/api/roster/missions").status_code == 401
    # A point of contact of another state learns nothing of Jamaica's request.
    other = world.client("poc_other")
    assert other.get("/api/roster/missions").json() == []
    assert "Zqrequest" not in other.get("/roster/country/").content.decode()
    # Experts cannot enumerate other experts.
    items = world.client("other_expert").get("/api/roster/experts").json()["items"]
    assert [i["name"] for i in items] == ["Bruno Zqsecond"]
    # The nominating point of contact sees their nominees, never the sensitive fields.
    items = world.client("poc_nominating").get("/api/roster/experts").json()["items"]
    assert sorted(i["name"] for i in items) == ["Ana Zqexpert", "Bruno Zqsecond"]
    assert all(i["sensitive"] is None for i in items)
    assert Mission.objects.visible_to(world.users["poc_other"]).count() == 0
    # The pages speak Spanish too.
    page = world.client("roster_manager").get("/workspace/roster/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Lista de expertos" in page.content.decode()


def test_leave_and_anonymise(world, settings):
    from django.core.management import call_command

    expert = world.experts["a"]
    client = world.client("expert_self")
    client.post("/roster/me/leave/")
    expert.refresh_from_db()
    assert expert.status == "left"
    settings.CICTE_ROSTER_RETENTION_DAYS = 0
    out = io.StringIO()
    call_command("roster-anonymise", stdout=out)
    assert "1 expert would be anonymised" in out.getvalue()
    expert.refresh_from_db()
    assert expert.status == "left"  # a dry run
    call_command("roster-anonymise", "--apply", stdout=out)
    expert.refresh_from_db()
    assert expert.status == "anonymised" and expert.user is None
    history = " ".join(str(vars(h)) for h in expert.history.all())
    for marker in MARKERS.values():
        assert marker not in history
        assert marker not in str(vars(expert))
    assert not expert.assignments.exclude(appraisal="").exists()
    from cicte.ops import schedule

    assert "roster-anonymise" in schedule.REGISTRY and "roster-reminders" in schedule.REGISTRY
