from __future__ import annotations

import pytest

from tests.assistance.factories import user_with_role


@pytest.fixture
def secretariat(db):
    return user_with_role("secretariat", username="sec")


@pytest.fixture
def poc_jam(db):
    return user_with_role("point_of_contact", username="poc-jam", member_state="JAM")


@pytest.fixture
def poc_bra(db):
    return user_with_role("point_of_contact", username="poc-bra", member_state="BRA")


@pytest.fixture
def donor_user(db):
    return user_with_role("donor", username="donor")


@pytest.fixture(autouse=True)
def english_by_default():
    """Pages requested in Spanish leave Spanish active in the thread: reset it each test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
