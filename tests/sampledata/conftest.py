"""Fixtures for sample-data tests: the small factory-built plan of the delivery tests
(``plan``); tests on the real plan use ``plan_2012`` from tests/conftest.py."""

from tests.delivery.conftest import plan  # noqa: F401
