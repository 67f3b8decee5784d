"""Shared fixtures: the West Midlands reference data and one signed-in persona per role."""

import os

import pytest
from django.test import Client

from councils.models import Council, Membership, Region
from tests.factories import MembershipFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

PASSWORD = "correct-horse-battery"


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


PERSONAS = ["admin", "sli_lead", "coordinator", "dass", "delegate", "no_role_user"]


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
