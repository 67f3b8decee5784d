"""Real pages in headless Chromium: GOV.UK look, no CDN requests, and axe-core finds no violations."""

import pytest

from tests.browser import axe_violations, click_and_load, screenshot, sign_in, sign_in_with_the_form
from tests.factories import PASSWORD
from tests.files import REAL_FILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

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


@pytest.fixture
def signed_in_page(page, live_server, demo, sli_lead, dass, admin):
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
def test_pages_have_no_axe_violations(signed_in_page, live_server, username):
    """Every page in PAGES, signed in once (the demo world is seeded once per person, not once per page)."""
    page = signed_in_page(username)
    problems = {}
    for name, path in PAGES:
        page.goto(f"{live_server.url}{path}")
        screenshot(page, f"{name}-{username}")
        found = []
        if page.locator("h1").count() != 1:
            found.append("not exactly one h1")
        if page.locator(".govuk-service-navigation").count() != 1:
            found.append("not exactly one service navigation")
        found.extend(axe_violations(page))
        if found:
            problems[path] = found
    assert problems == {}


def test_sign_in_sort_filter_and_sign_out_journey(page, live_server, demo, sli_lead):
    sign_in_with_the_form(page, live_server.url, "sli.lead", PASSWORD)
    page.goto(f"{live_server.url}/councils/")
    click_and_load(page, "text=GSS code")
    first = page.locator("tbody tr").first.locator("th").inner_text()
    assert first == "Hartlepool"  # E06000001 is the lowest code of every English council
    page.select_option("#id_council_type", "county")
    click_and_load(page, "button:has-text('Apply filters')")
    from councils.models import Council

    assert page.locator("tbody tr").count() == Council.objects.filter(council_type="county").count()
    page.click("button:has-text('Sign out')")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/councils/")
    assert "/accounts/login/" in page.url


def test_upload_preview_confirm_journey_with_the_real_ascof_file(
    signed_in_page, live_server, settings, tmp_path
):
    """An admin loads the real published extract through the web and sees its figures on the scorecard.

    National ASCOF data is loaded by admins only (docs/SECURITY.md)."""
    import csv
    from decimal import Decimal

    settings.IMPORT_UPLOAD_DIR = tmp_path
    real_file = str(REAL_FILE)
    page = signed_in_page("admin.user")
    page.goto(f"{live_server.url}/imports/new/")
    screenshot(page, "import-upload")
    assert axe_violations(page) == []
    page.check("input[name=kind][value=ascof]")
    page.set_input_files("input[type=file]", real_file)
    page.click("button:has-text('Check the file')")
    page.wait_for_selector("button:has-text('Confirm import')")
    assert "8,768" in page.content()
    screenshot(page, "import-preview")
    assert axe_violations(page) == []
    page.click("button:has-text('Confirm import')")
    page.wait_for_selector(".govuk-notification-banner--success")
    screenshot(page, "import-done")

    with open(real_file, encoding="utf-8") as handle:
        expected = next(
            Decimal(r["Measure_Value"])
            for r in csv.DictReader(handle)
            if r["Year"] == "2019-20" and r["ONS Code"] == "E08000025" and r["Measure Group"] == "2A2"
        )
    page.goto(f"{live_server.url}/councils/E08000025/scorecard/?period=2019-20")
    row = page.locator("tr", has=page.locator("a:has-text('2A2')"))
    assert f"{expected:.1f}" in row.inner_text()
    assert page.locator(".app-demo-notice").count() == 0  # real figures: no demo label
    page.goto(f"{live_server.url}/imports/")
    assert "ascof_2018-19_to_2019-20.csv" in page.content()


@pytest.mark.parametrize(
    ("name", "path"),
    [("people", "/regions/E12000005/people/"), ("imports", "/imports/"), ("forbidden", "/imports/new/")],
)
def test_role_pages_have_no_axe_violations(signed_in_page, live_server, name, path):
    """The lead's own pages, and the 403 page a DASS gets for them."""
    username = "dass.birmingham" if name == "forbidden" else "sli.lead"
    page = signed_in_page(username)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == (403 if name == "forbidden" else 200)
    screenshot(page, f"{name}-{username}")
    assert axe_violations(page) == []


def test_failed_upload_preview_lists_problems_accessibly(signed_in_page, live_server, settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
        "Geographical Level,Disaggregation Level,Measure Type\n"
        "2019-20,Birmingham,E08000025,1A,QoL,abc,Council,Total,Outcome\n"
        "2019-20,Birmingham,E08000025,9Z,Nope,12,Council,Total,Outcome\n"
    )
    page = signed_in_page("admin.user")
    page.goto(f"{live_server.url}/imports/new/")
    click_and_load(page, "button:has-text('Check the file')")  # nothing chosen: GOV.UK error summary
    assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == []
    page.check("input[name=kind][value=ascof]")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button:has-text('Check the file')")
    page.wait_for_selector("text=Upload a corrected file")
    text = page.content()
    assert "Measure_Value" in text and "9Z" in text
    assert page.locator("button:has-text('Confirm import')").count() == 0
    screenshot(page, "import-failed")
    assert axe_violations(page) == []
