"""Running queued background tasks in the tests, on the configured backend: the database backend
(django-tasks-db's real ``db_worker``) unless ``TASKS_TEST_BACKEND=rq`` says RQ (Redis at TASKS_TEST_REDIS_URL,
a queue of its own, an in-process RQ worker). CI runs the task tests both ways."""

import os
import threading
import uuid
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker as DbWorker

BACKEND = os.environ.get("TASKS_TEST_BACKEND", "database").strip().lower()

HEADER = (
    "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
    "Geographical Level,Disaggregation Level,Measure Type"
)
ROWS = [
    "2019-20,Birmingham,E08000025,1A,SCRQoL,18.9,Council,Total,Outcome",
    "2019-20,Coventry,E08000026,1A,SCRQoL,19.4,Council,Total,Outcome",
    "2019-20,West Midlands,E12000005,1A,SCRQoL,19.1,Region,Total,Outcome",
]


def csv_upload(rows=ROWS, name="ascof-test.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *rows]) + "\n").encode(), content_type="text/csv")


class Worker:
    """Runs the queued tasks of the configured backend to the end, in this process."""

    def __init__(self, settings) -> None:
        self.queue = f"sli-test-{uuid.uuid4().hex[:10]}"
        settings.TASKS_QUEUE = self.queue
        if BACKEND == "rq":
            url = os.environ.get("TASKS_TEST_REDIS_URL", "redis://127.0.0.1:6379/10")
            settings.RQ_QUEUES = {
                name: {"URL": url, "DEFAULT_TIMEOUT": 600} for name in ("default", self.queue)
            }
            backend = "django_tasks_rq.RQBackend"
        else:
            backend = "django_tasks_db.DatabaseBackend"
        settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default", self.queue]}}

    def run(self) -> None:
        if BACKEND == "rq":
            import django_rq
            from django_tasks_rq import Job
            from rq import SimpleWorker

            # As `manage.py rqworker --job-class django_tasks_rq.Job <queue>`, in this process.
            queue = django_rq.get_queue(self.queue, job_class=Job)
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        else:
            call_command(
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "--queue-name",
                self.queue,
                verbosity=0,
                stdout=StringIO(),
                stderr=StringIO(),
            )

    def cleanup(self) -> None:
        if BACKEND == "rq":
            import django_rq

            django_rq.get_queue(self.queue).delete(delete_jobs=True)


class WorkerThread(threading.Thread):
    """``manage.py db_worker`` in a thread of the test process."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        # Its own database connection, as a separate worker process would have.
        self.worker = DbWorker(
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
