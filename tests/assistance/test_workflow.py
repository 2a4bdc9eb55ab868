"""Every transition of the request workflow, allowed and refused, through the service."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from cicte.assistance.models import (
    AssistanceRequest,
    NotificationStatus,
    RequestNotification,
    RequestStatus,
    RequestTransition,
)
from cicte.assistance.services import AssistanceErrorCode, request_submit, request_transition
from cicte.assistance.workflow import TRANSITIONS
from cicte.core.errors import ApplicationError
from tests.assistance.factories import AssistanceRequestFactory, state
from tests.factories import EventFactory, ProjectFactory, TargetFactory

S = RequestStatus

# The workflow written out independently of the table under test.
EXPECTED_STEPS = {
    (S.SUBMITTED, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, S.ACCEPTED),
    (S.UNDER_REVIEW, S.DECLINED),
    (S.ACCEPTED, S.SCHEDULED),
    (S.SCHEDULED, S.DELIVERED),
    (S.DELIVERED, S.CLOSED),
    (S.DECLINED, S.CLOSED),
}
ALL_PAIRS = [(a, b) for a, b in itertools.product(S.values, S.values)]
REFUSED_PAIRS = [pair for pair in ALL_PAIRS if pair not in EXPECTED_STEPS]


def test_table_matches_the_documented_workflow():
    table_steps = {(a, b) for a, nexts in TRANSITIONS.items() for b in nexts}
    assert table_steps == EXPECTED_STEPS


def _kwargs_for(to_status, request):
    if to_status == S.ACCEPTED:
        return {"project": ProjectFactory()}
    if to_status == S.DECLINED:
        return {"decline_reason": "Outside the mandate"}
    if to_status == S.SCHEDULED:
        return {"events": [EventFactory(status="planned")]}
    if to_status == S.DELIVERED:
        request.events.set([EventFactory(status="held")])
    return {}


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED_STEPS))
def test_each_allowed_step_is_recorded(secretariat, from_status, to_status):
    request = AssistanceRequestFactory(status=from_status)
    kwargs = _kwargs_for(to_status, request)
    result = request_transition(
        actor=secretariat, request=request, to_status=to_status, note="ok", **kwargs
    )
    assert result.status == to_status
    assert AssistanceRequest.objects.get(pk=request.pk).status == to_status
    step = RequestTransition.objects.get(request=request)
    assert (step.from_status, step.to_status, step.actor, step.note) == (
        from_status,
        to_status,
        secretariat,
        "ok",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), REFUSED_PAIRS)
def test_each_skipped_or_backward_step_is_refused(secretariat, from_status, to_status):
    request = AssistanceRequestFactory(status=from_status)
    kwargs = {
        "project": ProjectFactory(),
        "decline_reason": "reason",
        "events": [EventFactory(status="held")],
    }
    with pytest.raises(ApplicationError) as info:
        request_transition(actor=secretariat, request=request, to_status=to_status, **kwargs)
    assert info.value.code == AssistanceErrorCode.INVALID_TRANSITION
    assert AssistanceRequest.objects.get(pk=request.pk).status == from_status
    assert not RequestTransition.objects.filter(request=request).exists()


@pytest.mark.django_db
def test_full_path_from_submission_to_closing(secretariat, poc_jam):
    target = TargetFactory()
    event = EventFactory(status="planned")
    request = request_submit(
        actor=poc_jam,
        member_state=state("JAM"),
        title="Port security training",
        needs="Two courses for port facility officers",
        contact_name="Ana",
        contact_email="ana@example.gov",
    )
    request_transition(actor=secretariat, request=request, to_status=S.UNDER_REVIEW)
    request_transition(actor=secretariat, request=request, to_status=S.ACCEPTED, target=target)
    request_transition(actor=secretariat, request=request, to_status=S.SCHEDULED, events=[event])
    with pytest.raises(ApplicationError) as info:
        request_transition(actor=secretariat, request=request, to_status=S.DELIVERED)
    assert info.value.code == AssistanceErrorCode.EVENTS_NOT_HELD
    event.status = "held"
    event.save()
    request_transition(actor=secretariat, request=request, to_status=S.DELIVERED)
    request_transition(actor=poc_jam, request=request, to_status=S.CLOSED, note="Thanks")
    request.refresh_from_db()
    assert request.status == S.CLOSED
    assert request.project == target.project  # accepting on a target links its project
    assert list(request.events.all()) == [event]
    steps = list(request.transitions.values_list("from_status", "to_status"))
    assert steps == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.ACCEPTED),
        (S.ACCEPTED, S.SCHEDULED),
        (S.SCHEDULED, S.DELIVERED),
        (S.DELIVERED, S.CLOSED),
    ]


@pytest.mark.django_db
class TestRequirements:
    def test_accept_without_project_or_target(self, secretariat):
        request = AssistanceRequestFactory(status=S.UNDER_REVIEW)
        with pytest.raises(ApplicationError) as info:
            request_transition(actor=secretariat, request=request, to_status=S.ACCEPTED)
        assert info.value.code == AssistanceErrorCode.LINK_REQUIRED
        assert AssistanceRequest.objects.get(pk=request.pk).status == S.UNDER_REVIEW

    def test_accept_with_target_of_another_project(self, secretariat):
        request = AssistanceRequestFactory(status=S.UNDER_REVIEW)
        with pytest.raises(ApplicationError) as info:
            request_transition(
                actor=secretariat,
                request=request,
                to_status=S.ACCEPTED,
                project=ProjectFactory(),
                target=TargetFactory(),
            )
        assert info.value.code == AssistanceErrorCode.INVALID

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_decline_without_reason(self, secretariat, reason):
        request = AssistanceRequestFactory(status=S.UNDER_REVIEW)
        with pytest.raises(ApplicationError) as info:
            request_transition(
                actor=secretariat, request=request, to_status=S.DECLINED, decline_reason=reason
            )
        assert info.value.code == AssistanceErrorCode.REASON_REQUIRED

    def test_decline_keeps_the_reason(self, secretariat):
        request = AssistanceRequestFactory(status=S.UNDER_REVIEW)
        request_transition(
            actor=secretariat, request=request, to_status=S.DECLINED, decline_reason=" No funds "
        )
        assert AssistanceRequest.objects.get(pk=request.pk).decline_reason == "No funds"

    def test_schedule_without_events(self, secretariat):
        request = AssistanceRequestFactory(status=S.ACCEPTED)
        with pytest.raises(ApplicationError) as info:
            request_transition(actor=secretariat, request=request, to_status=S.SCHEDULED, events=[])
        assert info.value.code == AssistanceErrorCode.EVENTS_REQUIRED

    def test_schedule_with_a_cancelled_event(self, secretariat):
        request = AssistanceRequestFactory(status=S.ACCEPTED)
        with pytest.raises(ApplicationError) as info:
            request_transition(
                actor=secretariat,
                request=request,
                to_status=S.SCHEDULED,
                events=[EventFactory(status="planned"), EventFactory(status="cancelled")],
            )
        assert info.value.code == AssistanceErrorCode.INVALID
        assert not request.events.exists()

    @pytest.mark.parametrize("status", ["planned", "confirmed", "postponed", "cancelled"])
    def test_deliver_with_an_event_not_held(self, secretariat, status):
        request = AssistanceRequestFactory(status=S.SCHEDULED)
        request.events.set([EventFactory(status="held"), EventFactory(status=status)])
        with pytest.raises(ApplicationError) as info:
            request_transition(actor=secretariat, request=request, to_status=S.DELIVERED)
        assert info.value.code == AssistanceErrorCode.EVENTS_NOT_HELD
        assert not RequestTransition.objects.filter(request=request).exists()

    def test_deliver_without_linked_events(self, secretariat):
        request = AssistanceRequestFactory(status=S.SCHEDULED)
        with pytest.raises(ApplicationError) as info:
            request_transition(actor=secretariat, request=request, to_status=S.DELIVERED)
        assert info.value.code == AssistanceErrorCode.EVENTS_NOT_HELD


@pytest.mark.django_db
class TestRoles:
    @pytest.mark.parametrize(
        ("from_status", "to_status"), sorted(EXPECTED_STEPS - {(S.DELIVERED, S.CLOSED)})
    )
    def test_point_of_contact_cannot_move_staff_steps(self, poc_jam, from_status, to_status):
        request = AssistanceRequestFactory(status=from_status, member_state=state("JAM"))
        kwargs = _kwargs_for(to_status, request)
        with pytest.raises(ApplicationError) as info:
            request_transition(actor=poc_jam, request=request, to_status=to_status, **kwargs)
        assert info.value.code == AssistanceErrorCode.FORBIDDEN
        assert AssistanceRequest.objects.get(pk=request.pk).status == from_status

    def test_other_country_cannot_close(self, poc_bra):
        request = AssistanceRequestFactory(status=S.DELIVERED, member_state=state("JAM"))
        with pytest.raises(ApplicationError) as info:
            request_transition(actor=poc_bra, request=request, to_status=S.CLOSED)
        assert info.value.code == AssistanceErrorCode.FORBIDDEN

    def test_donor_and_anonymous_cannot_move(self, donor_user):
        from django.contrib.auth.models import AnonymousUser

        request = AssistanceRequestFactory(status=S.SUBMITTED)
        for actor in (donor_user, AnonymousUser()):
            with pytest.raises(ApplicationError) as info:
                request_transition(actor=actor, request=request, to_status=S.UNDER_REVIEW)
            assert info.value.code == AssistanceErrorCode.FORBIDDEN


@pytest.mark.django_db
class TestSubmit:
    def _submit(self, actor, code, **extra):
        values = {
            "title": "Cybersecurity workshop",
            "needs": "A national workshop",
            "contact_name": "Ana",
            "contact_email": "ana@example.gov",
        }
        values.update(extra)
        return request_submit(actor=actor, member_state=state(code), **values)

    def test_point_of_contact_submits_for_own_country(self, poc_jam):
        request = self._submit(poc_jam, "JAM")
        assert request.status == S.SUBMITTED
        assert request.submitted_by == poc_jam
        step = request.transitions.get()
        assert (step.from_status, step.to_status, step.actor) == ("", S.SUBMITTED, poc_jam)

    def test_point_of_contact_cannot_submit_for_another_country(self, poc_jam):
        with pytest.raises(ApplicationError) as info:
            self._submit(poc_jam, "BRA")
        assert info.value.code == AssistanceErrorCode.WRONG_COUNTRY
        assert not AssistanceRequest.objects.exists()

    def test_user_without_country_cannot_submit(self, donor_user):
        with pytest.raises(ApplicationError) as info:
            self._submit(donor_user, "JAM")
        assert info.value.code == AssistanceErrorCode.WRONG_COUNTRY

    def test_secretariat_submits_on_behalf_of_any_country(self, secretariat):
        assert self._submit(secretariat, "BRA").member_state.code == "BRA"

    def test_end_before_start(self, poc_jam):
        import datetime as dt

        with pytest.raises(ApplicationError) as info:
            self._submit(
                poc_jam,
                "JAM",
                preferred_start=dt.date(2012, 5, 2),
                preferred_end=dt.date(2012, 5, 1),
            )
        assert info.value.code == AssistanceErrorCode.INVALID

    def test_bad_email(self, poc_jam):
        with pytest.raises(ApplicationError) as info:
            self._submit(poc_jam, "JAM", contact_email="not-an-address")
        assert info.value.code == AssistanceErrorCode.INVALID
        assert not AssistanceRequest.objects.exists()

    def test_program_sets_work_area(self, poc_jam):
        project = ProjectFactory()
        request = self._submit(poc_jam, "JAM", program=project.program)
        assert request.work_area == project.program.work_area


@pytest.mark.django_db
class TestNotifications:
    def test_mail_sent_after_commit(
        self, secretariat, mailoutbox, django_capture_on_commit_callbacks
    ):
        request = AssistanceRequestFactory(status=S.SUBMITTED, contact_email="ana@example.gov")
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            request_transition(actor=secretariat, request=request, to_status=S.UNDER_REVIEW)
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == ["ana@example.gov"]
        assert "Under review" in mailoutbox[0].subject
        note = RequestNotification.objects.get()
        assert note.status == NotificationStatus.SENT

    def test_no_mail_when_the_step_is_refused(
        self, secretariat, mailoutbox, django_capture_on_commit_callbacks
    ):
        request = AssistanceRequestFactory(status=S.SUBMITTED)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
            request_transition(actor=secretariat, request=request, to_status=S.CLOSED)
        assert mailoutbox == []

    def test_mail_unavailable_keeps_the_transition(
        self, secretariat, settings, django_capture_on_commit_callbacks, caplog
    ):
        # A real SMTP backend pointed at a closed port: connection refused.
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = 9
        settings.EMAIL_TIMEOUT = 2
        request = AssistanceRequestFactory(status=S.SUBMITTED)
        with django_capture_on_commit_callbacks(execute=True):
            request_transition(actor=secretariat, request=request, to_status=S.UNDER_REVIEW)
        assert AssistanceRequest.objects.get(pk=request.pk).status == S.UNDER_REVIEW
        assert RequestTransition.objects.filter(request=request, to_status=S.UNDER_REVIEW).exists()
        failure = RequestNotification.objects.get()
        assert failure.status == NotificationStatus.FAILED
        assert failure.error
        assert "Could not send the notification" in caplog.text
