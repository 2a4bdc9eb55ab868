"""Services: record, update, duplicate, status, attachments, organizations; one place for rules."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cicte.core.errors import ApplicationError
from cicte.core.types import SYSTEM
from cicte.delivery.models import Attachment, Event, EventStatus, EventTarget
from cicte.delivery.services import (
    CountryRow,
    EventValidationError,
    attachment_add,
    event_duplicate,
    event_record,
    event_set_status,
    event_update,
)
from cicte.directory.models import MemberState, Organization
from cicte.directory.services import organization_create

pytestmark = pytest.mark.django_db


def record(plan, actor=SYSTEM, **overrides):
    values = {
        "actor": actor,
        "plan": plan,
        "kind": "workshop",
        "title": "National workshop on port security",
        "start_date": dt.date(2012, 3, 5),
        "end_date": dt.date(2012, 3, 7),
        "targets": [(plan.targets.get(code="1.A.1.a"), 1)],
        "status": EventStatus.HELD,
    }
    values.update(overrides)
    return event_record(**values)


def test_record_event_with_everything(plan, officer):
    jam = MemberState.objects.get(code="JAM")
    cip = Organization.objects.get(acronym="CIP")
    event = record(
        plan,
        officer,
        targets=[(plan.targets.get(code="1.A.1.a"), 1), (plan.targets.get(code="1.A.1.b"), 2)],
        host_state=jam,
        city="Kingston",
        beneficiaries=[jam, "BRB"],
        participants_total=30,
        participants_women=12,
        participants_men=15,
        country_participation=[
            CountryRow("JAM", 10, 12, 2),
            CountryRow(jam.__class__.objects.get(code="BRB"), 2, 3, 1),
        ],
        partners=[cip],
        cost=Decimal("12000.00"),
        currency="usd",
    )
    assert event.created_by == officer
    assert dict(event.contributions.values_list("target__code", "units")) == {
        "1.A.1.a": 1,
        "1.A.1.b": 2,
    }
    assert sorted(event.beneficiaries.values_list("code", flat=True)) == ["BRB", "JAM"]
    assert event.participants_not_stated == 3
    assert event.currency == "USD"
    assert event.country_participation.count() == 2
    created = event.history.last()
    assert created.history_user == officer and created.history_type == "+"
    assert {h.history_user for h in event.history.all()} == {officer}
    assert EventTarget.history.filter(event_id=event.pk).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"end_date": dt.date(2012, 3, 1)}, "end_date", "end_before_start"),
        (
            {"participants_total": 10, "participants_women": 6, "participants_men": 6},
            "participants_women",
            "sex_exceeds_total",
        ),
        ({"targets": []}, "targets", "no_target"),
        ({"beneficiaries": ["JAM", "XXX"]}, "beneficiaries", "unknown_beneficiary"),
        ({"title": "  "}, "title", "required"),
        ({"kind": "party"}, "kind", "invalid_choice"),
        (
            {"participants_total": 5, "country_participation": [CountryRow("JAM", 4, 4, 0)]},
            "country_participation",
            "countries_exceed_total",
        ),
    ],
)
def test_validation_names_the_field(plan, overrides, field, code):
    with pytest.raises(EventValidationError) as info:
        record(plan, **overrides)
    assert field in info.value.fields
    assert code in [p.code for p in info.value.problems]
    assert Event.objects.count() == 0


def test_units_must_be_positive(plan, target):
    with pytest.raises(EventValidationError) as info:
        record(plan, targets=[(target, 0)])
    assert info.value.by_field()["units"][0].code == "units_not_positive"


def test_target_from_another_plan_is_refused(plan, other_plan_target):
    with pytest.raises(EventValidationError) as info:
        record(plan, targets=[(other_plan_target, 1)])
    assert [p.code for p in info.value.problems] == ["target_other_plan"]


def test_several_problems_at_once(plan):
    with pytest.raises(EventValidationError) as info:
        record(
            plan,
            end_date=dt.date(2012, 1, 1),
            participants_total=1,
            participants_women=2,
            targets=[],
        )
    assert {"end_date", "participants_women", "targets"} <= set(info.value.fields)


def test_update_changes_values_targets_and_relations(plan, officer):
    event = record(plan, officer)
    b = plan.targets.get(code="1.A.1.b")
    updated = event_update(
        actor=officer,
        event=event,
        title="Renamed",
        targets=[(b, 3)],
        beneficiaries=["HTI"],
        participants_total=5,
        participants_women=5,
    )
    assert updated.title == "Renamed"
    assert list(updated.contributions.values_list("target__code", "units")) == [("1.A.1.b", 3)]
    assert list(updated.beneficiaries.values_list("code", flat=True)) == ["HTI"]
    assert updated.history.count() >= 2
    assert updated.history.first().history_user == officer


def test_update_validates_against_current_values(plan):
    event = record(plan, participants_total=10, participants_women=5, participants_men=5)
    with pytest.raises(EventValidationError):
        event_update(actor=SYSTEM, event=event, participants_total=8)
    with pytest.raises(EventValidationError):
        event_update(actor=SYSTEM, event=event, end_date=dt.date(2012, 1, 1))
    event.refresh_from_db()
    assert event.participants_total == 10


def test_update_rejects_unknown_fields(plan):
    event = record(plan)
    with pytest.raises(TypeError, match="colour"):
        event_update(actor=SYSTEM, event=event, colour="red")


def test_duplicate(plan, officer):
    event = record(
        plan,
        officer,
        beneficiaries=["JAM"],
        participants_total=4,
        country_participation=[CountryRow("JAM", 1, 1, 0)],
    )
    copy = event_duplicate(actor=officer, event=event)
    assert copy.pk != event.pk
    assert copy.status == EventStatus.PLANNED
    assert copy.title.startswith(event.title) and copy.title != event.title
    assert list(copy.contributions.values_list("target__code", flat=True)) == ["1.A.1.a"]
    assert list(copy.beneficiaries.values_list("code", flat=True)) == ["JAM"]
    assert copy.country_participation.count() == 1
    assert copy.import_key is None


def test_set_status(plan, officer):
    event = record(plan, status=EventStatus.PLANNED)
    event = event_set_status(actor=officer, event=event, status=EventStatus.HELD)
    assert Event.objects.get(pk=event.pk).status == "held"
    assert event.history.first().history_user == officer
    with pytest.raises(EventValidationError):
        event_set_status(actor=officer, event=event, status="done")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"%PDF-1.4\n%...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_attachment_types_are_checked_by_content(
    plan, officer, settings, tmp_path, content, content_type
):
    settings.MEDIA_ROOT = tmp_path
    event = record(plan)
    upload = SimpleUploadedFile("agenda.bin", content, content_type="text/plain")
    attachment = attachment_add(actor=officer, event=event, kind="agenda", uploaded_file=upload)
    assert attachment.content_type == content_type
    assert attachment.original_name == "agenda.bin"
    assert attachment.size == len(content)
    assert attachment.file.read() == content
    assert attachment.history.first().history_user == officer


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"MZ\x90\x00 an executable", "file_type"),
        (b"<html><script>alert(1)</script>", "file_type"),
        (b"PK\x03\x04 not a zip", "file_type"),
        (b"", "empty"),
    ],
)
def test_attachment_refused(plan, settings, tmp_path, content, code):
    settings.MEDIA_ROOT = tmp_path
    event = record(plan)
    upload = SimpleUploadedFile("report.pdf", content)
    with pytest.raises(EventValidationError) as info:
        attachment_add(actor=SYSTEM, event=event, kind="report", uploaded_file=upload)
    assert info.value.problems[0].code == code
    assert Attachment.objects.count() == 0


def test_attachment_size_limit(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CICTE_MAX_UPLOAD_BYTES = 100
    event = record(plan)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200)
    with pytest.raises(EventValidationError) as info:
        attachment_add(actor=SYSTEM, event=event, kind="report", uploaded_file=upload)
    assert info.value.problems[0].code == "too_large"


def test_organization_quick_add(officer):
    org = organization_create(actor=officer, name="  Caribbean   Community ", acronym="CARICOM")
    assert org.name == "Caribbean Community" and org.acronym == "CARICOM"
    assert org.history.first().history_user == officer
    again = organization_create(actor=officer, name="caribbean community", acronym="")
    assert again.pk == org.pk
    with pytest.raises(ApplicationError):
        organization_create(actor=officer, name=" ", acronym="X")
