"""Playwright (sync API) driving the system Chromium against pytest-django's live server."""

from __future__ import annotations

import pytest

PASSWORD = "a-long-browser-password"


def _ensure_member_states() -> None:
    """Live-server tests use a transactional database that is flushed between tests; the
    member states come from a data migration, so put them back when a flush removed them."""
    from cicte.directory.data import MEMBER_STATES
    from cicte.directory.models import MemberState

    if MemberState.objects.count() == len(MEMBER_STATES):
        return
    for code, alpha2, subregion, small_island in MEMBER_STATES:
        MemberState.objects.get_or_create(
            code=code,
            defaults={"alpha2": alpha2, "subregion": subregion, "small_island_state": small_island},
        )


@pytest.fixture
def officer(transactional_db, django_user_model):
    _ensure_member_states()
    return django_user_model.objects.create_user(
        username="browser-officer", password=PASSWORD, is_staff=True
    )


@pytest.fixture
def signed_in(page, live_server, officer):
    """A page signed in as Secretariat staff through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.content()[:2000]
    return page
