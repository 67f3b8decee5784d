"""The plenary page in headless Chromium: five themes logged in a row, one while offline (kept
in the page as "not saved yet" and sent when the connection returns), a merge, a work-programme item and
the DOCX summary downloaded. Screenshots at 1280 and 390 px and in print; no axe-core violations."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser import axe_violations, click_and_load, screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_summit(reference_data, coordinator):  # type: ignore[no-untyped-def]
    from councils.models import Council, Region
    from peerchallenge.models import Summit
    from peerchallenge.services import summit_pair, summit_transition
    from tests.factories import make_summit

    region = Region.objects.get(gss_code="E12000005")
    councils = list(Council.objects.filter(gss_code__in=["E08000025", "E08000026", "E08000027", "E08000028"]))
    summit = make_summit(region, councils=councils, rooms=2)
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    return summit


def log_theme(page, title: str, councils: list[str]) -> None:  # type: ignore[no-untyped-def]
    for name in councils:
        page.get_by_label(name, exact=True).first.check()
    page.fill("#id_title", title)
    page.press("#id_title", "Enter")


def test_coordinator_logs_themes_offline_merges_plans_and_downloads(
    page, live_server, held_summit, coordinator
):
    from peerchallenge.models import Theme, WorkItem

    summit = held_summit
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/summits/{summit.pk}/plenary/")
    assert page.locator("#id_measures option").count() > 40
    assert axe_violations(page) == []
    themes = page.locator("#themes li")
    log_theme(page, "Agency social workers", ["Birmingham", "Coventry", "Dudley"])
    themes.nth(0).locator(".govuk-tag--green").wait_for()
    assert page.locator("#id_title").evaluate("el => el === document.activeElement")  # ready for the next
    log_theme(page, "Recruitment of social workers", ["Sandwell"])
    log_theme(page, "Hospital discharge", ["Coventry", "Dudley"])
    expect(themes).to_have_count(3)
    # The connection drops for the fourth save: kept in the page, shown as not saved yet.
    page.context.set_offline(True)
    log_theme(page, "Carers' breaks", ["Birmingham"])
    pending = page.locator("#pending li")
    pending.wait_for()
    expect(pending).to_contain_text("Not saved yet")
    assert page.locator("#pending-box").is_visible()
    expect(page.locator("#pending-status")).to_contain_text("no connection")
    screenshot(page, "plenary-offline")
    assert Theme.objects.filter(summit=summit).count() == 3
    page.context.set_offline(False)  # the browser fires "online": the kept theme is sent
    expect(themes).to_have_count(4)
    assert page.locator("#pending-box").is_hidden()
    log_theme(page, "Market position statements", [])
    expect(themes).to_have_count(5)
    assert Theme.objects.filter(summit=summit).count() == 5
    assert Theme.objects.filter(title="Carers' breaks").count() == 1
    key = f"sli-plenary-pending:{coordinator.pk}:{summit.pk}"
    assert page.evaluate(f"localStorage.getItem('{key}')") == "[]"
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"plenary-{suffix}")
        # In two columns each label starts level with its box, beside a two-line neighbour too.
        drift = page.evaluate(
            """() => [...document.querySelectorAll('.app-checkbox-columns .govuk-checkboxes__item')]
                 .map(item => item.querySelector('label').getBoundingClientRect().top
                              - item.querySelector('input').getBoundingClientRect().top)"""
        )
        assert drift and max(map(abs, drift)) < 4, drift
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_violations(page) == []

    # Merge the recruitment duplicate into the agency theme.
    agency = Theme.objects.get(title="Agency social workers")
    duplicate = Theme.objects.get(title="Recruitment of social workers")
    page.goto(f"{live_server.url}/summits/{summit.pk}/themes/")
    assert (
        page.locator("#theme-table tbody tr td:has(a)").first.inner_text().startswith("Agency social workers")
    )
    assert axe_violations(page) == []
    page.click("#theme-table a:has-text('Agency social workers')")
    page.click("summary:has-text('Merge a duplicate')")
    page.select_option("#id_source", str(duplicate.pk))
    click_and_load(page, "button:has-text('Merge')")
    assert "Recruitment of social workers" in page.locator("#merged-from").inner_text()
    assert "Merged a duplicate in: “Recruitment of social workers”" in page.locator("#history").inner_text()
    agency.refresh_from_db()
    assert agency.councils.count() == 4
    assert axe_violations(page) == []
    screenshot(page, "theme-detail")

    # Into the work programme, then the summary for directors.
    click_and_load(page, "button:has-text('Add to the work programme')")
    item = WorkItem.objects.get()
    assert page.locator("h1").inner_text() == "Agency social workers"
    assert "Raised by 4 councils" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.click("a.govuk-breadcrumbs__link:has-text('Work programme')")
    assert item.title in page.locator("#work-items").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "work-programme")
    with page.expect_download() as download_info:
        page.click("#docx-link")
    document = Document(io.BytesIO(download_info.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"Common themes from the {summit.date.year} summit and what the region will do" in text
    assert "Agency social workers" in "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    page.emulate_media(media="print")
    screenshot(page, "work-programme-print")
    page.emulate_media(media="screen")
    for path, name in (
        (f"/summits/{summit.pk}/themes/", "theme-list"),
        ("/regions/E12000005/themes/", "region-themes"),
        (f"/summits/{summit.pk}/findings/", "findings"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], path
        screenshot(page, name)


def test_themes_logged_by_others_in_the_room_appear(page, live_server, held_summit, coordinator):
    from peerchallenge.themes import services

    page.clock.install()
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/summits/{held_summit.pk}/plenary/")
    log_theme(page, "Mine", ["Birmingham"])
    themes = page.locator("#themes li")
    expect(themes).to_have_count(1)
    services.theme_create(summit=held_summit, data=services.ThemeInput(title="A colleague's"), by=None)
    page.clock.run_for(21_000)
    expect(themes).to_have_count(2)
    assert themes.nth(1).inner_text().startswith("A colleague's")
    assert themes.nth(1).locator(".govuk-tag").count() == 0  # "Saved" marks only this person's saves


def test_a_theme_the_server_refuses_goes_back_into_the_form_to_be_corrected(
    page, live_server, held_summit, coordinator
):
    from peerchallenge.models import Theme

    summit = held_summit
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/summits/{summit.pk}/plenary/")
    page.get_by_label("Dudley", exact=True).first.check()
    page.eval_on_selector(
        "#id_title", "el => { el.removeAttribute('maxlength'); el.value = 'Too long '.repeat(30); }"
    )
    page.press("#id_title", "Enter")
    refused = page.locator("#pending li")
    expect(refused).to_contain_text("Not saved")
    expect(refused).to_contain_text("200 characters")  # the server's reason
    assert Theme.objects.filter(summit=summit).count() == 0
    page.click("#pending button:has-text('Correct it in the form')")
    assert page.locator("#pending-box").is_hidden()
    assert page.input_value("#id_title").startswith("Too long Too long")
    assert page.get_by_label("Dudley", exact=True).first.is_checked()  # the councils came back too
    page.fill("#id_title", "Too long a wait for assessments")
    page.press("#id_title", "Enter")
    saved = page.locator("#themes li a")
    expect(saved).to_have_count(1)
    theme = Theme.objects.get(summit=summit)
    assert theme.title == "Too long a wait for assessments" and list(
        theme.councils.values_list("name", flat=True)
    ) == ["Dudley"]
    assert saved.get_attribute("href") == f"/summits/{summit.pk}/themes/{theme.pk}/"  # the API gives the URL
    key = f"sli-plenary-pending:{coordinator.pk}:{summit.pk}"
    assert page.evaluate(f"localStorage.getItem('{key}')") == "[]"
    assert axe_violations(page) == []


def test_unsaved_themes_are_cleared_at_sign_out_and_never_sent_by_the_next_user(
    page, live_server, held_summit, coordinator, admin
):
    """A theme kept offline in the browser belongs to the person who typed it: signing out removes it, and a
    kept theme of an earlier user (signed out by the idle timeout, say) is dropped, never sent, when someone
    else opens the plenary in the same browser."""
    from peerchallenge.models import Theme

    summit = held_summit
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/summits/{summit.pk}/plenary/")
    page.context.set_offline(True)
    log_theme(page, "Typed offline", ["Birmingham"])
    page.locator("#pending li").wait_for()
    page.route("**/api/summits/*/themes/", lambda route: route.abort())  # back online, still not sent
    page.context.set_offline(False)
    kept = "() => Object.keys(localStorage).filter(k => k.startsWith('sli-plenary-pending:'))"
    assert page.evaluate(kept) == [f"sli-plenary-pending:{coordinator.pk}:{summit.pk}"]
    page.goto(f"{live_server.url}/")  # sign out from any page
    click_and_load(page, "form.app-sign-out button")
    assert page.evaluate(kept) == []

    # An earlier user's kept theme in this browser (their session ended without signing out).
    page.unroute("**/api/summits/*/themes/")
    sign_in(page, live_server.url, "admin.user", PASSWORD)
    leftover = '[{"theme": {"title": "Left behind", "client_id": "left-1"}}]'
    page.evaluate(f"localStorage.setItem('sli-plenary-pending:{coordinator.pk}:{summit.pk}', '{leftover}')")
    page.goto(f"{live_server.url}/summits/{summit.pk}/plenary/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(kept) == [f"sli-plenary-pending:{admin.pk}:{summit.pk}"] or page.evaluate(kept) == []
    assert page.locator("#pending-box").is_hidden()
    assert not Theme.objects.filter(title="Left behind").exists()
