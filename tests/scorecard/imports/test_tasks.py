"""Previews and confirms run as Django Tasks, on a real worker; a preview is imported once.

The backend is the database backend (django-tasks-db, its real ``db_worker``) unless the environment
says ``TASKS_TEST_BACKEND=rq``: then the same tests run on RQ (Redis at TASKS_TEST_REDIS_URL, a queue
of their own) with an in-process RQ worker. CI runs them both ways.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from scorecard.imports import ascof as ascof_module
from scorecard.imports import services
from scorecard.imports.ascof import ascof_import
from scorecard.models import ImportRecord, Value
from tests.task_helpers import HEADER, ROWS, csv_upload

# The worker commits as a real one does: no test transaction around it (see reference_data).
REAL_DB = pytest.mark.django_db(transaction=True)


def status_of(client, record) -> dict:
    response = client.get(reverse("scorecard:import-status", kwargs={"pk": record.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


@REAL_DB
def test_preview_and_confirm_run_on_the_real_worker(worker, client_for, tmp_path):
    client = client_for("admin")
    response = client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse("scorecard:import-detail", kwargs={"pk": record.pk})
    assert (record.status, record.task_state) == ("pending", "queued") and record.task_id
    page = client.get(response["Location"]).content.decode()
    assert "Checking the file" in page and "Rows checked" in page and 'http-equiv="refresh"' in page
    assert status_of(client, record)["busy"] is True

    worker.run()
    record.refresh_from_db()
    assert (record.status, record.task_state, record.created) == ("previewed", "done", 3)
    assert record.database_state and record.plan_sha256 and record.stored_file
    status = status_of(client, record)
    assert status["busy"] is False and status["rows_checked"] == 3
    assert not Value.objects.exists()

    response = client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    assert response["Location"] == reverse("scorecard:import-detail", kwargs={"pk": record.pk})
    record.refresh_from_db()
    assert record.confirmed_at is not None and record.task_state == "queued"
    assert "Importing" in client.get(response["Location"]).content.decode()
    assert not Value.objects.exists()

    worker.run()
    applied = ImportRecord.objects.get(status="applied")
    assert applied.preview_of == record and applied.created == 3
    assert Value.objects.count() == 3 and Value.history.count() == 3
    status = status_of(client, record)
    assert status["busy"] is False and status["applied_record"] == applied.pk
    assert status["url"] == reverse("scorecard:import-detail", kwargs={"pk": applied.pk})
    record.refresh_from_db()
    assert record.stored_file == "" and record.plan_sha256 == ""
    assert list((tmp_path / "uploads").iterdir()) == []  # the upload is deleted once imported
    assert list((tmp_path / "uploads-work").iterdir()) == []


@REAL_DB
def test_two_confirms_at_once_import_once(worker, client_for, admin):
    client = client_for("admin")
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    worker.run()
    record = ImportRecord.objects.get()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def confirm() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.import_confirm_start(record=record, user=admin))
        except Exception as exc:  # reported below: a 500 would be a failure
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results, key=str) == [False, True]
    worker.run()
    assert ImportRecord.objects.filter(status="applied").count() == 1
    assert Value.objects.count() == 3 and Value.history.count() == 3


@REAL_DB
def test_a_double_click_on_confirm_imports_once(worker, client_for):
    client = client_for("admin")
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    worker.run()
    record = ImportRecord.objects.get()
    url = reverse("scorecard:import-confirm", kwargs={"pk": record.pk})
    first, second = client.post(url), client.post(url, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "cannot be imported" in second.content.decode()
    worker.run()
    client.post(url)
    worker.run()
    assert ImportRecord.objects.filter(status="applied").count() == 1
    assert Value.history.count() == 3


@REAL_DB
def test_confirm_applies_the_checked_plan_without_validating_again(worker, client_for, monkeypatch):
    client = client_for("admin")
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    worker.run()
    record = ImportRecord.objects.get()

    def no_validation(*args, **kwargs):
        raise AssertionError("confirm must not validate the file again")

    monkeypatch.setattr(ascof_module, "_validate", no_validation)
    monkeypatch.setattr(ascof_module, "csv_frame", no_validation)
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    worker.run()
    assert ImportRecord.objects.filter(status="applied", preview_of=record).exists()
    assert Value.objects.count() == 3


@REAL_DB
def test_confirm_checks_again_when_the_data_changed_since_the_preview(worker, client_for, tmp_path):
    client = client_for("admin")
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    worker.run()
    record = ImportRecord.objects.get()
    assert record.created == 3
    other = tmp_path / "other-2019-20.csv"
    other.write_text("\n".join([HEADER, ROWS[0]]) + "\n")
    assert ascof_import(path=other).ok  # someone imports Birmingham's figure meanwhile

    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    worker.run()
    record.refresh_from_db()
    assert not ImportRecord.objects.filter(preview_of=record).exists()
    assert (record.status, record.confirmed_at, record.created, record.unchanged) == ("previewed", None, 2, 1)
    page = client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk})).content.decode()
    assert "changed since this preview, so the file was checked again" in page
    assert "Confirm import" in page

    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    worker.run()
    applied = ImportRecord.objects.get(preview_of=record)
    assert (applied.created, applied.unchanged) == (2, 1)


@REAL_DB
def test_confirm_refuses_a_stored_file_that_changed(worker, client_for, tmp_path):
    client = client_for("admin")
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    worker.run()
    record = ImportRecord.objects.get()
    (tmp_path / "uploads" / record.stored_file).write_text("tampered")
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    worker.run()
    record.refresh_from_db()
    assert record.status == "failed" and "changed or is no longer there" in record.notice
    assert not Value.objects.exists()
    assert list((tmp_path / "uploads").iterdir()) == []


@REAL_DB
def test_a_failed_preview_and_an_expired_one_keep_no_upload(worker, client_for, tmp_path, settings):
    client = client_for("admin")
    bad = ["2019-20,Birmingham,E08000025,1A,SCRQoL,lots,Council,Total,Outcome"]
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload(bad, "bad.csv")})
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    worker.run()
    failed = ImportRecord.objects.get(file_name="bad.csv")
    waiting = ImportRecord.objects.get(file_name="ascof-test.csv")
    assert failed.status == "failed" and failed.stored_file == ""
    assert waiting.status == "previewed" and (tmp_path / "uploads" / waiting.stored_file).exists()
    later = waiting.created_at + datetime.timedelta(hours=settings.IMPORT_UPLOAD_TTL_HOURS + 1)
    assert services.imports_expire(now=later) == 1
    waiting.refresh_from_db()
    assert waiting.stored_file == "" and "not confirmed in time" in waiting.notice
    assert list((tmp_path / "uploads").iterdir()) == []
    response = client.post(reverse("scorecard:import-confirm", kwargs={"pk": waiting.pk}), follow=True)
    assert "cannot be imported" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dass", "coordinator"])
def test_status_and_changes_need_the_import_permission(client_for, persona):
    record = ImportRecord.objects.create(kind="ascof", status="previewed", file_name="x.csv")
    client = client_for(persona)
    assert client.get(reverse("scorecard:import-status", kwargs={"pk": record.pk})).status_code == 403
    assert client.get(reverse("scorecard:import-changes", kwargs={"pk": record.pk})).status_code == 403
    assert client.post(reverse("scorecard:import-status", kwargs={"pk": record.pk})).status_code in (403, 405)
