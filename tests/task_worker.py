"""A real task worker in a process of its own, for the tests that kill it mid-task (tests/core/test_task_recovery.py).

``python tests/task_worker.py`` with ``SLI_TEST_WORKER`` set to a JSON object: ``database`` (the test
database's name), ``cache`` (a folder: a file cache the test shares), ``uploads``, ``media``, ``queue``,
``backend`` ("database" or "rq"), ``redis`` (RQ's URL), ``pack_workers``, and ``hold``: the step at which the
work waits for ever, so that the test can kill the worker there:

- ``preview``: the preview task, once it has started checking the file;
- ``confirm``: the confirm task, after writing the figures, inside their transaction (not committed);
- ``pack``: building the pack of the council ``hold_council`` (in a forked pack builder when
  ``pack_workers`` > 1).

On reaching it, the process writes an empty file ``<hold>-<pid>`` into ``markers``. Everything else is the
project's own code: ``manage.py db_worker``, or RQ's ``SimpleWorker`` as ``manage.py rqworker`` runs it.
"""

import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")


def configure(config: dict) -> None:
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = config["database"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": config["cache"],
        }
    }
    queues = ["default", config["queue"]]
    settings.TASKS_QUEUE = config["queue"]
    if config["backend"] == "rq":
        settings.RQ_QUEUES = {name: {"URL": config["redis"], "DEFAULT_TIMEOUT": 600} for name in queues}
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": queues}}
    else:
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues}}
    settings.IMPORT_UPLOAD_DIR = config["uploads"]
    settings.MEDIA_ROOT = config["media"]
    settings.PACK_WORKERS = config.get("pack_workers", 1)


def _hold(step: str, markers: str) -> None:
    (Path(markers) / f"{step}-{os.getpid()}").write_text("")
    while True:
        time.sleep(60)


def hold_at(config: dict) -> None:
    step, markers = config["hold"], config["markers"]
    if step == "preview":
        from scorecard.imports import services

        save = services.ProgressNote.save

        def save_then_hold(self):  # type: ignore[no-untyped-def]
            save(self)
            if self.phase == "preview":
                _hold(step, markers)

        services.ProgressNote.save = save_then_hold
    elif step == "confirm":
        from scorecard.imports import ascof

        write = ascof._write

        def write_then_hold(*args, **kwargs):  # type: ignore[no-untyped-def]
            write(*args, **kwargs)
            _hold(step, markers)

        ascof._write = write_then_hold
    elif step == "pack":
        from peerchallenge.packs import services as pack_services

        build = pack_services.pack_files_get_or_build

        def hold_or_build(*, council, **kwargs):  # type: ignore[no-untyped-def]
            if council.gss_code == config["hold_council"]:
                _hold(step, markers)
            return build(council=council, **kwargs)

        pack_services.pack_files_get_or_build = hold_or_build


def work(config: dict) -> None:
    if config["backend"] == "rq":
        import django_rq
        from django_tasks_rq import Job
        from rq import SimpleWorker

        queue = django_rq.get_queue(config["queue"], job_class=Job)
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=False)
    else:
        from django.core.management import call_command

        call_command(
            "db_worker",
            "--queue-name",
            config["queue"],
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            f"kill-test-{os.getpid()}",
        )


if __name__ == "__main__":
    settings_given = json.loads(os.environ["SLI_TEST_WORKER"])
    configure(settings_given)
    import django

    django.setup()
    hold_at(settings_given)
    work(settings_given)
