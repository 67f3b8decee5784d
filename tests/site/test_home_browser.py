"""Each role's home page, and the pages that guard the cycle's steps, in headless Chromium at desktop and
phone widths: no axe-core violations, nothing cut off or scrolled sideways, a screenshot of each."""

import datetime as dt

import pytest

from tests.browser import axe_violations, click_and_load, screenshot, sideways_scroll, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = ((1280, "desktop"), (390, "phone"))


@pytest.fixture
def demo_region(demo_summits, request):  # type: ignore[no-untyped-def]
    """The demo world: figures, both self-assessment cycles (one council still in draft), the demo summits."""
    from peerchallenge.models import Summit

    for persona in ("coordinator", "sli_lead", "dass"):  # after the reference data they belong to
        request.getfixturevalue(persona)
    return Summit.objects.get(is_demo=True, state=Summit.State.PUBLISHED)


def _check_home(page, name: str) -> None:  # type: ignore[no-untyped-def]
    for width, suffix in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert page.locator("h1").count() == 1
        screenshot(page, f"home-{name}-{suffix}")
        assert axe_violations(page) == [], (name, suffix)
        assert sideways_scroll(page) == [], (name, suffix)


def test_each_roles_home_page_says_what_to_do_next_and_passes_axe(page, live_server, demo_region):
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    main = page.locator("main").inner_text()
    assert "Challenge packs built" in main and "What to do next" not in main
    assert page.locator(".app-checklist__item--next").count() >= 1
    _check_home(page, "coordinator")
    click_and_load(page, "button:has-text('Sign out')")

    sign_in(page, live_server.url, "sli.lead", PASSWORD)
    main = page.locator("main").inner_text()
    assert "Latest figures" in main and "Still in draft" in main and "Since your last visit" in main
    _check_home(page, "sli-lead")
    click_and_load(page, "button:has-text('Sign out')")

    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)
    main = page.locator("main").inner_text()
    assert "Your self-assessment" in main and "Your session:" in main and "Download the pack on" in main
    _check_home(page, "dass")


def test_the_pages_that_guard_the_cycle_pass_axe(page, live_server, demo_region, monkeypatch):
    from peerchallenge import progress

    summit = demo_region
    monkeypatch.setattr(progress, "today", lambda: summit.date + dt.timedelta(days=1))
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    for width, suffix in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/summits/{summit.pk}/state/held/")
        assert "What will change" in page.locator("main").inner_text()
        screenshot(page, f"summit-hold-{suffix}")
        assert axe_violations(page) == []
        assert (problems := sideways_scroll(page)) == [], "\n".join(problems)
        page.goto(f"{live_server.url}/summits/{summit.pk}/")
        assert page.locator(".app-checklist").count() == 1
        screenshot(page, f"summit-checklist-{suffix}")
        assert axe_violations(page) == []
        assert (problems := sideways_scroll(page)) == [], "\n".join(problems)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/summits/{summit.pk}/state/held/")
    click_and_load(page, "button:has-text('Mark as held')")
    page.goto(f"{live_server.url}/summits/{summit.pk}/state/published/")
    click_and_load(page, "button:has-text('Reopen the summit')")  # no reason: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.fill("#id_reason", "The plenary was postponed")
    click_and_load(page, "button:has-text('Reopen the summit')")
    assert "The plenary was postponed" in page.locator("#summit-history").inner_text()
    assert axe_violations(page) == []
    # Themes: several at once, then the list with its ticks.
    page.goto(f"{live_server.url}/summits/{summit.pk}/plenary/")
    page.fill("#id_many-titles", "Workforce retention\nHospital discharge")
    click_and_load(page, "button:has-text('Save these themes')")
    for width, suffix in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        screenshot(page, f"theme-list-ticks-{suffix}")
        assert axe_violations(page) == []
    click_and_load(page, "button:has-text('Merge them')")  # nothing ticked: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []


def test_check_your_answers_and_the_reopening_request_pass_axe(page, live_server, demo_region):
    from selfassessment.models import SelfAssessment

    walsall = SelfAssessment.objects.filter(status="draft", council__gss_code="E08000030").first()
    assert walsall is not None
    from councils.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    MembershipFactory(
        user=UserFactory(username="dass.walsall"), role=Membership.Role.DASS, council=walsall.council
    )
    sign_in(page, live_server.url, "dass.walsall", PASSWORD)
    base = f"{live_server.url}/councils/{walsall.council.gss_code}/self-assessment/{walsall.cycle.slug}"
    page.goto(f"{base}/edit/")
    assert page.locator(".app-rating-data").count() == 6  # the data beside each rating
    for width, suffix in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/check/")
        assert "Check your answers" in page.locator("h1").inner_text()
        screenshot(page, f"self-assessment-check-{suffix}")
        assert axe_violations(page) == []
        assert (problems := sideways_scroll(page)) == [], "\n".join(problems)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/edit/")
    for risk in (1, 2, 3):
        if not page.locator(f"#id_top_risk_{risk}").input_value().strip():
            page.fill(f"#id_top_risk_{risk}", f"Risk {risk}")
    for slug in page.eval_on_selector_all(
        "fieldset input[type=radio][value=amber]", "els => els.map(e => e.id)"
    ):
        if not page.locator(f"fieldset:has(#{slug}) input[type=radio]:checked").count():
            page.check(f"#{slug}")
    click_and_load(page, "button:has-text('Continue to check your answers')")
    click_and_load(page, "button:has-text('Submit the self-assessment')")
    assert "is submitted" in page.locator(".govuk-notification-banner, main").first.inner_text()
    click_and_load(page, "button:has-text('Ask for it to be reopened')")  # no reason: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
