"""Every background job recovers from a dead worker: killed with SIGKILL mid-task, on a real worker process.

A real worker (``manage.py db_worker``, or an RQ worker when ``TASKS_TEST_BACKEND=rq``: CI runs this module
both ways) runs in a process of its own (tests/task_worker.py) and is held at a chosen step, then killed
with SIGKILL. What a person sees next: the record says the work stopped and offers to start again; nothing
half-written is left (the confirm's figures roll back, no ``.part`` file stays); the task backend's record
of the task is closed; a forked pack builder dies with its parent; starting again finishes the work once.
"""

import datetime
import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.leases import TaskLease, worker_alive, worker_gone, worker_identity
from peerchallenge.models import PackBuild
from peerchallenge.packs import services as pack_services
from scorecard.models import ImportRecord, Value
from tests.pack_helpers import BIRMINGHAM, COVENTRY, small_summit
from tests.task_helpers import BACKEND, csv_upload

REAL_DB = pytest.mark.django_db(transaction=True)
BASE_DIR = Path(django_settings.BASE_DIR)


class KillableWorker:
    """The configured backend's worker in a process of its own, held at ``hold`` (see tests/task_worker.py)."""

    def __init__(self, settings, tmp_path: Path, queue: str, cache_dir: Path) -> None:
        self.tmp_path = tmp_path
        self.markers = tmp_path / "markers"
        self.markers.mkdir(exist_ok=True)
        self.base = {
            "database": connection.settings_dict["NAME"],
            "cache": str(cache_dir),
            "uploads": str(settings.IMPORT_UPLOAD_DIR),
            "media": str(settings.MEDIA_ROOT),
            "queue": queue,
            "backend": BACKEND,
            "redis": os.environ.get("TASKS_TEST_REDIS_URL", "redis://127.0.0.1:6379/10"),
            "markers": str(self.markers),
        }
        self.process: subprocess.Popen | None = None

    def start(self, hold: str, **extra) -> None:  # type: ignore[no-untyped-def]
        env = {**os.environ, "SLI_TEST_WORKER": json.dumps({**self.base, "hold": hold, **extra})}
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments: this interpreter and a test script)
            [sys.executable, str(BASE_DIR / "tests" / "task_worker.py")],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.tmp_path / "worker.log", "ab"),  # noqa: SIM115 (closed with the process)
        )

    def wait_until_held(self, hold: str, timeout: float = 90) -> list[int]:
        """The ids of the processes held at ``hold`` (the worker, or its forked pack builders)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            held = [int(path.name.rsplit("-", 1)[1]) for path in self.markers.glob(f"{hold}-*")]
            if held:
                return held
            assert self.process is not None and self.process.poll() is None, (
                self.tmp_path / "worker.log"
            ).read_text()[-3000:]
            time.sleep(0.1)
        raise AssertionError("the worker never reached " + hold)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Kill whatever is left: the worker, and any held process (a pack builder that outlived it)."""
        if self.process is not None and self.process.poll() is None:
            self.kill()
        for marker in self.markers.iterdir():
            pid = int(marker.name.rsplit("-", 1)[1])
            if _alive(pid) and b"task_worker.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def worker(worker, settings, tmp_path):
    """The in-process worker (to finish the work started again) and a worker process to kill, sharing a file
    cache, the upload folder and the media folder with the test."""
    cache_dir = tmp_path / "cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(cache_dir),
        }
    }
    worker.killable = KillableWorker(settings, tmp_path, worker.queue, cache_dir)
    yield worker
    worker.killable.stop()


def _task_status(task_id: str) -> str:
    from django_tasks import default_task_backend

    return default_task_backend.get_result(task_id).status


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@REAL_DB
def test_a_preview_whose_worker_died_says_so_and_is_checked_again(worker, client_for, tmp_path):
    client = client_for("admin")
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    record = ImportRecord.objects.get()
    worker.killable.start("preview")
    (held,) = worker.killable.wait_until_held("preview")
    record.refresh_from_db()
    assert record.task_state == "checking" and record.worker.split(":")[1] == str(held)
    assert client.get(reverse("scorecard:import-status", kwargs={"pk": record.pk})).json()["busy"] is True

    worker.killable.kill()
    history = client.get(reverse("scorecard:import-list")).content.decode()
    assert ">Stopped</strong>" in history and ">Checking</strong>" not in history  # not shown as running
    status = client.get(reverse("scorecard:import-status", kwargs={"pk": record.pk})).json()
    assert status["busy"] is False and status["stopped"] is True and status["state"] == "stopped"
    page = client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk})).content.decode()
    assert "Checking the file stopped" in page and "the background worker running it stopped" in page
    assert "Check the file again" in page and 'http-equiv="refresh"' not in page
    record.refresh_from_db()
    assert _task_status(record.task_id) != "RUNNING" or BACKEND == "rq"
    assert list((tmp_path / "uploads-work").iterdir()) == []  # its progress note is gone
    assert (tmp_path / "uploads" / record.stored_file).exists()  # the upload is kept to start again

    response = client.post(reverse("scorecard:import-check-again", kwargs={"pk": record.pk}))
    assert response.status_code == 302
    worker.run()
    record.refresh_from_db()
    assert (record.status, record.task_state, record.created) == ("previewed", "done", 3)
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    worker.run()
    assert ImportRecord.objects.filter(status="applied").count() == 1 and Value.objects.count() == 3


@REAL_DB
def test_a_confirm_whose_worker_died_mid_write_writes_nothing_and_can_be_confirmed_again(
    worker, client_for, tmp_path
):
    client = client_for("admin")
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    worker.run()
    record = ImportRecord.objects.get()
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    worker.killable.start("confirm")
    worker.killable.wait_until_held("confirm")  # the figures are written, not committed
    record.refresh_from_db()
    assert record.task_state == "writing"
    page = client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk})).content.decode()
    assert "Writing the figures" in page

    worker.killable.kill()
    page = client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk})).content.decode()
    assert "The import stopped before it finished" in page and "nothing was written" in page
    assert "Confirm import" in page  # start again
    record.refresh_from_db()
    assert (record.task_state, record.confirmed_at, record.worker) == ("done", None, "")
    assert not Value.objects.exists() and not ImportRecord.objects.filter(status="applied").exists()
    if BACKEND == "database":
        assert _task_status(record.task_id) == "FAILED"
    assert list((tmp_path / "uploads-work").glob("progress-*")) == []
    assert (tmp_path / "uploads" / record.stored_file).exists()

    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    worker.run()
    assert ImportRecord.objects.filter(status="applied", preview_of=record).count() == 1
    assert Value.objects.count() == 3 and Value.history.count() == 3
    assert list((tmp_path / "uploads").iterdir()) == []


@REAL_DB
def test_an_upload_cut_off_while_it_was_stored_is_failed_and_its_part_file_removed(
    worker, client_for, tmp_path, settings
):
    """The request storing an upload died (its web worker was killed): a record waiting with no task and a
    ``.part`` file. Seen as such once the upload could not still be on its way."""
    record = ImportRecord.objects.create(
        kind="ascof", status="pending", file_name="national.csv", task_state="queued"
    )
    partial = Path(settings.IMPORT_UPLOAD_DIR) / f"upload-{record.pk}.part"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"x" * 1_000_000)
    client = client_for("admin")
    assert client.get(reverse("scorecard:import-status", kwargs={"pk": record.pk})).json()["busy"] is True
    assert partial.exists()  # just now: it may still be on its way
    ImportRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    record.refresh_from_db()
    page = client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk})).content.decode()
    assert "The upload was cut off before the file was stored. Upload it again." in page
    record.refresh_from_db()
    assert (record.status, record.task_state) == ("failed", "failed")
    assert not partial.exists()
    # A stray .part of an upload nobody is writing any more goes when the next upload starts.
    stray = Path(settings.IMPORT_UPLOAD_DIR) / "upload-99999.part"
    stray.write_bytes(b"x")
    old = time.time() - 3600
    os.utime(stray, (old, old))
    client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": csv_upload()})
    assert not stray.exists()


@pytest.fixture
def packs_world(worker):  # type: ignore[no-untyped-def]
    from scorecard.demo import demo_values_seed

    demo_values_seed()
    return small_summit(councils=(BIRMINGHAM, COVENTRY))


@REAL_DB
def test_a_summit_pack_build_whose_worker_died_fails_its_pool_dies_and_it_builds_again(
    worker, packs_world, client_for, tmp_path
):
    summit = packs_world
    client = client_for("admin")
    client.post(f"/summits/{summit.pk}/packs/build/")
    build = PackBuild.objects.get()
    worker.killable.start("pack", pack_workers=2, hold_council=COVENTRY)
    (builder,) = worker.killable.wait_until_held("pack")  # a forked builder holds Coventry's pack
    parent = worker.killable.process.pid
    assert builder != parent and _alive(builder)
    build.refresh_from_db()
    assert build.state == "running" and build.worker.split(":")[1] == str(parent)
    assert client.get(f"/summits/{summit.pk}/packs/builds/{build.pk}/status.json").json()["finished"] is False

    worker.killable.kill()
    deadline = time.monotonic() + 20
    while _alive(builder) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(builder), "a forked pack builder outlived the worker that forked it"
    status = client.get(f"/summits/{summit.pk}/packs/builds/{build.pk}/status.json").json()
    assert status["finished"] is True and status["state"] == "failed"
    assert "the background worker running it stopped" in status["message"]
    page = client.get(f"/summits/{summit.pk}/packs/").content.decode()
    assert "Build the packs again" in page and "The last build failed" in page
    packs = tmp_path / "media" / "packs"
    assert not list(packs.rglob("*.part")) and not list(packs.glob("*.zip"))

    client.post(f"/summits/{summit.pk}/packs/build/")  # start again
    worker.run()
    again = PackBuild.objects.latest("pk")
    assert again.pk != build.pk and again.state == "done"
    with zipfile.ZipFile(io.BytesIO((tmp_path / "media" / again.file_name).read_bytes())) as archive:
        names = archive.namelist()
    assert len(names) == 4 and {name[:9] for name in names} == {BIRMINGHAM, COVENTRY}


@pytest.mark.pdf
@REAL_DB
def test_a_pack_download_whose_worker_died_offers_to_try_again(worker, packs_world, client_for):
    summit = packs_world
    client = client_for("admin")
    url = f"/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf"
    preparing = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/?file=pdf"
    assert client.get(url)["Location"] == preparing
    worker.killable.start("pack", hold_council=BIRMINGHAM)
    worker.killable.wait_until_held("pack")
    assert client.get(preparing + "&format=json").json()["state"] == "building"
    worker.killable.kill()
    assert client.get(preparing + "&format=json").json()["state"] == "failed"  # at once, not in minutes
    assert "The pack could not be built" in client.get(preparing).content.decode()
    response = client.post(preparing)  # try again
    assert response.status_code == 302
    worker.run()
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


# The pieces, without a process to kill -------------------------------------------------------------------


def test_a_worker_elsewhere_is_judged_by_its_lease(settings):
    settings.TASK_LEASE_SECONDS = 30
    elsewhere = f"another-host-{uuid.uuid4().hex[:6]}:12345:999"
    assert worker_alive(elsewhere) is None
    assert worker_gone(key="unit-test", identity=elsewhere)  # no lease: gone
    with TaskLease("unit-test") as lease:
        assert lease.worker == worker_identity()
        assert not worker_gone(key="unit-test", identity=elsewhere)  # its lease is held
        assert not worker_gone(key="unit-test", identity=lease.worker)  # this very process
    assert worker_gone(key="unit-test", identity=elsewhere)


def test_a_dead_local_worker_is_seen_at_once_even_with_a_reused_process_id():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    host = worker_identity().split(":")[0]
    assert worker_alive(f"{host}:{child.pid}:1") is False
    me = worker_identity()
    assert worker_alive(me) is True
    pid, start = me.split(":")[1:]
    if start:
        assert worker_alive(f"{host}:{pid}:{int(start) + 1}") is False  # same id, another process


@pytest.mark.pdf
@pytest.mark.django_db
def test_pack_files_are_stored_whole_and_dead_writers_part_files_removed(settings, tmp_path):
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    pack_services._save("packs/v1/E08000025-2023-24.pdf", b"%PDF-1.7 whole")
    folder = tmp_path / "media" / "packs" / "v1"
    assert [p.name for p in folder.iterdir()] == ["E08000025-2023-24.pdf"]
    assert default_storage.open("packs/v1/E08000025-2023-24.pdf").read() == b"%PDF-1.7 whole"
    host = worker_identity().split(":")[0]
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = folder / f".{host}~{child.pid}~abc.part"
    mine = folder / f".{host}~{os.getpid()}~def.part"
    elsewhere = folder / ".other-host~1~ghi.part"
    for path in (dead, mine, elsewhere):
        path.write_bytes(b"half")
    assert pack_services.packs_partial_remove() == 1
    assert not dead.exists() and mine.exists() and elsewhere.exists()
    old = time.time() - 7200
    os.utime(elsewhere, (old, old))
    assert pack_services.packs_partial_remove() == 1 and not elsewhere.exists()
