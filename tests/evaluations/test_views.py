"""Workspace pages (permissions, forms) and the public questionnaire (no account, CSRF,
one answer per browser, closed questionnaire)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cicte.evaluations.models import Evaluation, Questionnaire, Recommendation, Response
from tests.factories import EventFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"satisfaction": "5", "relevance": "4", "knowledge_before": "2", "knowledge_after": "4"}


@pytest.fixture
def questionnaire():
    return Questionnaire.objects.create(event=EventFactory(title="Port security course"))


def _form_fields(client, url):
    page = client.get(url)
    assert page.status_code == 200
    code = re.search(r'name="code" value="([^"]+)"', page.text)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    return {"code": code, "csrfmiddlewaretoken": token}


class TestPublicQuestionnaire:
    def test_answer_without_an_account(self, questionnaire):
        client = Client(enforce_csrf_checks=True)
        url = reverse("feedback:form", args=[questionnaire.token])
        response = client.post(url, {**ANSWERS, **_form_fields(client, url)})
        assert response.status_code == 200
        assert "your answers were recorded" in response.text
        answer = Response.objects.get()
        assert (answer.satisfaction, answer.knowledge_before) == (5, 2)

    def test_csrf_is_enforced(self, questionnaire):
        client = Client(enforce_csrf_checks=True)
        url = reverse("feedback:form", args=[questionnaire.token])
        code = _form_fields(client, url)["code"]
        response = client.post(url, {**ANSWERS, "code": code})
        assert response.status_code == 403
        assert not Response.objects.exists()

    def test_second_answer_from_the_same_browser(self, questionnaire):
        client = Client()
        url = reverse("feedback:form", args=[questionnaire.token])
        client.post(url, {**ANSWERS, **_form_fields(client, url)})
        again = client.get(url)
        assert again.status_code == 409
        assert "already answered" in again.text
        assert Response.objects.count() == 1

    def test_same_form_resubmitted_without_cookies(self, questionnaire):
        client = Client()
        url = reverse("feedback:form", args=[questionnaire.token])
        fields = _form_fields(client, url)
        client.post(url, {**ANSWERS, **fields})
        client.cookies.clear()
        response = client.post(url, {**ANSWERS, **fields})
        assert response.status_code == 409
        assert "already submitted" in response.text
        assert Response.objects.count() == 1

    def test_closed_questionnaire(self, questionnaire):
        client = Client()
        url = reverse("feedback:form", args=[questionnaire.token])
        fields = _form_fields(client, url)
        questionnaire.is_open = False
        questionnaire.save()
        assert "is closed" in client.get(url).text
        response = client.post(url, {**ANSWERS, **fields})
        assert response.status_code == 410
        assert "is closed" in response.text
        assert not Response.objects.exists()

    def test_unknown_token(self, client):
        assert client.get(reverse("feedback:form", args=["nope"])).status_code == 404

    def test_invalid_scores_redisplay_the_form(self, questionnaire):
        client = Client()
        url = reverse("feedback:form", args=[questionnaire.token])
        fields = _form_fields(client, url)
        response = client.post(url, {**ANSWERS, "relevance": "9", **fields})
        assert response.status_code == 200
        assert "errorlist" in response.text
        assert not Response.objects.exists()


class TestWorkspace:
    URLS = [
        "workspace:evaluations-list",
        "workspace:evaluations-new",
        "workspace:evaluations-recommendations",
        "workspace:evaluations-feedback",
    ]

    @pytest.mark.parametrize("name", URLS)
    def test_refused_outside_the_secretariat(self, client, poc_jam, donor_user, name):
        url = reverse(name)
        assert client.get(url).status_code == 302
        for user in (poc_jam, donor_user):
            client.force_login(user)
            assert client.get(url).status_code == 403

    @pytest.mark.parametrize("name", URLS)
    def test_pages_render_for_staff(self, client, secretariat, name):
        client.force_login(secretariat)
        assert client.get(reverse(name)).status_code == 200

    def test_record_evaluation_and_track_a_recommendation(self, client, secretariat):
        client.force_login(secretariat)
        project = ProjectFactory()
        response = client.post(
            reverse("workspace:evaluations-new"),
            {
                "kind": "external",
                "project": project.pk,
                "date": "2012-05-01",
                "evaluator": "External evaluator",
                "rating": "4",
                "findings": "Good",
            },
        )
        evaluation = Evaluation.objects.get()
        assert response["Location"] == evaluation.get_absolute_url()
        client.post(
            reverse("workspace:evaluations-recommendation-add", args=[evaluation.pk]),
            {"text": "Follow up in six months", "owner": secretariat.pk, "due_date": "2012-11-01"},
        )
        rec = Recommendation.objects.get()
        url = reverse("workspace:evaluations-recommendation-status", args=[rec.pk])
        page = client.post(url, {"status": "closed"}, follow=True)
        assert "Say how the recommendation was addressed" in page.text
        client.post(url, {"status": "closed", "note": "Follow-up held"})
        rec.refresh_from_db()
        assert rec.status == "closed"
        detail = client.get(evaluation.get_absolute_url())
        assert "Follow-up held" in detail.text

    def test_evaluation_needs_a_subject(self, client, secretariat):
        client.force_login(secretariat)
        response = client.post(
            reverse("workspace:evaluations-new"),
            {"kind": "external", "date": "2012-05-01", "evaluator": "X"},
        )
        assert response.status_code == 200
        assert "project or an event" in response.text
        assert not Evaluation.objects.exists()

    def test_open_and_close_a_questionnaire(self, client, secretariat):
        client.force_login(secretariat)
        event = EventFactory()
        url = reverse("workspace:evaluations-questionnaire")
        client.post(url, {"event": event.pk, "action": "open"})
        questionnaire = Questionnaire.objects.get(event=event)
        page = client.get(reverse("workspace:evaluations-feedback"))
        assert questionnaire.get_absolute_url() in page.text
        client.post(url, {"event": event.pk, "action": "close"})
        questionnaire.refresh_from_db()
        assert not questionnaire.is_open

    def test_results_page(self, client, secretariat, questionnaire):
        Response.objects.create(
            questionnaire=questionnaire,
            satisfaction=4,
            relevance=5,
            knowledge_before=1,
            knowledge_after=4,
            nonce="x",
        )
        client.force_login(secretariat)
        page = client.get(
            reverse("workspace:evaluations-feedback"), {"event": questionnaire.event_id}
        )
        (_kind, _name, summary) = page.context["results"][0]
        assert summary.responses == 1
        assert summary.knowledge_gain == 3


def test_recommendation_owner_choices_are_secretariat_staff(secretariat, poc_jam, donor_user):
    from cicte.evaluations.forms import RecommendationForm

    choices = set(RecommendationForm().fields["owner"].queryset)
    assert secretariat in choices
    assert poc_jam not in choices
    assert donor_user not in choices


def test_edit_page(client, secretariat):
    project = ProjectFactory()
    item = Evaluation.objects.create(
        kind="external", project=project, date="2012-05-01", evaluator="A", rating=2
    )
    client.force_login(secretariat)
    url = reverse("workspace:evaluations-edit", args=[item.pk])
    assert client.get(url).status_code == 200
    client.post(
        url,
        {
            "kind": "external",
            "project": project.pk,
            "date": "2012-05-01",
            "evaluator": "A",
            "rating": "3",
            "findings": "Revised",
        },
    )
    item.refresh_from_db()
    assert (item.rating, item.findings) == (3, "Revised")
