"""Shared fixtures. The real 2012 Work Plan is the first fixture."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

PLAN_2012 = Path(__file__).resolve().parent.parent / "src/cicte/plan/fixtures/2012-work-plan.txt"


# Hypothesis: no per-example deadline. On a loaded 2-core machine a slow example is not a
# failure (speed is measured in benchmarks/, never asserted in tests).
settings.register_profile("cicte", deadline=None)
settings.load_profile("cicte")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """MD5 hashing in tests (argon2 stays the production hasher, see settings.py and
    tests/accounts/test_deploy.py): argon2 costs ~0.1 s per user created or signed in."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _iati_reporting_org():
    """A reporting-organisation reference, so the IATI pages and endpoint answer in the
    permission matrices (tests/iati checks the refusal without one)."""
    from django.test.utils import override_settings

    with override_settings(IATI_REPORTING_ORG_REF="XM-TEST-CICTE"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_immediately():
    """Background jobs run at once in the caller during tests (django-tasks' immediate
    backend); tests of the queue itself switch to the database backend (tests/ops)."""
    from django.test.utils import override_settings

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest):
    """A new in-memory cache per test: data versions start again in every test database, so
    entries must not outlive the test that wrote them."""
    from django.test.utils import override_settings

    location = f"test-{request.node.nodeid}"
    cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}
    with override_settings(CACHES={"default": cache}):
        yield


@pytest.fixture(scope="session")
def plan_2012_document():
    """The parsed 2012 Work Plan (plain data, parsed once per session)."""
    from cicte.plan.parsing.canonical import load_plan_file

    return load_plan_file(PLAN_2012).plan


@pytest.fixture
def plan_2012(db, plan_2012_document):
    """The 2012 Work Plan imported into the test database."""
    from cicte.core.types import SYSTEM
    from cicte.plan.services import plan_import

    return plan_import(document=plan_2012_document, actor=SYSTEM).plan


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="officer", password="a-long-test-password", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- Browser (Playwright, sync API, the system Chromium): one browser per test session ---

# Sync Playwright runs an event loop in this thread; Django's ORM then refuses to run
# ("SynchronousOnlyOperation") unless told that this is fine in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CICTE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = _chromium_path()
    if path is None:
        pytest.skip(f"Chromium not found at {CHROMIUM} (run 'make browser' to install it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request through LocaleMiddleware (or a command run in another language) leaves its
    language active in this thread; the next test starts from the default language again,
    whatever order the workers run the tests in."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _close_browser_contexts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every context a browser test opened is closed when it ends, before the live server's
    database access is withdrawn: a page left open (a job's progress page refreshes itself)
    would otherwise keep requesting the session's live server during later tests. The
    browser and the live server are asked for first, so this closes before they are left."""
    names = request.fixturenames
    if request.node.get_closest_marker("browser") is None or "browser" not in names:
        yield
        return
    if "live_server" in names:
        request.getfixturevalue("live_server")
    browser = request.getfixturevalue("browser")
    yield
    for context in list(browser.contexts):
        context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --- The PostgreSQL run repeats only what depends on the database backend -----------------

#: Fixtures that make a test run against SQLite files of its own whatever DATABASE_URL says
#: (subprocess sites, backups): the SQLite run covers them, the PostgreSQL run would repeat them.
_SQLITE_ONLY_FIXTURES = frozenset({"sqlite_template", "sqlite_site", "file_db"})
_DB_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "live_server"})


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _touches_the_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if names & _SQLITE_ONLY_FIXTURES or item.get_closest_marker("browser") is not None:
        return False
    return bool(names & _DB_FIXTURES) or item.get_closest_marker("django_db") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, deselect the tests that never reach the configured database (parsers,
    renderers, hypothesis properties of pure functions, subprocess sites on their own SQLite
    files): their outcome does not depend on the backend and the SQLite run has them. The
    browser journeys drive the pages, whose queries the services' and views' tests run on
    both backends; they run once, on SQLite.
    CICTE_PG_ALL=1 runs everything on PostgreSQL too."""
    if not _on_postgres() or os.environ.get("CICTE_PG_ALL"):
        return
    kept = [item for item in items if _touches_the_database(item)]
    if len(kept) != len(items):
        deselected = [item for item in items if not _touches_the_database(item)]
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


# --- Reference data for the browser journeys ------------------------------------------------

#: The data migrations that load reference data (member states, governments as donors,
#: jurisdictions, exercise capabilities), as (module, function).
_REFERENCE_DATA = (
    ("cicte.directory.migrations.0002_member_states", "load", "directory.MemberState"),
    (
        "cicte.directory.migrations.0003_government_donors",
        "add_governments",
        "directory.Organization",
    ),
    ("cicte.strategies.migrations.0002_jurisdictions", "forwards", "strategies.Jurisdiction"),
    ("cicte.exercises.migrations.0002_capabilities", "forward", "exercises.Capability"),
    ("cicte.roster.migrations.0002_nice_skills", "load", "roster.Skill"),
    (
        "cicte.knowledge.migrations.0002_network_and_checklists",
        "forward",
        "knowledge.ChecklistItem",
    ),
)


@pytest.fixture(autouse=True)
def _reference_data_for_live_servers(request: pytest.FixtureRequest) -> None:
    """A live-server test starts from the migrated reference data even when a flush between
    transactional tests has removed it (serialized_rollback does not always restore it once
    several apps' signals run during the reload): each data migration runs again when its
    table is empty."""
    if request.node.get_closest_marker("browser") is None:
        return
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps as django_apps

    for module, function, model in _REFERENCE_DATA:
        if not django_apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), function)(django_apps, None)
