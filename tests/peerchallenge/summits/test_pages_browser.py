"""Summit pages in headless Chromium: screenshots (desktop, phone, print) and no axe-core violations."""

import datetime as dt

import pytest

from tests.browser import axe_violations, click_and_load, clipped, screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def summits(demo):  # type: ignore[no-untyped-def]
    """Reference data, demo figures (so the reasons compare scorecards) and the two demo summits."""
    from councils.models import Region
    from peerchallenge.models import Summit
    from peerchallenge.services import seed_demo_summits, summit_pair

    seed_demo_summits(region_gss_code="E12000005")
    region = Region.objects.get(gss_code="E12000005")
    draft = Summit.objects.create(
        region=region,
        name="Autumn summit (draft)",
        date=dt.date.today() + dt.timedelta(days=120),
        venue="Wolverhampton Civic Centre",
        rooms="\n".join(f"Room {i}" for i in range(1, 6)),
        triads=True,
    )
    draft.participants.set(region.councils.exclude(gss_code="E08000025"))
    summit_pair(summit=draft)
    upcoming = Summit.objects.get(is_demo=True, state=Summit.State.PUBLISHED)
    return {"draft": draft, "upcoming": upcoming}


def test_pairing_and_timetable_pages_look_right_and_pass_axe(page, live_server, summits, coordinator, dass):
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    draft, upcoming = summits["draft"], summits["upcoming"]
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/summits/{draft.pk}/")
        assert page.locator("#groups .app-group").count() == 5  # 13 councils as triads: 3 triads and 2 pairs
        assert "observes" in page.locator("#groups").inner_text()
        screenshot(page, f"summit-pairing-{suffix}")
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/summits/{upcoming.pk}/")
        assert "'s figures are mostly " in page.locator("#groups").inner_text()
        screenshot(page, f"summit-published-{suffix}")
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/summits/{upcoming.pk}/timetable/")
        assert page.locator("#timetable").count() == 1
        screenshot(page, f"summit-timetable-{suffix}")
        assert axe_violations(page) == []
        assert clipped(page, "#timetable tbody td, #timetable tbody th") == []  # stacks on a phone
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    assert page.locator(".govuk-service-navigation").is_hidden()
    assert page.locator(".app-no-print").first.is_hidden()
    assert page.locator("#timetable").is_visible()
    screenshot(page, "summit-timetable-print")
    page.emulate_media(media="screen")
    for path in ("/summits/", "/summits/new/", "/lessons/", "/lessons/new/", f"/summits/{draft.pk}/edit/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], path
    # The error summary after a bad swap is accessible too.
    page.goto(f"{live_server.url}/summits/{draft.pk}/")
    click_and_load(page, "button:has-text('Swap')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    click_and_load(page, "button:has-text('Sign out')")
    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)
    assert "Birmingham challenges" in page.locator("main").inner_text()
    screenshot(page, "summit-home-dass")
    assert axe_violations(page) == []
