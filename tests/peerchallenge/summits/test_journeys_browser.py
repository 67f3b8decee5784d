"""The cycle walked as its users walk it, in headless Chromium through the pages only, counting page actions.

A page action is what a person does to a page: a visit typed into the address bar, a field filled in, a box
ticked or unticked, a link or button clicked, a file downloaded. The coordinator runs a whole summit (sign in,
plan, pair, publish, timetable, packs, hold, five plenary themes, a merge, publishing them, three
work-programme items, the directors' summary, a finding with a recommendation, close) in at most forty; a
DASS goes from signing in to their pack downloaded and their questions ordered (top five marked) in at most
ten. The counts are printed, so a slower path shows where the actions went.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser import axe_violations, click_and_load
from tests.factories import PASSWORD

pytestmark = [pytest.mark.long, pytest.mark.browser, pytest.mark.pdf, pytest.mark.django_db(transaction=True)]

COORDINATOR_LIMIT = 40
DASS_LIMIT = 10
BIRMINGHAM = "E08000025"


class Actions:
    """A person's page actions, counted. Every helper waits for the page the action loads."""

    def __init__(self, page, base_url: str, who: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base_url, self.who = page, base_url, who
        self.log: list[str] = []

    def _count(self, what: str) -> None:
        self.log.append(what)

    def visit(self, path: str) -> None:
        self._count(f"visit {path}")
        self.page.goto(f"{self.base_url}{path}")

    def fill(self, selector: str, text: str) -> None:
        self._count(f"fill {selector}")
        self.page.fill(selector, text)

    def tick(self, selector: str, *, on: bool = True) -> None:
        self._count(f"{'tick' if on else 'untick'} {selector}")
        self.page.set_checked(selector, on)

    def click(self, selector: str) -> None:
        """A link or a button that loads a page."""
        self._count(f"click {selector}")
        click_and_load(self.page, selector)

    def download(self, selector: str):  # type: ignore[no-untyped-def]
        self._count(f"download {selector}")
        with self.page.expect_download() as info:
            self.page.click(selector)
        return info.value

    def sign_in(self, username: str) -> None:
        self.visit("/accounts/login/")
        self.fill("#id_username", username)
        self.fill("#id_password", PASSWORD)
        self.click("button:has-text('Sign in')")

    @property
    def count(self) -> int:
        return len(self.log)

    def report(self) -> str:
        return f"{self.who}: {self.count} page actions\n" + "\n".join(
            f"{n:3}. {what}" for n, what in enumerate(self.log, start=1)
        )


def _weekday_after(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def region_ready(demo, request):  # type: ignore[no-untyped-def]
    """The West Midlands with figures, an open self-assessment cycle with its returns, and last year's summit
    (closed): where a coordinator starts the next summit."""
    from councils.models import Region
    from peerchallenge.models import Summit
    from peerchallenge.services import summit_pair
    from selfassessment.demo import self_assessment_demo_seed

    self_assessment_demo_seed()
    region = Region.objects.get(gss_code="E12000005")
    for persona in ("coordinator", "dass"):  # after the reference data they belong to
        request.getfixturevalue(persona)
    last = Summit.objects.create(
        region=region,
        name="West Midlands peer challenge summit, last year",
        date=dt.date(dt.date.today().year - 1, 11, 20),
        venue="Council House, Birmingham",
        rooms="\n".join(f"Committee Room {i}" for i in range(1, 9)),
        plenary_room="Council Chamber",
    )
    last.participants.set(region.councils.all())
    summit_pair(summit=last)
    Summit.objects.filter(pk=last.pk).update(state=Summit.State.CLOSED)
    return region


def test_a_coordinator_runs_a_summit_and_a_dass_prepares_within_their_page_action_budgets(
    page, browser, live_server, region_ready, monkeypatch
):
    from peerchallenge import progress
    from peerchallenge.models import Summit

    page.set_default_timeout(180_000)  # building fourteen packs runs inside the request in tests
    summit_day = _weekday_after(dt.date.today())
    coordinator = Actions(page, live_server.url, "coordinator")

    # Sign in: the home page offers the next summit as a checklist, starting with planning it.
    coordinator.sign_in("coordinator")
    assert "Your next summit" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    # Plan: everything but the date has a good default (the open cycle, last year's venue and rooms, all 14).
    coordinator.click("a:has-text('Plan the summit')")
    assert page.locator("#id_venue").input_value() == "Council House, Birmingham"
    assert page.locator("#id_cycle option:checked").inner_text() != "No self-assessment cycle"
    coordinator.fill("#id_date", summit_day.isoformat())
    coordinator.click("button:has-text('Save summit')")
    summit = Summit.objects.exclude(state=Summit.State.CLOSED).get()
    assert summit.cycle is not None and summit.participants.count() == 14
    # Pair, publish, see the timetable, on to the packs, build them all and download the ZIP.
    coordinator.click("#step-paired button:has-text('Pair the councils')")
    coordinator.click("#step-published button:has-text('Publish to participants')")
    assert Summit.objects.get(pk=summit.pk).state == Summit.State.PUBLISHED
    coordinator.click('a:has-text("See the day\'s timetable")')
    coordinator.click("a:has-text('challenge packs and question sets')")
    coordinator.click("button:has-text('Build every pack')")
    assert coordinator.download(
        "a:has-text('download every pack and pro-forma (ZIP)')"
    ).suggested_filename.endswith(".zip")

    # A DASS prepares: from the home page, the pack on the council they challenge, then their questions.
    dass_page = browser.new_page()
    dass = Actions(dass_page, live_server.url, "dass")
    dass.sign_in("dass.birmingham")
    home = dass_page.locator("main").inner_text()
    assert "Your session:" in home and "Download the pack on" in home
    assert axe_violations(dass_page) == []
    pack = dass.download("a:has-text('Download the pack on')")
    assert pack.suggested_filename.endswith(".pdf")
    dass.click("button:has-text('Prepare your questions for')")
    cards = dass_page.locator(".app-question-list > li")
    count = cards.count()
    assert count >= 6, "the generated question set is long enough to reorder"
    last_id = cards.nth(count - 1).get_attribute("id").removeprefix("q")
    fifth_id = cards.nth(4).get_attribute("id").removeprefix("q")
    # The last question is asked first and joins the top five in place of the fifth: one submit.
    dass.fill(f"input[name='place-{last_id}']", "1")
    dass.tick(f"#top-{last_id}")
    dass.tick(f"#top-{fifth_id}", on=False)
    dass.click("button:has-text('Save the order and top five')")
    assert dass_page.locator(".app-question-list > li").first.get_attribute("id") == f"q{last_id}"
    assert dass_page.locator(".govuk-tag:has-text('Top five')").count() == 5
    dass_page.close()
    print(dass.report())
    assert dass.count <= DASS_LIMIT, dass.report()

    # The day of the summit comes.
    monkeypatch.setattr(progress, "today", lambda: summit_day)
    coordinator.click('a:has-text("The summit\'s checklist")')
    coordinator.click("#step-held a:has-text('Mark as held')")
    assert "What will change" in page.locator("main").inner_text()
    coordinator.click("button:has-text('Mark as held')")
    assert Summit.objects.get(pk=summit.pk).state == Summit.State.HELD
    # Five plenary themes at once, two of them the same, merged; published; three into the work programme.
    coordinator.click('#step-themes a:has-text("Log the plenary\'s themes")')
    coordinator.fill(
        "#id_many-titles",
        "Workforce retention\nRetaining the workforce\nHospital discharge delays\nCarers' breaks\n"
        "Market sustainability in home care",
    )
    coordinator.click("button:has-text('Save these themes')")
    first, second = (
        page.locator(f"#theme-table tr:has-text('{t}') input[name='themes']")
        for t in ("Workforce retention", "Retaining the workforce")
    )
    coordinator.tick(f"#{first.get_attribute('id')}")
    coordinator.tick(f"#{second.get_attribute('id')}")
    coordinator.click("button:has-text('Merge them')")
    assert page.locator("#theme-table tbody tr").count() == 4
    coordinator.click("button:has-text('Publish 4 themes')")
    for title in ("Hospital discharge delays", "Carers' breaks", "Market sustainability in home care"):
        box = page.locator(f"#theme-table tr:has-text(\"{title}\") input[name='themes']")
        coordinator.tick(f"#{box.get_attribute('id')}")
    coordinator.click("button:has-text('Add them to the work programme')")
    assert page.locator("#work-items tbody tr").count() == 3
    assert coordinator.download("#docx-link").suggested_filename.endswith(".docx")
    # A finding and a recommendation for one council, then close (the page says who has no findings yet).
    coordinator.click('a:has-text("record each council\'s findings")')
    coordinator.click("#record-findings a:has-text('Birmingham')")
    coordinator.fill("#id_key_findings", "Strong leadership; reablement data not used by front-line teams.")
    coordinator.fill("#id_recommendations", "Share the 91-day reablement figures with team managers monthly.")
    coordinator.click("button:has-text('Save')")
    coordinator.click("a:has-text('Close the summit')")
    assert "13 councils have no findings" in page.locator("#missing").inner_text()
    coordinator.click("button:has-text('Close the summit')")
    assert Summit.objects.get(pk=summit.pk).state == Summit.State.CLOSED
    print(coordinator.report())
    assert coordinator.count <= COORDINATOR_LIMIT, coordinator.report()
