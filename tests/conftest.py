"""Shared fixtures: the West Midlands reference data, one persona per role, the demo figures, a self-assessment
cycle, a task worker, and the browser's settings. Fixtures one feature's tests share live in that feature's
folder (tests/<app>/<feature>/conftest.py); helpers every test may import live in tests/factories.py and the
other modules here that are not tests (files, worked_example, task_helpers, browser, pack_helpers,
selfassessment_helpers)."""

import os

import pytest
from django.test import Client

from councils.models import Council, Membership, Region
from tests.factories import PASSWORD, PERSONAS, MembershipFactory, UserFactory  # noqa: F401 (PASSWORD, PERSONAS: for older imports)
from tests.selfassessment_helpers import hand_made_values, make_cycle
from tests.task_helpers import Worker

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_addoption(parser):  # type: ignore[no-untyped-def]
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the test database: for a second run of the suite on another engine, "
        "where the others (pure functions, and the backup test, which crosses both engines itself) would "
        "only repeat themselves.",
    )


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    if not config.getoption("--database-tests-only"):
        return
    keep, drop = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_database else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The test database is rolled back after every test; the cache (data-version reads) is emptied too."""
    from django.core.cache import cache

    from core.cache import local_clear

    cache.clear()
    local_clear()
    yield
    cache.clear()
    local_clear()


@pytest.fixture(scope="session", autouse=True)
def _quick_flush_on_postgresql():
    """A transactional test (a browser test, a task worker) empties the database when it ends. On PostgreSQL
    Django empties it with one TRUNCATE of every table, which makes each table anew on disk: about 1–2.5 s for
    this project's 63 tables, after every such test. Deleting the rows in one transaction, the foreign keys
    checked at its end (Django makes them deferrable), empties the same tables in about 0.1 s."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        if not tables:
            return []
        sql = ["SET CONSTRAINTS ALL DEFERRED;"]
        sql += [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables]
        if reset_sequences:
            sequences = self.connection.introspection.sequence_list()
            sql += self.sequence_reset_by_name_sql(style, [s for s in sequences if s["table"] in tables])
        return sql

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", sql_flush)
        yield


@pytest.fixture
def west_midlands(db) -> Region:
    return Region.objects.get(gss_code="E12000005")


@pytest.fixture
def birmingham(db) -> Council:
    return Council.objects.get(gss_code="E08000025")


@pytest.fixture
def coventry(db) -> Council:
    return Council.objects.get(gss_code="E08000026")


@pytest.fixture
def admin(db):
    return UserFactory(username="admin.user", is_staff=True, is_superuser=True)


@pytest.fixture
def sli_lead(west_midlands):
    return MembershipFactory(
        user=UserFactory(username="sli.lead"), role=Membership.Role.SLI_LEAD, region=west_midlands
    ).user


@pytest.fixture
def coordinator(west_midlands):
    return MembershipFactory(
        user=UserFactory(username="coordinator"), role=Membership.Role.COORDINATOR, region=west_midlands
    ).user


@pytest.fixture
def dass(birmingham):
    return MembershipFactory(
        user=UserFactory(username="dass.birmingham"), role=Membership.Role.DASS, council=birmingham
    ).user


@pytest.fixture
def delegate(birmingham):
    return MembershipFactory(
        user=UserFactory(username="delegate.birmingham"), role=Membership.Role.DELEGATE, council=birmingham
    ).user


@pytest.fixture
def other_dass(coventry):
    return MembershipFactory(
        user=UserFactory(username="dass.coventry"), role=Membership.Role.DASS, council=coventry
    ).user


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="no.role")


@pytest.fixture
def other_region(db) -> Region:
    return Region.objects.get(gss_code="E12000004")  # East Midlands


@pytest.fixture
def other_region_lead(other_region):
    return MembershipFactory(
        user=UserFactory(username="other.lead"), role=Membership.Role.SLI_LEAD, region=other_region
    ).user


@pytest.fixture
def other_region_coordinator(other_region):
    return MembershipFactory(
        user=UserFactory(username="other.coordinator"), role=Membership.Role.COORDINATOR, region=other_region
    ).user


def _transactional(request) -> bool:  # type: ignore[no-untyped-def]
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture
def reference_data(request, db):
    """The shipped reference data (regions, councils, the catalogue, the self-assessment frameworks). The migrations load it, and tests in a
    rolled-back transaction keep it; transactional tests start from an emptied database, so it is put back."""
    if _transactional(request):
        from councils.services import reference_data_load
        from scorecard.catalogue import catalogue_load
        from selfassessment.frameworks import frameworks_load

        reference_data_load()
        catalogue_load()
        frameworks_load()


@pytest.fixture
def demo(reference_data):
    """The West Midlands' synthetic demo figures (what ``make run`` shows); returns the seed's summary."""
    from scorecard.demo import demo_values_seed

    return demo_values_seed()


@pytest.fixture
def cycle(db):
    """A self-assessment cycle ("2026-27-peer-challenge") over hand-made 2023-24 figures with a known RAG."""
    return make_cycle(period=hand_made_values())


@pytest.fixture
def worker(settings, tmp_path, reference_data):
    """Queued background tasks run by ``worker.run()``: a real worker of the configured backend, in this
    process, on a queue of the test's own; uploads and built files go to the test's folder."""
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = tmp_path / "media"
    runner = Worker(settings)
    yield runner
    runner.cleanup()


@pytest.fixture
def client_for(request):
    """``client_for("dass")`` → a test client signed in as that persona fixture."""

    def make(persona: str) -> Client:
        user = request.getfixturevalue(persona)
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from tests.browser import CHROMIUM, CHROMIUM_FLAGS

    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test on any Content-Security-Policy violation."""
    from tests.browser import csp_violations_in_page, watch_csp

    violations = watch_csp(page)
    yield page
    violations.extend(csp_violations_in_page(page))
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
