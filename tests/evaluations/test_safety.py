"""Regressions (issue 10, item 9): open redirect through ``next``; a recommendation without an
owner on the evaluation page and the tracker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cicte.evaluations.models import Evaluation, Recommendation
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation():
    evaluation = Evaluation.objects.create(
        kind="project", project=ProjectFactory(), date=dt.date(2012, 5, 1), findings="f"
    )
    return Recommendation.objects.create(evaluation=evaluation, text="Train more", owner=None)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/x", "http://evil.example", "/\\evil.example"],
)
def test_status_form_next_cannot_leave_the_site(client, secretariat, recommendation, next_url):
    client.force_login(secretariat)
    response = client.post(
        reverse("workspace:evaluations-recommendation-status", args=[recommendation.pk]),
        {"status": "in_progress", "note": "", "next": next_url},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"] == recommendation.evaluation.get_absolute_url()


def test_status_form_next_inside_the_site_is_kept(client, secretariat, recommendation):
    client.force_login(secretariat)
    tracker = reverse("workspace:evaluations-recommendations") + "?status=open"
    response = client.post(
        reverse("workspace:evaluations-recommendation-status", args=[recommendation.pk]),
        {"status": "in_progress", "note": "", "next": tracker},
    )
    assert response["Location"] == tracker


def test_pages_show_a_recommendation_without_owner(client, secretariat, recommendation):
    client.force_login(secretariat)
    for url in (
        recommendation.evaluation.get_absolute_url(),
        reverse("workspace:evaluations-recommendations"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Train more" in response.text
