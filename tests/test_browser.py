"""Real pages in headless Chromium: GOV.UK look, no CDN requests, and axe-core finds no violations."""

import pytest

from tests.browser import axe_violations, screenshot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("home", "/"),
    ("councils", "/councils/"),
    ("council", "/councils/E08000025/"),
    ("region", "/regions/E12000005/"),
    ("council-scorecard", "/councils/E08000025/scorecard/"),
    ("region-scorecard", "/regions/E12000005/scorecard/"),
    ("compare", "/compare/?councils=E08000025&councils=E08000026&councils=E10000034"),
    ("compare-error", "/compare/?councils=E08000025"),
    ("measures", "/measures/"),
    ("measure", "/measures/ascof-2023-2c/"),
]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests empty the database; put the migrated reference data back."""
    from councils.services import reference_data_load
    from scorecard.catalogue import catalogue_load
    from scorecard.demo import demo_values_seed

    reference_data_load()
    catalogue_load()
    demo_values_seed()


@pytest.fixture
def signed_in_page(page, live_server, reference_data, sli_lead, dass):
    def go(username: str):
        sign_in(page, live_server.url, username, PASSWORD)
        return page

    return go


def test_sign_in_page_is_accessible_and_local_only(page, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.title() == "Sign in – SLI Scorecard"
    # Styled by the compiled govuk-frontend with Arial (GDS Transport is for gov.uk only).
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.lower().startswith("arial")
    screenshot(page, "sign-in")
    assert axe_violations(page) == []
    assert all(url.startswith(live_server.url) for url in requests), requests


@pytest.mark.parametrize("username", ["sli.lead", "dass.birmingham"])
@pytest.mark.parametrize(("name", "path"), PAGES)
def test_pages_have_no_axe_violations(signed_in_page, live_server, username, name, path):
    page = signed_in_page(username)
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").count() == 1
    assert page.locator(".govuk-service-navigation").count() == 1
    screenshot(page, f"{name}-{username}")
    assert axe_violations(page) == []


def test_sort_filter_and_sign_out_journey(signed_in_page, live_server):
    page = signed_in_page("sli.lead")
    page.goto(f"{live_server.url}/councils/")
    page.click("text=GSS code")
    first = page.locator("tbody tr").first.locator("th").inner_text()
    assert first == "Herefordshire"  # E06000019 is the lowest code
    page.select_option("#id_council_type", "county")
    page.click("button:has-text('Apply filters')")
    assert page.locator("tbody tr").count() == 3
    page.click("button:has-text('Sign out')")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/councils/")
    assert "/accounts/login/" in page.url
