"""The request pages: who sees what, and one pass through each form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cicte.assistance.models import AssistanceRequest, RequestStatus
from tests.assistance.factories import AssistanceRequestFactory, state
from tests.factories import EventFactory, ProjectFactory

S = RequestStatus


@pytest.fixture
def jam_request(db):
    return AssistanceRequestFactory(member_state=state("JAM"), contact_email="ana@jam.example")


@pytest.mark.django_db
class TestPointOfContactPages:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("requests:list"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_user_without_country_is_refused(self, client, donor_user):
        client.force_login(donor_user)
        assert client.get(reverse("requests:list")).status_code == 403
        assert client.get(reverse("requests:new")).status_code == 403

    def test_secretariat_is_sent_to_the_queue(self, client, secretariat):
        client.force_login(secretariat)
        response = client.get(reverse("requests:list"))
        assert response.status_code == 302
        assert response["Location"] == reverse("workspace:assistance-queue")

    def test_list_shows_only_own_country(self, client, poc_jam, jam_request):
        other = AssistanceRequestFactory(member_state=state("BRA"), title="Brazil's request")
        client.force_login(poc_jam)
        response = client.get(reverse("requests:list"))
        assert response.status_code == 200
        assert jam_request.title in response.text
        assert other.title not in response.text

    def test_detail_of_another_country_is_404(self, client, poc_bra, jam_request):
        client.force_login(poc_bra)
        response = client.get(reverse("requests:detail", args=[jam_request.pk]))
        assert response.status_code == 404

    def test_detail_shows_status_history_and_contact(self, client, poc_jam, jam_request):
        client.force_login(poc_jam)
        response = client.get(reverse("requests:detail", args=[jam_request.pk]))
        assert response.status_code == 200
        assert "ana@jam.example" in response.text
        assert "Submitted" in response.text

    def test_submit_for_own_country(self, client, poc_jam):
        client.force_login(poc_jam)
        response = client.post(
            reverse("requests:new"),
            {
                "title": "CBRN exercise",
                "needs": "A tabletop exercise",
                "contact_name": "Ana",
                "contact_email": "ana@jam.example",
                "preferred_start": "2012-09-01",
                "preferred_end": "2012-09-03",
            },
        )
        item = AssistanceRequest.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("requests:detail", args=[item.pk])
        assert item.member_state.code == "JAM"
        assert item.submitted_by == poc_jam

    def test_submit_form_errors_are_shown(self, client, poc_jam):
        client.force_login(poc_jam)
        response = client.post(
            reverse("requests:new"),
            {
                "title": "X",
                "needs": "Y",
                "contact_name": "Ana",
                "contact_email": "ana@jam.example",
                "preferred_start": "2012-09-05",
                "preferred_end": "2012-09-01",
            },
        )
        assert response.status_code == 200
        assert "before the start date" in response.text
        assert not AssistanceRequest.objects.exists()

    def test_requester_closes_a_delivered_request(self, client, poc_jam):
        item = AssistanceRequestFactory(member_state=state("JAM"), status=S.DELIVERED)
        client.force_login(poc_jam)
        page = client.get(reverse("requests:detail", args=[item.pk]))
        assert reverse("requests:close", args=[item.pk]) in page.text
        client.post(reverse("requests:close", args=[item.pk]), {"note": "Thank you"})
        item.refresh_from_db()
        assert item.status == S.CLOSED

    def test_other_country_cannot_close(self, client, poc_bra):
        item = AssistanceRequestFactory(member_state=state("JAM"), status=S.DELIVERED)
        client.force_login(poc_bra)
        response = client.post(reverse("requests:close", args=[item.pk]))
        assert response.status_code == 404
        item.refresh_from_db()
        assert item.status == S.DELIVERED


@pytest.mark.django_db
class TestStaffQueue:
    @pytest.mark.parametrize("name", ["assistance-queue", "assistance-new"])
    def test_only_secretariat(self, client, poc_jam, donor_user, name):
        url = reverse(f"workspace:{name}")
        assert client.get(url).status_code == 302
        for user in (poc_jam, donor_user):
            client.force_login(user)
            assert client.get(url).status_code == 403

    def test_detail_and_transition_refused_to_point_of_contact(self, client, poc_jam, jam_request):
        client.force_login(poc_jam)
        assert (
            client.get(reverse("workspace:assistance-request", args=[jam_request.pk])).status_code
            == 403
        )
        response = client.post(
            reverse("workspace:assistance-transition", args=[jam_request.pk]),
            {"to_status": S.UNDER_REVIEW},
        )
        assert response.status_code == 403
        jam_request.refresh_from_db()
        assert jam_request.status == S.SUBMITTED

    def test_queue_filters_and_age(self, client, secretariat):

        old = AssistanceRequestFactory(
            member_state=state("JAM"),
            title="Old one",
            # Noon, local time: "40 days ago" at this instant can be 39 local days across
            # a daylight-saving change.
            submitted_at=_local_noon(days_ago=40),
            status_changed_at=_local_noon(days_ago=10),
        )
        AssistanceRequestFactory(member_state=state("BRA"), title="Brazil one")
        AssistanceRequestFactory(member_state=state("JAM"), title="Closed one", status=S.CLOSED)
        client.force_login(secretariat)
        page = client.get(reverse("workspace:assistance-queue"))
        assert page.status_code == 200
        rows = {row.request.title: row for row in page.context["rows"]}
        assert set(rows) == {"Old one", "Brazil one"}  # closed requests hidden by default
        assert rows["Old one"].age_days == 40
        assert rows["Old one"].days_in_status == 10
        page = client.get(reverse("workspace:assistance-queue"), {"country": "jam"})
        assert [r.request.pk for r in page.context["rows"]] == [old.pk]
        page = client.get(reverse("workspace:assistance-queue"), {"status": "closed"})
        assert [r.request.title for r in page.context["rows"]] == ["Closed one"]

    def test_queue_filter_by_program(self, client, secretariat):
        project = ProjectFactory()
        AssistanceRequestFactory(program=project.program, title="In program")
        AssistanceRequestFactory(title="Elsewhere")
        client.force_login(secretariat)
        page = client.get(reverse("workspace:assistance-queue"), {"program": project.program.pk})
        assert [r.request.title for r in page.context["rows"]] == ["In program"]

    def test_queue_htmx_returns_the_table_only(self, client, secretariat, jam_request):
        client.force_login(secretariat)
        page = client.get(reverse("workspace:assistance-queue"), headers={"HX-Request": "true"})
        assert page.status_code == 200
        assert 'id="queue-table"' in page.text
        assert "<html" not in page.text

    def test_staff_records_a_request_for_a_country(self, client, secretariat):
        client.force_login(secretariat)
        response = client.post(
            reverse("workspace:assistance-new"),
            {
                "member_state": state("BRA").pk,
                "title": "Border control",
                "needs": "Document security training",
                "contact_name": "João",
                "contact_email": "joao@bra.example",
            },
        )
        item = AssistanceRequest.objects.get()
        assert response["Location"] == reverse("workspace:assistance-request", args=[item.pk])
        assert item.member_state.code == "BRA"

    def test_transitions_through_the_page(self, client, secretariat, jam_request):
        client.force_login(secretariat)
        url = reverse("workspace:assistance-transition", args=[jam_request.pk])
        client.post(url, {"to_status": S.UNDER_REVIEW})
        project = ProjectFactory()
        client.post(url, {"to_status": S.ACCEPTED, "project": project.pk})
        event = EventFactory(status="planned")
        client.post(url, {"to_status": S.SCHEDULED, "events": [event.pk]})
        jam_request.refresh_from_db()
        assert jam_request.status == S.SCHEDULED
        assert jam_request.project == project
        assert list(jam_request.events.all()) == [event]
        page = client.get(reverse("workspace:assistance-request", args=[jam_request.pk]))
        assert page.status_code == 200
        assert event.title in page.text

    def test_refused_transition_shows_the_error(self, client, secretariat, jam_request):
        client.force_login(secretariat)
        url = reverse("workspace:assistance-transition", args=[jam_request.pk])
        response = client.post(url, {"to_status": S.CLOSED}, follow=True)
        assert "cannot go from" in response.text
        jam_request.refresh_from_db()
        assert jam_request.status == S.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(RequestStatus.values))
def test_staff_detail_renders_in_every_status(client, secretariat, status):
    item = AssistanceRequestFactory(status=status)
    client.force_login(secretariat)
    page = client.get(reverse("workspace:assistance-request", args=[item.pk]))
    assert page.status_code == 200
    assert item.title in page.text


@pytest.mark.django_db
def test_queue_query_count_does_not_grow(django_assert_max_num_queries):
    from cicte.assistance.selectors import request_queue

    for _ in range(5):
        AssistanceRequestFactory(program=ProjectFactory().program)
    with django_assert_max_num_queries(1):
        rows = request_queue()
    assert len(rows) == 5
    with django_assert_max_num_queries(0):
        [(r.request.member_state.code, r.request.program.code) for r in rows]


@pytest.mark.django_db
def test_spanish_pages(client, poc_jam):
    client.force_login(poc_jam)
    page = client.get(reverse("requests:list"), headers={"Accept-Language": "es"})
    assert "Presentar una solicitud" in page.text


def _local_noon(*, days_ago: int):
    import datetime as dt

    from django.utils import timezone

    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
