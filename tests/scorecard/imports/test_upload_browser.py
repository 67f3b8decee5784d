"""In headless Chromium: a national-size upload shows its progress, then its result, and the
real database-backed task worker does the work beside the live server (no request waits for it)."""

import pytest

from benchmarks.make_national_file import main as make_national_file
from scorecard.models import ImportRecord, Value
from tests.browser import axe_violations, screenshot, sign_in
from tests.factories import PASSWORD
from tests.task_helpers import WorkerThread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_national_upload_shows_progress_and_completes(page, live_server, database_tasks, admin, tmp_path):
    national = make_national_file(tmp_path / "ascof-national.csv")
    statuses: list[dict] = []

    def remember(response) -> None:  # type: ignore[no-untyped-def]
        if response.url.endswith("/status.json") and response.ok:
            statuses.append(response.json())

    page.on("response", remember)
    sign_in(page, live_server.url, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/imports/new/")
    page.check("input[value='ascof']")
    page.set_input_files("input[type='file']", str(national))
    page.click("button:has-text('Check the file')")
    page.wait_for_selector("#import-progress")
    assert "Checking the file" in page.inner_text("h1")
    assert "Rows checked" in page.inner_text("#import-progress")
    screenshot(page, "import-progress-checking")
    assert axe_violations(page) == []

    worker = WorkerThread()
    worker.start()
    try:
        page.wait_for_selector("button:has-text('Confirm import')", timeout=180_000)
        record = ImportRecord.objects.get()
        assert record.status == "previewed" and record.created == 32_732
        assert "Preview: check what will change" in page.inner_text("h1")
        page.set_viewport_size({"width": 390, "height": 800})
        screenshot(page, "import-preview-390")
        page.set_viewport_size({"width": 1280, "height": 800})
        assert axe_violations(page) == []

        page.click("button:has-text('Confirm import')")
        page.wait_for_selector("text=values created", timeout=180_000)
        screenshot(page, "import-applied")
        assert axe_violations(page) == []
    finally:
        worker.stop()
    assert "ascof-national.csv imported: 32,732 values created, 0 updated, 0 unchanged." in page.inner_text(
        ".govuk-panel"
    )
    assert Value.objects.filter(is_demo=False).count() == 32_732
    assert any(status["busy"] for status in statuses), statuses  # the page polled while work ran
    assert ImportRecord.objects.get(status="applied").preview_of.status == "previewed"
