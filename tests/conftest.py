"""Shared fixtures: the West Midlands reference data, one persona per role, the demo figures, a self-assessment
cycle, a task worker, and the browser's settings. Fixtures one feature's tests share live in that feature's
folder (tests/<app>/<feature>/conftest.py); helpers every test may import live in tests/factories.py and the
other modules here that are not tests (files, worked_example, task_helpers, browser, pack_helpers,
selfassessment_helpers, and worlds and snapshots, which keep seeded data from being seeded again)."""

import os

import pytest
from django.test import Client

from councils.models import Council, Membership, Region
from tests.factories import PASSWORD, PERSONAS, MembershipFactory, UserFactory  # noqa: F401 (PASSWORD, PERSONAS: for older imports)
from tests.selfassessment_helpers import hand_made_values, make_cycle
from tests.task_helpers import Worker
from tests.worlds import WORLDS, once_per_module, seeded_once_per_module, seeded_world

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


FIRST = ("long", "browser", "pdf")  # markers of the tests run first, in this order


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """The longest tests first (each kind in the order collected), so that, with ``--dist worksteal``, a worker
    that runs out of tests takes quick ones from the other's queue and both finish together. The order is
    otherwise free: a test that is not transactional rolls back, and a transactional one puts the database
    back as migrated."""
    items.sort(
        key=lambda item: next((n for n, m in enumerate(FIRST) if item.get_closest_marker(m)), len(FIRST))
    )
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
def _transactional_tests_put_the_migrated_database_back():
    """A transactional test (a browser test, a task worker) commits what it writes, and Django empties every
    table when it ends. Instead, the database is put back as the migrations left it, from a snapshot taken
    before the process's first transactional test: much quicker than emptying it and loading the reference
    data again, and a test that runs after it (in any order) finds the reference data as always."""
    from django.test import TransactionTestCase

    setup = TransactionTestCase.__dict__["_fixture_setup"].__func__  # a class method
    teardown = TransactionTestCase._fixture_teardown

    def restores(case) -> bool:  # type: ignore[no-untyped-def]
        return not case.serialized_rollback and case.available_apps is None and not case.fixtures

    def fixture_setup(cls):  # type: ignore[no-untyped-def]
        setup(cls)
        if restores(cls):
            WORLDS.transactional_test_began()

    def fixture_teardown(self):  # type: ignore[no-untyped-def]
        if not restores(self) or WORLDS.baseline is None:
            return teardown(self)
        WORLDS.transactional_test_ended()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_setup", classmethod(fixture_setup))
        patch.setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)
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


@pytest.fixture
def reference_data(db):
    """The shipped reference data (regions, councils, the catalogue, the self-assessment frameworks). The
    migrations load it; a test in a rolled-back transaction keeps it, and a transactional test starts from the
    database as migrated (see ``_transactional_tests_put_the_migrated_database_back``)."""


@pytest.fixture(scope="module")
def demo_once_per_module(django_db_setup, django_db_blocker):
    """The demo figures seeded once for the module (``pytestmark = pytest.mark.usefixtures(…)``)."""
    from scorecard.demo import demo_values_seed

    yield from seeded_once_per_module(django_db_blocker, demo_values_seed)


@pytest.fixture
def demo(request, reference_data):
    """The West Midlands' synthetic demo figures (what ``make run`` shows); returns the seed's summary."""
    from scorecard.demo import demo_values_seed

    seeded = once_per_module(request, "demo_once_per_module")
    if seeded is not None:
        return seeded
    return seeded_world(request, "demo", on="baseline", seed=demo_values_seed)


@pytest.fixture
def demo_summits(request, demo):
    """The demo figures, the demo self-assessments and the demo summits (what ``make run`` shows)."""
    from peerchallenge.services import seed_demo_summits
    from selfassessment.demo import self_assessment_demo_seed

    def seed() -> None:
        self_assessment_demo_seed()
        seed_demo_summits(region_gss_code="E12000005")

    return seeded_world(request, "demo-summits", on="demo", seed=seed)


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
