"""In headless Chromium: a file with a measure code the catalogue lacks is previewed, the code is made a new
measure on the preview page (a mistake first: the GOV.UK error summary), checked again and confirmed by the
real task worker; the preview reads at 1280 and 390 px and passes axe."""

import pytest

from scorecard.models import Measure, Value
from tests.browser import axe_violations, click_and_load, screenshot, sideways_scroll, sign_in
from tests.factories import PASSWORD
from tests.mapped_helpers import OFLOG_HEADER, oflog_row, write
from tests.task_helpers import WorkerThread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_unknown_code_is_made_a_measure_on_the_preview(page, live_server, database_tasks, admin, tmp_path):
    lines = [
        OFLOG_HEADER,
        oflog_row("2022-23", "E08000025", "Birmingham", "ASC7", "31.12345678"),
        oflog_row("2022-23", "E08000025", "Birmingham", "SFC-LEAVERS", "12.5", median=""),
        oflog_row("2022-23", "E08000026", "Coventry", "SFC-LEAVERS", "9.75", median=""),
    ]
    path = write(tmp_path, "explorer.csv", lines)
    sign_in(page, live_server.url, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/imports/new/")
    page.check("input[value='mapped']")
    page.set_input_files("input[type='file']", str(path))
    click_and_load(page, "button:has-text('Check the file')")
    worker = WorkerThread()
    worker.start()
    try:
        click_and_load(page, "button:has-text('Check the file')")
        page.wait_for_selector("text=Measures the catalogue does not know", timeout=120_000)
        assert "What is SFC-LEAVERS?" in page.inner_text("#unknown-measures")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"import-unknown-measures-{width}")
            assert sideways_scroll(page) == [], width
        page.set_viewport_size({"width": 1280, "height": 900})
        assert axe_violations(page) == []

        page.check("#id_m0-action-2")  # "Make it a new measure"
        page.fill("#id_m0-title", "Leavers from adult social care jobs")
        click_and_load(page, "button:has-text('Check the file again')")
        summary = page.inner_text(".govuk-error-summary")
        assert "Choose the unit of SFC-LEAVERS" in summary and "Enter who publishes SFC-LEAVERS" in summary
        assert page.title().startswith("Error:")
        screenshot(page, "import-unknown-measures-errors")
        assert axe_violations(page) == []
        assert not Measure.objects.filter(code="SFC-LEAVERS").exists()

        page.select_option("#id_m0-unit", "percent")
        page.select_option("#id_m0-polarity", "none")
        page.fill("#id_m0-decimal_places", "1")
        page.fill("#id_m0-source", "Skills for Care (ASC-WDS)")
        page.select_option("#id_m0-domain", "resources-and-workforce-management")
        click_and_load(page, "button:has-text('Check the file again')")
        page.wait_for_selector("button:has-text('Confirm import')", timeout=120_000)
        assert "SFC-LEAVERS Leavers from adult social care jobs" in page.inner_text("#new-measures")
        page.click("button:has-text('Confirm import')")
        page.wait_for_selector("text=values created", timeout=120_000)
    finally:
        worker.stop()
    made = Measure.objects.get(code="SFC-LEAVERS")
    assert made.source == "Skills for Care (ASC-WDS)" and made.polarity == "none"
    assert Value.objects.filter(measure=made).count() == 2
