"""Self-assessment pages in headless Chromium: axe-core finds nothing at desktop and phone width, the
screenshots are taken, and typed text survives an expired session."""

import pytest

from tests.browser import axe_violations, click_and_load, clipped, screenshot, sideways_scroll, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRMINGHAM = "E08000025"
CURRENT = "2026-27-peer-challenge"
WIDTHS = {"desktop": 1280, "phone": 390}


def _seed_self_assessments():
    from selfassessment.demo import self_assessment_demo_seed

    self_assessment_demo_seed()


def _check(page, name: str) -> None:  # type: ignore[no-untyped-def]
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"selfassessment-{name}-{label}")
        assert axe_violations(page) == [], (name, label)
    # On a phone no table cell is cut off or reachable only by scrolling sideways (the tables stack).
    cells = "main table tbody td, main table tbody th"
    if page.locator(cells).count():
        assert clipped(page, cells) == [], name


def test_council_pages_are_accessible(page, live_server, demo, dass):
    _seed_self_assessments()
    from selfassessment import services
    from selfassessment.models import SelfAssessment

    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)
    base = f"{live_server.url}/councils/{BIRMINGHAM}/self-assessment/{CURRENT}/"

    page.goto(base)  # submitted: read-only
    assert page.locator("h1").inner_text() == "Birmingham"
    assert page.locator("text=Change the self-assessment").count() == 0
    _check(page, "read-only")
    # On a phone each domain's table stacks: this cycle beside the last, nothing cut or scrolled sideways.
    page.set_viewport_size({"width": 390, "height": 900})
    assert clipped(page, "main table tbody td") == []
    assert sideways_scroll(page) == []
    page.emulate_media(media="print")
    screenshot(page, "selfassessment-read-only-print")
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/councils/{BIRMINGHAM}/scorecard/")
    assert page.locator(".app-self-rating").count() == 6
    _check(page, "scorecard-panels")

    assessment = SelfAssessment.objects.get(council__gss_code=BIRMINGHAM, cycle__slug=CURRENT)
    services.self_assessment_reopen(assessment=assessment, user=None, reason="Add the 2C evidence")
    page.goto(base + "edit/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#id_top_risk_2", "")
    page.check("#id_governance-and-leadership-rating")
    page.evaluate("document.querySelector('#id_culture-and-change-rating-2').checked = false")
    page.evaluate(
        "document.querySelectorAll('input[name=\"culture-and-change-rating\"]').forEach(e => e.checked = false)"
    )
    click_and_load(page, "button:has-text('Continue to check your answers')")
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    assert "Select a rating for Culture and Change" in summary.inner_text()
    assert "Enter the second of your top three risks" in summary.inner_text()
    # The summary links to the field.
    summary.locator("a", has_text="Select a rating for Culture and Change").click()
    assert page.evaluate("document.activeElement.id") == "id_culture-and-change-rating"
    _check(page, "form-error-summary")

    page.goto(base + "history/")
    _check(page, "history")


def test_coordinator_pages_are_accessible(page, live_server, demo, coordinator):
    _seed_self_assessments()
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    for name, path in [
        ("cycles", "/regions/E12000005/self-assessment/"),
        ("cycle", f"/regions/E12000005/self-assessment/{CURRENT}/"),
        ("open-cycle", "/regions/E12000005/self-assessment/new/"),
        ("coordinator-view", f"/councils/{BIRMINGHAM}/self-assessment/{CURRENT}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        _check(page, name)
    page.goto(f"{live_server.url}/regions/E12000005/self-assessment/new/")
    page.fill("#id_name", "")
    click_and_load(page, "button:has-text('Open the cycle')")
    assert "Enter a name for the cycle" in page.locator(".govuk-error-summary").inner_text()
    _check(page, "open-cycle-error")


def test_typed_text_survives_an_expired_session(page, live_server, demo, dass):
    from councils.models import Council
    from scorecard.periods import period_get_or_create
    from tests.selfassessment_helpers import drafted, make_cycle

    cycle = make_cycle(period=period_get_or_create(start_year=2023))
    drafted(cycle=cycle, council=Council.objects.get(gss_code=BIRMINGHAM))
    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)
    edit = f"{live_server.url}/councils/{BIRMINGHAM}/self-assessment/{cycle.slug}/edit/"
    page.goto(edit)
    typed = "Typed just before the session ran out: <b>not</b> lost."
    page.fill("#id_culture-and-change-strengths", typed)
    page.check("#id_culture-and-change-rating-3")  # red
    page.context.clear_cookies()  # the session expires
    page.click("button:has-text('Save as draft')")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    page.fill("#id_username", "dass.birmingham")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(edit)
    assert page.input_value("#id_culture-and-change-strengths") == typed
    assert page.is_checked("#id_culture-and-change-rating-3")
    assert page.locator("#draft-restored").is_visible()
    screenshot(page, "selfassessment-restored-after-sign-in")
    page.click("button:has-text('Save as draft')")
    page.wait_for_url(edit)
    from selfassessment.models import SelfAssessment

    row = SelfAssessment.objects.get(cycle=cycle).domains.get(domain__slug="culture-and-change")
    assert (row.strengths, row.rating) == (typed, "red")
    assert page.locator("#draft-restored").is_hidden()  # the saved version is newer than the stored draft


def test_cqc_framework_pages_are_accessible(page, live_server, demo, dass):
    """The demo cycle on CQC's statements: Birmingham's submitted self-assessment and Walsall's draft's form."""
    _seed_self_assessments()
    from tests.factories import MembershipFactory, UserFactory

    cqc = "2026-27-cqc-assurance"
    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)
    page.goto(f"{live_server.url}/councils/{BIRMINGHAM}/self-assessment/{cqc}/")
    assert (
        page.locator("#implied-rating")
        .inner_text()
        .endswith("(the scores' sum as a share of the most they could be)")
    )
    assert page.locator("h3", has_text="7 Safeguarding").count() == 1
    _check(page, "cqc-read-only")
    page.set_viewport_size({"width": 390, "height": 900})
    assert sideways_scroll(page) == []

    from councils.models import Council, Membership

    walsall = Council.objects.get(gss_code="E08000030")
    MembershipFactory(
        user=UserFactory(username="dass.walsall.test"), role=Membership.Role.DASS, council=walsall
    )
    page.context.clear_cookies()  # signed out
    sign_in(page, live_server.url, "dass.walsall.test", PASSWORD)
    page.goto(f"{live_server.url}/councils/E08000030/self-assessment/{cqc}/edit/")
    assert page.locator("input[name='qs9-score']").count() == 4
    _check(page, "cqc-edit")
    page.set_viewport_size({"width": 390, "height": 900})
    assert sideways_scroll(page) == []
