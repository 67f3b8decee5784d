"""In headless Chromium: a national-size upload shows its progress, then its result, and the
real database-backed task worker does the work beside the live server (no request waits for it)."""

import threading

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from benchmarks.make_national_file import main as make_national_file
from scorecard.models import ImportRecord, Value
from tests.browser import axe_violations, screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class WorkerThread(threading.Thread):
    """``manage.py db_worker`` in a thread of the test process."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        # Its own database connection, as a separate worker process would have.
        self.worker = Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        )

    def run(self) -> None:
        try:
            self.worker.run()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.worker.running = False
        self.join(timeout=60)


@pytest.fixture
def database_tasks(settings, tmp_path, reference_data):

    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_QUEUE = "default"
    yield


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
