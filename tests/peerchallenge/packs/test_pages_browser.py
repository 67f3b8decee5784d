"""Pack and question-set pages in headless Chromium: screenshots (desktop, phone) and no axe-core violations."""

import pytest

from tests.browser import axe_violations, click_and_load, screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.pdf, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def summit(demo_summits):  # type: ignore[no-untyped-def]
    """A published demo summit, its cycle's question bank seeded with the demo self-assessments."""
    from peerchallenge.models import Summit

    return Summit.objects.get(is_demo=True, state=Summit.State.PUBLISHED)


def test_the_dass_edits_their_question_set_and_the_pages_pass_axe(
    page, live_server, summit, dass, coordinator
):
    from peerchallenge.packs.selectors import summit_sessions

    challenged = next(
        s.challenged for s in summit_sessions(summit=summit) if s.challenger.gss_code == "E08000025"
    )
    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)
    page.goto(f"{live_server.url}/summits/{summit.pk}/packs/")
    assert page.locator("a:has-text('Pack (PDF)')").count() == 2  # their own and the council they challenge
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/summits/{summit.pk}/questions/{challenged.gss_code}/")
    click_and_load(page, "button:has-text('Start the question set')")
    assert page.locator(".govuk-summary-card").count() >= 1
    click_and_load(page, "button:has-text('Mark as top five') >> nth=0")
    assert page.locator(".govuk-tag:has-text('Top five')").count() == 1
    page.fill("#question-text-new", "How do you hear from people who use services?")
    click_and_load(page, "button:has-text('Add question')")
    assert "How do you hear from people" in page.locator("main").inner_text()
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/summits/{summit.pk}/questions/{challenged.gss_code}/")
        screenshot(page, f"question-set-{suffix}")
        assert axe_violations(page) == []
    click_and_load(page, "button:has-text('Add question')")  # empty: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    click_and_load(page, "button:has-text('Sign out')")
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/summits/{summit.pk}/packs/")
    assert page.locator("button:has-text('Build every pack (ZIP)')").count() == 1
    screenshot(page, "summit-packs-coordinator")
    assert axe_violations(page) == []
    click_and_load(page, "a:has-text('question bank')")
    page.select_option("#id_domain", label="Culture and Change")
    page.fill("#id_text", "How do staff hear about changes before they happen?")
    click_and_load(page, "button:has-text('Add to the bank')")
    assert "How do staff hear about changes" in page.locator("main").inner_text()
    screenshot(page, "question-bank")
    assert axe_violations(page) == []
    click_and_load(page, "button:has-text('Add to the bank')")  # empty: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []


def test_the_page_waiting_for_a_pack_passes_axe_and_says_when_it_is_slow(page, live_server, summit, dass):
    import time

    from django.core.cache import cache

    from councils.models import Council
    from peerchallenge.packs import services

    birmingham = Council.objects.get(gss_code="E08000025")
    # Birmingham's own DASS reads its pack without the challenger's questions (until the summit is held).
    key = services.pack_target(council=birmingham, summit=summit, include_questions=False).wait_key
    # A build on its way for 150 s: slow, its worker may be lost.
    cache.set(key, services.PackWait(state="building", since=time.time() - 150))
    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)
    url = f"{live_server.url}/summits/{summit.pk}/packs/E08000025/preparing/?file=pdf"
    page.goto(url)
    assert page.locator("h1").inner_text() == "Preparing the pack for Birmingham"
    assert "taking longer than usual" in page.locator("main").inner_text()
    assert page.locator("button:has-text('Start the build again')").is_visible()
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"pack-preparing-{suffix}")
        assert axe_violations(page) == []
    cache.set(key, services.PackWait(state="failed", since=time.time()))
    # The page's own check (static/src/progress.js, every 0.7 s) opens the failure page. A goto here would race
    # that navigation and be aborted by it.
    page.locator(".govuk-error-summary").wait_for(timeout=10_000)
    page.wait_for_load_state("load")
    assert page.url == url
    assert page.locator("button:has-text('Try again')").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "pack-failed")


def test_packs_outside_a_summit_choose_download_and_pass_axe(page, live_server, summit, coordinator):
    """The coordinator picks a council and a period; an error names the missing choice; both pages pass axe
    at desktop and phone widths; the PDF link downloads the pack (built by the tests' immediate tasks)."""
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/summits/")
    page.click("a:has-text('Challenge packs outside a summit')")
    click_and_load(page, "button:has-text('Show the pack')")  # no council chosen
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Choose the council the pack is about" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.select_option("#id_council", "E08000026")
    page.select_option("#id_period", "2022-23")
    click_and_load(page, "button:has-text('Show the pack')")
    assert page.locator("h2").first.inner_text() == "Coventry, 2022-23"
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"packs-on-demand-{suffix}")
        assert axe_violations(page) == []
    page.emulate_media(media="print")
    screenshot(page, "packs-on-demand-print")
    page.emulate_media(media="screen")
    with page.expect_download() as caught:
        page.click("a:has-text('Pack (PDF)')")
    assert caught.value.suggested_filename == "E08000026-coventry-2022-23.pdf"
