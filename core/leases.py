"""Is the worker running a background task still there? Leases, process checks and the task backend.

A task's body runs inside ``with TaskLease(key) as lease:`` and writes ``lease.worker`` (which process runs
it: host, process id, process start) into its record, beside its state. While the body runs, a thread renews
the lease in the shared cache every ``TASK_LEASE_SECONDS / 3`` seconds. Whoever reads the record later (a
progress page, a status poll) asks :func:`worker_gone`:

- on the machine that ran the work, the process itself is checked (gone, a zombie, or its id reused by a
  later process: gone), so a worker killed with ``kill -9`` is seen at once, however the cache is doing;
- on another machine (several app servers, RQ workers elsewhere), the lease tells: a worker that stopped
  renewing it is gone after ``TASK_LEASE_SECONDS``.

:func:`task_finished` asks the task backend too: a task the backend counts as finished (RQ marks a job whose
work horse died as failed) while its record still says it is working never updated its record. The caller then
says so in its record and offers to start again (``scorecard.imports.services.import_recover``,
``peerchallenge.packs.services.pack_build_recover``); :func:`task_mark_failed` closes the database backend's own
record of the task, which no worker would otherwise ever finish.

Shared machinery below every app (``core``), like ``core.exports``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from types import TracebackType

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

LEASE_PREFIX = "tasks:lease:"


def lease_seconds() -> float:
    return float(getattr(settings, "TASK_LEASE_SECONDS", 30))


def _process_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux ``/proc``), "" where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return ""
    return fields[19] if len(fields) > 19 else ""


def _process_state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def worker_identity() -> str:
    """This process as a worker: ``host:pid:start``."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_process_start(pid)}"


def worker_alive(identity: str) -> bool | None:
    """Whether the worker ``identity`` names is running: True or False when it ran on this machine (its
    process is checked), None when it ran on another one (or the identity cannot be read)."""
    host, _, rest = identity.partition(":")
    pid_text, _, start = rest.partition(":")
    if not host or not pid_text.isdigit():
        return None
    if host != socket.gethostname():
        return None
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    if _process_state(pid) in ("Z", "X"):
        return False  # killed, not yet reaped
    return not (start and _process_start(pid) not in ("", start))  # the same process, not a reused id


def worker_gone(*, key: str, identity: str) -> bool:
    """Whether the worker that took the work (``identity``, as its record holds it) is gone: its process is
    not running here, or (run elsewhere) its lease ``key`` has not been renewed within the lease time."""
    alive = worker_alive(identity) if identity else None
    if alive is not None:
        return not alive
    return cache.get(LEASE_PREFIX + key) is None


class TaskLease:
    """Hold the lease ``key`` while a task's body runs: renewed by a thread, removed at the end."""

    def __init__(self, key: str) -> None:
        self.key = LEASE_PREFIX + key
        self.worker = worker_identity()
        self.seconds = lease_seconds()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _renew(self) -> None:
        try:
            cache.set(self.key, self.worker, timeout=max(1, round(self.seconds)))
        except Exception:  # a cache outage must not stop the work; the process check still holds
            logger.warning("Could not renew the lease %s", self.key, exc_info=True)

    def _keep(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            self._renew()

    def __enter__(self) -> TaskLease:
        self._renew()
        self._thread = threading.Thread(target=self._keep, name=f"lease {self.key}", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            cache.delete(self.key)
        except Exception:
            logger.warning("Could not remove the lease %s", self.key, exc_info=True)


def task_finished(task_id: str) -> bool:
    """Whether the task backend counts the task as finished (successful or failed). False when it does not
    know, or cannot say (the immediate backend keeps no results)."""
    if not task_id:
        return False
    from django_tasks import TaskResultStatus, default_task_backend

    try:
        result = default_task_backend.get_result(task_id)
    except Exception:  # unknown id, a backend without results, Redis away: it cannot say
        return False
    return result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def task_mark_failed(task_id: str, *, reason: str) -> None:
    """Close the database backend's record of a task whose worker died (it would stay RUNNING for ever).
    Other backends keep their own books (RQ moves a dead worker's job to its failed registry)."""
    if not task_id:
        return
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover (the database backend is not installed)
        return
    from django.utils import timezone

    try:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="core.leases.WorkerGone",
            traceback=reason,
        )
    except Exception:  # not a UUID (another backend's id), or the table is not there
        logger.debug("No database task result %s to close", task_id, exc_info=True)


class WorkerGone(Exception):
    """What a task whose worker died is recorded as having raised (the database backend's record)."""
