"""A pack that was not built yet, downloaded in a real browser: one click, then the file arrives by itself.

The build runs on a real task worker (the database backend, or RQ with TASKS_TEST_BACKEND=rq) started by
the test while the waiting page polls its status; nothing is clicked after the first link.
"""

import pytest

from tests.browser import axe_violations, click_and_load, screenshot, sign_in
from tests.factories import PASSWORD
from tests.pack_helpers import BIRMINGHAM, COVENTRY, small_summit
from tests.task_helpers import Worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings, tmp_path, reference_data):
    settings.MEDIA_ROOT = tmp_path / "media"
    runner = Worker(settings)
    yield runner
    runner.cleanup()


@pytest.fixture
def summit(worker):  # type: ignore[no-untyped-def]
    """Demo figures and a published summit where Coventry challenges Birmingham; Coventry's DASS."""
    from councils.models import Council, Membership
    from scorecard.demo import demo_values_seed
    from tests.factories import MembershipFactory, UserFactory

    demo_values_seed()
    MembershipFactory(
        user=UserFactory(username="dass.coventry"),
        role=Membership.Role.DASS,
        council=Council.objects.get(gss_code=COVENTRY),
    )
    return small_summit(councils=(BIRMINGHAM, COVENTRY))


def test_a_pack_not_built_yet_downloads_after_one_click(page, live_server, summit, worker, tmp_path):
    """From "not built" to "file saved": the link leads to the waiting page, whose script learns that the
    pack is ready and starts the download; the PDF is fetched once, not once per poll."""
    sign_in(page, live_server.url, "dass.coventry", PASSWORD)
    page.goto(f"{live_server.url}/summits/{summit.pk}/packs/")
    pdf_path = f"/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf"
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))

    click_and_load(page, f"a[href='{pdf_path}']")  # the one click
    assert page.locator("h1").inner_text() == "Preparing the pack for Birmingham"
    assert axe_violations(page) == []
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"pack-preparing-{suffix}")
    clicked = len(fetched)
    page.wait_for_timeout(1500)  # it polls and waits: nothing is ready yet
    polls = [url for url in fetched[clicked:] if "/preparing/status.json" in url]
    assert polls and not any(url.endswith(pdf_path) for url in fetched[clicked:])

    with page.expect_download(timeout=30_000) as caught:
        worker.run()  # the background worker builds the pack while the page polls
    download = caught.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    from peerchallenge.selectors import summit_period

    label = summit_period(summit=summit).label
    assert download.suggested_filename == f"{BIRMINGHAM}-birmingham-{label}.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    page.locator("[data-progress-ready]").wait_for(state="visible")
    assert "ready: your download has started" in page.locator("[role=status]").inner_text()
    screenshot(page, "pack-ready")
    page.wait_for_timeout(2000)  # the page has stopped polling: the file was fetched once
    assert sum(url.endswith(pdf_path) for url in fetched[clicked:]) == 1  # the download, once
    assert page.url.endswith("/preparing/?file=pdf")


def test_a_failed_build_says_so_and_a_retry_downloads_it(page, live_server, summit, worker, monkeypatch):
    """The build fails: the waiting page turns into the failure page with its "Try again" button (a POST),
    which builds it again and the download starts without another click."""
    sign_in(page, live_server.url, "dass.coventry", PASSWORD)
    monkeypatch.setattr(
        "peerchallenge.packs.pdf.pack_pdf", lambda *, pack: (_ for _ in ()).throw(RuntimeError("crashed"))
    )
    page.goto(f"{live_server.url}/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf")
    assert page.locator("h1").inner_text() == "Preparing the pack for Birmingham"
    worker.run()
    page.locator(".govuk-error-summary").wait_for(timeout=10_000)
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "The pack could not be built"
    assert axe_violations(page) == []
    screenshot(page, "pack-failed-then-retry")
    monkeypatch.undo()
    click_and_load(page, "button:has-text('Try again')")
    assert page.locator("h1").inner_text() == "Preparing the pack for Birmingham"
    with page.expect_download(timeout=30_000) as caught:
        worker.run()
    assert caught.value.suggested_filename.startswith(f"{BIRMINGHAM}-birmingham-")
