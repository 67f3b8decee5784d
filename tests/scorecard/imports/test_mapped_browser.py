"""In headless Chromium: a file of another layout is uploaded, its first rows are shown with the saved mapping
that fits it offered, the whole file is checked and confirmed by the real task worker; the columns page reads at
1280 and 390 px (the wide table scrolls inside its labelled region) and passes axe."""

import pytest

from scorecard.models import ImportRecord, Value
from tests.browser import axe_violations, click_and_load, screenshot, sideways_scroll, sign_in
from tests.factories import PASSWORD
from tests.mapped_helpers import OFLOG_HEADER, oflog_row, write
from tests.task_helpers import WorkerThread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_choose_columns_preview_confirm(page, live_server, database_tasks, admin, tmp_path):
    lines = [
        OFLOG_HEADER,
        oflog_row("2022-23", "E08000025", "Birmingham", "ASC7", "31.12345678"),
        oflog_row("2022-23", "E08000026", "Coventry", "ASC7", "27.5"),
        oflog_row("2022-23", "E08000027", "Dudley", "ASC7", ""),
    ]
    path = write(tmp_path, "oflog-explorer.csv", lines)
    sign_in(page, live_server.url, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/imports/new/")
    page.check("input[value='mapped']")
    page.set_input_files("input[type='file']", str(path))
    click_and_load(page, "button:has-text('Check the file')")
    assert "Which column is which" in page.inner_text("h1")
    assert "31.12345678" in page.inner_text("table")
    assert page.input_value("#id_mapping") == "oflog-asc"
    for width, suffix in ((1280, "1280"), (390, "390")):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"import-columns-{suffix}")
        assert sideways_scroll(page) == [], suffix
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_violations(page) == []

    click_and_load(page, "button:has-text('Check the file')")
    worker = WorkerThread()
    worker.start()
    try:
        page.wait_for_selector("button:has-text('Confirm import')", timeout=120_000)
        assert "council: Local authority code" in page.inner_text("main")
        screenshot(page, "import-mapped-preview")
        assert axe_violations(page) == []
        page.click("button:has-text('Confirm import')")
        page.wait_for_selector("text=values created", timeout=120_000)
    finally:
        worker.stop()
    assert "oflog-explorer.csv imported: 4 values created" in page.inner_text(".govuk-panel")
    assert Value.objects.filter(measure__key="national-asc7", breakdown="").count() == 3
    assert ImportRecord.objects.get(status="applied").kind == "mapped"
