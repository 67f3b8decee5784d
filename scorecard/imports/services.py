"""Uploads through the web: start a checked preview, confirm it once, apply it as checked, clean up.

The work runs as Django Tasks (``scorecard.imports.tasks``) so that no request waits for a national
file. The state of an upload lives in real fields of :class:`~scorecard.models.ImportRecord`:

1. ``import_upload_start`` stores the file privately, writes a PENDING record and enqueues the preview.
2. ``import_preview_run`` (the preview task) validates the whole file, counts what would change, lists the
   published figures it would change or remove, keeps the checked plan beside the upload (with its
   SHA-256 in the record) and a fingerprint of the data it was checked against: PREVIEWED or FAILED.
3. ``import_confirm_start`` claims the preview with one conditional UPDATE (so two confirms at once, from
   two tabs or a double click, import once) and enqueues the confirm task.
4. ``import_confirm_run`` applies the kept plan without validating the file again, unless the stored file
   or the data changed since the preview: then it checks the file again and asks for a new confirm.

Uploaded files (and plans) are kept only while a record needs them: deleted once an import is applied
or fails, and ``imports_expire`` deletes those of previews nobody confirmed within
``settings.IMPORT_UPLOAD_TTL_HOURS``.

A worker can die mid-task (``kill -9``, a lost machine). Each task body holds a lease and writes which process
runs it into the record (``core.leases``); ``import_recover`` (run whenever the record is read for its
state) sees a dead worker, says so in the record, removes its partial files, and offers to start again: a
preview can be checked again (``import_preview_restart``), a confirm confirmed again (its transaction was
rolled back by the database), an upload cut off while being stored uploaded again.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from core.leases import TaskLease, task_finished, task_mark_failed, worker_gone
from councils.models import Council
from scorecard.imports import ascof as ascof_module
from scorecard.imports import local as local_module
from scorecard.imports import mapped as mapped_module
from scorecard.imports import neighbours as neighbours_module
from scorecard.imports.pipeline.outcome import Counts, ImportOutcome, Problems
from scorecard.imports.pipeline.reading import RawFile
from scorecard.imports.pipeline.run import run_import
from scorecard.imports.rules import import_scope_check
from scorecard.models import Area, ImportRecord, Measure, Period, Value

logger = logging.getLogger(__name__)

UPLOAD_KINDS = (
    ImportRecord.Kind.ASCOF,
    ImportRecord.Kind.LOCAL,
    ImportRecord.Kind.NEIGHBOURS,
    ImportRecord.Kind.MAPPED,
)
PROGRESS_EVERY = 0.25  # seconds between progress notes
# An upload is stored and its preview queued within seconds of the request: a record still waiting for its
# task after this long lost the request that was storing it (and a ".part" file this old, its writer).
UPLOAD_STORED_WITHIN = datetime.timedelta(minutes=10)
BUSY_STATES = (
    ImportRecord.TaskState.QUEUED,
    ImportRecord.TaskState.CHECKING,
    ImportRecord.TaskState.WRITING,
)


# STORAGE ----------------------------------------------------------------------------------------------


def upload_dir() -> Path:
    """The private upload directory (created on first use): ``settings.IMPORT_UPLOAD_DIR`` if set, else
    ``BASE_DIR/var/uploads``. Never under STATIC_ROOT or MEDIA_ROOT, so uploads are not served. With
    several app servers (the RQ backend) it must be storage that every server and worker shares."""
    configured = getattr(settings, "IMPORT_UPLOAD_DIR", None)
    directory = Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def work_dir() -> Path:
    """Beside the upload directory: the checked plans and progress notes of imports in progress."""
    directory = upload_dir().parent / f"{upload_dir().name}-work"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _stored_path(record: ImportRecord) -> Path | None:
    return upload_dir() / Path(record.stored_file).name if record.stored_file else None


def _plan_path(record: ImportRecord) -> Path:
    return work_dir() / f"plan-{record.pk}.pickle"


def _progress_path(record_id: int) -> Path:
    return work_dir() / f"progress-{record_id}.json"


def _partial_path(record_id: int) -> Path:
    return upload_dir() / f"upload-{record_id}.part"


def _lease_key(record_id: int) -> str:
    return f"import:{record_id}"


def _store_upload(upload: Any, record_id: int) -> tuple[str, str, int]:
    """Save an uploaded file as ``upload-<record>-<sha256><ext>``; return its name, hash and size."""
    digest = hashlib.sha256()
    size = 0
    suffix = Path(upload.name).suffix.lower()
    partial = _partial_path(record_id)
    with partial.open("wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    sha256 = digest.hexdigest()
    name = f"upload-{record_id}-{sha256}{suffix if suffix in ('.csv', '.xlsx') else ''}"
    partial.replace(upload_dir() / name)
    return name, sha256, size


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def uploads_discard(*, record: ImportRecord) -> None:
    """Delete the record's stored upload, plan and progress note (the record itself stays)."""
    for path in (_stored_path(record), _plan_path(record), _progress_path(record.pk)):
        if path is not None:
            path.unlink(missing_ok=True)
    if record.stored_file or record.plan_sha256:
        record.stored_file = ""
        record.plan_sha256 = ""
        ImportRecord.objects.filter(pk=record.pk).update(stored_file="", plan_sha256="")


def imports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploads of previews not confirmed within IMPORT_UPLOAD_TTL_HOURS; return how many. Also look
    at every import still marked busy (``import_recover``) and delete ``.part`` files nobody is writing."""
    now = now or timezone.now()
    imports_recover(now=now)
    stale = (now - UPLOAD_STORED_WITHIN).timestamp()
    for partial in upload_dir().glob("upload-*.part"):
        try:
            if partial.stat().st_mtime < stale:
                partial.unlink(missing_ok=True)
        except OSError:
            continue
    limit = now - datetime.timedelta(hours=float(settings.IMPORT_UPLOAD_TTL_HOURS))
    expired = ImportRecord.objects.filter(created_at__lt=limit, confirmed_at__isnull=True).exclude(
        stored_file=""
    )
    count = 0
    for record in expired:
        uploads_discard(record=record)
        ImportRecord.objects.filter(pk=record.pk).update(
            notice="The uploaded file was deleted because the preview was not confirmed in time."
        )
        count += 1
    return count


# PROGRESS ---------------------------------------------------------------------------------------------


class ProgressNote:
    """Rows checked and written, noted in a small file beside the upload.

    The confirm writes inside one database transaction, so its progress cannot be read from the database
    by another connection until it ends; a note in the (shared) upload directory can.
    """

    def __init__(self, record_id: int, phase: str, *, rows: int = 0) -> None:
        self.record_id = record_id
        self.phase = phase
        self.rows = rows
        self.checked = 0
        self.written = 0
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        rows = self.rows or total // 2
        if self.phase == "preview":
            self.checked = min(rows, round(done * rows / total))
        else:
            self.checked = rows
            self.written = max(0, min(rows, done - rows))
        now = timezone.now().timestamp()
        if now - self.last >= PROGRESS_EVERY or done >= total:
            self.last = now
            self.save()

    def save(self) -> None:
        path = _progress_path(self.record_id)
        temporary = path.with_suffix(".tmp")
        note = {"rows_total": self.rows, "rows_checked": self.checked, "rows_written": self.written}
        temporary.write_text(json.dumps(note))
        os.replace(temporary, path)


def _read_progress(record_id: int) -> dict[str, int]:
    try:
        return json.loads(_progress_path(record_id).read_text())
    except (OSError, ValueError):
        return {}


# STATE OF THE DATA ------------------------------------------------------------------------------------


def database_state() -> str:
    """A fingerprint of everything a preview was checked against: values (and their history),
    the catalogue, areas and councils. Any import, edit or catalogue change since alters it."""
    parts = [
        Value.objects.aggregate(n=Count("id"), last=Max("id")),
        Value.history.aggregate(last=Max("history_id")),
        Measure.objects.aggregate(n=Count("id"), last=Max("id")),
        Period.objects.aggregate(n=Count("id")),
        Area.objects.aggregate(n=Count("id"), last=Max("id")),
        Council.objects.aggregate(n=Count("id"), last=Max("id"), cassr=Count("cassr_code")),
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


# START ------------------------------------------------------------------------------------------------


def import_upload_start(
    *,
    upload: Any,
    kind: str,
    year: str | None,
    skip_unknown_measures: bool,
    user: Any,
    only_region: Any = None,
) -> ImportRecord:
    """Store an upload privately, write a PENDING record and enqueue its preview. ``only_region``: load only
    that region's figures from an ASCOF file."""
    # Here, not at the top: the task module imports this one to run what the task does.
    from scorecard.imports.tasks import import_preview_task

    imports_expire()
    # A file of another layout waits, stored, for its columns to be chosen (``import_mapping_start``).
    waits = kind == ImportRecord.Kind.MAPPED
    record = ImportRecord.objects.create(
        kind=kind,
        status=ImportRecord.Status.PENDING,
        file_name=Path(upload.name).name[:255],
        imported_by=user if getattr(user, "pk", None) else None,
        year=year or "",
        skip_unknown_measures=skip_unknown_measures,
        only_region=only_region,
        task_state=ImportRecord.TaskState.NONE if waits else ImportRecord.TaskState.QUEUED,
    )
    name, sha256, size = _store_upload(upload, record.pk)
    record.stored_file, record.sha256, record.size_bytes = name, sha256, size
    record.save(update_fields=["stored_file", "sha256", "size_bytes"])
    if waits:
        return record
    result = import_preview_task.using(queue_name=settings.TASKS_QUEUE).enqueue(record.pk)
    ImportRecord.objects.filter(pk=record.pk, task_id="").update(task_id=str(result.id)[:64])
    record.refresh_from_db()
    return record


def awaits_columns(record: ImportRecord) -> bool:
    """A file of another layout stored and waiting for its columns to be chosen."""
    return (
        record.kind == ImportRecord.Kind.MAPPED
        and record.status == ImportRecord.Status.PENDING
        and record.task_state == ImportRecord.TaskState.NONE
        and bool(record.stored_file)
    )


def mapped_first_rows(*, record: ImportRecord) -> tuple[list[str], list[list[str]]]:
    """The stored file's column names and first rows ([], [] when it is gone)."""
    path = _stored_path(record)
    if path is None or not path.exists():
        return [], []
    return mapped_module.first_rows(path)


def import_mapping_start(
    *, record: ImportRecord, spec: mapped_module.MappingSpec, mapping_name: str, save_as: str, user: Any
) -> bool:
    """Keep the chosen columns in the record (``mapping_name``: the saved mapping they came from; ``save_as``:
    save them under this name too), then enqueue the preview; False when the record no longer waits for them
    (chosen already, in another tab). The form has checked that ``save_as`` may be saved."""
    # Here, not at the top: the task module imports this one to run what the task does.
    from scorecard.imports.tasks import import_preview_task

    claimed = ImportRecord.objects.filter(
        pk=record.pk, status=ImportRecord.Status.PENDING, task_state=ImportRecord.TaskState.NONE
    ).update(
        task_state=ImportRecord.TaskState.QUEUED,
        task_id=RESTARTING,
        summary={"mapping_spec": spec.as_dict(), "mapping": save_as or mapping_name},
    )
    if claimed != 1:
        return False
    if save_as:
        mapped_module.mapping_save(name=save_as, spec=spec, user=user)
    result = import_preview_task.using(queue_name=settings.TASKS_QUEUE).enqueue(record.pk)
    ImportRecord.objects.filter(pk=record.pk, task_id=RESTARTING).update(task_id=str(result.id)[:64])
    return True


def awaits_measures(record: ImportRecord) -> bool:
    """A file of another layout whose preview found measure codes the catalogue lacks: its upload is kept
    while the codes are mapped to catalogue measures or made into new ones (``import_measures_start``)."""
    return record.kind == ImportRecord.Kind.MAPPED and bool((record.summary or {}).get("unknown_codes"))


def import_measures_start(
    *,
    record: ImportRecord,
    codes: dict[str, str],
    new_measures: dict[str, dict[str, Any]],
    user: Any,
) -> bool:
    """Check the file again with its unknown measure codes answered: ``codes`` maps a publisher code to a
    catalogue measure's key, ``new_measures`` makes a measure of one (``mapped.NEW_MEASURE_FIELDS``). Nothing
    is written until the new preview is confirmed, and then the measures and the figures in one transaction.
    False when the record no longer waits for these answers (answered already, in another tab)."""
    # Here, not at the top: the task module imports this one to run what the task does.
    from scorecard.imports.tasks import import_preview_task

    path = _stored_path(record)
    if not awaits_measures(record) or path is None or not path.exists() or record.confirmed_at is not None:
        return False
    summary = record.summary or {}
    spec = mapped_module.MappingSpec.from_dict(summary.get("mapping_spec") or {})
    spec = mapped_module.MappingSpec.from_dict({**spec.as_dict(), "codes": {**spec.codes, **codes}})
    made = {**(summary.get("new_measures") or {}), **new_measures}
    claimed = ImportRecord.objects.filter(
        pk=record.pk,
        task_state=ImportRecord.TaskState.DONE,
        confirmed_at__isnull=True,
        status__in=(ImportRecord.Status.FAILED, ImportRecord.Status.PREVIEWED),
    ).update(
        status=ImportRecord.Status.PENDING,
        task_state=ImportRecord.TaskState.QUEUED,
        task_id=RESTARTING,
        notice="",
        summary={
            "mapping_spec": spec.as_dict(),
            "mapping": summary.get("mapping") or "",
            "new_measures": made,
        },
    )
    if claimed != 1:
        return False
    result = import_preview_task.using(queue_name=settings.TASKS_QUEUE).enqueue(record.pk)
    ImportRecord.objects.filter(pk=record.pk, task_id=RESTARTING).update(task_id=str(result.id)[:64])
    return True


def import_preview_run(*, record_id: int) -> str:
    """The preview task: check the stored file and record what the import would do."""
    with TaskLease(_lease_key(record_id)) as lease:
        return _preview(record_id, worker=lease.worker)


def _preview(record_id: int, *, worker: str) -> str:
    record = ImportRecord.objects.get(pk=record_id)
    ImportRecord.objects.filter(pk=record.pk).update(
        task_state=ImportRecord.TaskState.CHECKING, worker=worker
    )
    path = _stored_path(record)
    progress = ProgressNote(record.pk, "preview")
    progress.save()
    try:
        if path is None or not path.exists():
            return _preview_failed(record, "The uploaded file is no longer available. Upload it again.")
        outcome = _run(record, path=path, dry_run=True, progress=progress)
    except Exception:
        logger.exception("Preview of import %s failed", record.pk)
        return _preview_failed(
            record, "The file could not be checked: it is not a readable CSV or .xlsx file."
        )
    record = outcome.record or record
    if outcome.ok and outcome.plan is not None:
        plan_bytes = pickle.dumps(outcome.plan, protocol=pickle.HIGHEST_PROTOCOL)
        _plan_path(record).write_bytes(plan_bytes)
        record.plan_sha256 = hashlib.sha256(plan_bytes).hexdigest()
        record.database_state = database_state()
    elif not awaits_measures(record):
        uploads_discard(record=record)  # a failed file is never needed again
    record.task_state = ImportRecord.TaskState.DONE
    record.save()
    return record.status


def _preview_failed(record: ImportRecord, message: str) -> str:
    problem = {"file": record.file_name, "row": None, "column": None, "message": message}
    problem["text"] = f"{record.file_name}: {message}"
    ImportRecord.objects.filter(pk=record.pk).update(
        status=ImportRecord.Status.FAILED,
        task_state=ImportRecord.TaskState.DONE,
        problem_count=1,
        problems=[problem],
    )
    uploads_discard(record=record)
    return ImportRecord.Status.FAILED


def _run(record: ImportRecord, *, path: Path, dry_run: bool, progress: Any) -> ImportOutcome:
    if record.kind == ImportRecord.Kind.ASCOF:
        return ascof_module.ascof_import(
            path=path,
            file_name=record.file_name,
            year=record.year or None,
            dry_run=dry_run,
            user=record.imported_by,
            progress=progress,
            skip_unknown_measures=record.skip_unknown_measures,
            allow_blanking=True,
            into=record if dry_run else None,
            only_region=record.only_region,
        )
    if record.kind == ImportRecord.Kind.NEIGHBOURS:
        return neighbours_module.neighbours_import(
            path=path,
            file_name=record.file_name,
            dry_run=dry_run,
            user=record.imported_by,
            into=record if dry_run else None,
        )
    if record.kind == ImportRecord.Kind.MAPPED:
        summary = record.summary or {}
        return mapped_module.mapped_import(
            path=path,
            spec=mapped_module.MappingSpec.from_dict(summary.get("mapping_spec") or {}),
            file_name=record.file_name,
            dry_run=dry_run,
            user=record.imported_by,
            progress=progress,
            allow_blanking=True,
            mapping_name=summary.get("mapping") or "",
            into=record if dry_run else None,
            new_measures=summary.get("new_measures") or {},
        )
    return local_module.measures_import(
        path=path,
        file_name=record.file_name,
        dry_run=dry_run,
        user=record.imported_by,
        progress=progress,
        allow_blanking=True,
        into=record if dry_run else None,
    )


# CONFIRM ----------------------------------------------------------------------------------------------


def can_confirm(record: ImportRecord) -> bool:
    return (
        record.status == ImportRecord.Status.PREVIEWED
        and record.problem_count == 0
        and record.kind in UPLOAD_KINDS
        and bool(record.stored_file)
        and record.confirmed_at is None
        and record.task_state == ImportRecord.TaskState.DONE
    )


def import_confirm_start(*, record: ImportRecord, user: Any) -> bool:
    """Claim the preview for import and enqueue the confirm; False if it cannot be (or already was).

    The claim is one conditional UPDATE: of two confirms at once, exactly one changes the row.
    """
    # Here, not at the top: the task module imports this one to run what the task does.
    from scorecard.imports.tasks import import_confirm_task

    if not can_confirm(record):
        return False
    claimed = ImportRecord.objects.filter(
        pk=record.pk,
        status=ImportRecord.Status.PREVIEWED,
        problem_count=0,
        confirmed_at__isnull=True,
        task_state=ImportRecord.TaskState.DONE,
    ).update(
        confirmed_at=timezone.now(),
        confirmed_by=user if getattr(user, "pk", None) else None,
        task_state=ImportRecord.TaskState.QUEUED,
        notice="",
    )
    if claimed != 1:
        return False
    result = import_confirm_task.using(queue_name=settings.TASKS_QUEUE).enqueue(record.pk)
    ImportRecord.objects.filter(pk=record.pk, task_state=ImportRecord.TaskState.QUEUED).update(
        task_id=str(result.id)[:64]
    )
    return True


def import_confirm_run(*, record_id: int) -> str:
    """The confirm task: apply the checked plan, unless the file or the data changed since the preview."""
    with TaskLease(_lease_key(record_id)) as lease:
        ImportRecord.objects.filter(pk=record_id).update(worker=lease.worker)
        return _confirm(record_id, worker=lease.worker)


def _confirm(record_id: int, *, worker: str) -> str:
    preview = ImportRecord.objects.select_related("confirmed_by", "imported_by").get(pk=record_id)
    path = _stored_path(preview)
    if path is None or not path.exists() or _file_sha256(path) != preview.sha256:
        _reopen(
            preview, "The uploaded file changed or is no longer there since the preview. Upload it again."
        )
        uploads_discard(record=preview)
        ImportRecord.objects.filter(pk=preview.pk).update(status=ImportRecord.Status.FAILED)
        return "file-changed"
    plan = _load_plan(preview)
    if plan is None or database_state() != preview.database_state:
        # Something was imported or edited since: check the file again against today's data.
        ImportRecord.objects.filter(pk=preview.pk).update(
            status=ImportRecord.Status.PENDING, confirmed_at=None, confirmed_by=None
        )
        preview.refresh_from_db()
        _preview(preview.pk, worker=worker)
        ImportRecord.objects.filter(pk=preview.pk).update(
            notice="The figures in the service changed since this preview, so the file was checked again. "
            "Look at the new preview, then confirm again."
        )
        return "re-previewed"

    ImportRecord.objects.filter(pk=preview.pk).update(task_state=ImportRecord.TaskState.WRITING)
    progress = ProgressNote(preview.pk, "confirm", rows=preview.rows_read)
    progress.save()
    module = {
        ImportRecord.Kind.ASCOF: ascof_module,
        ImportRecord.Kind.NEIGHBOURS: neighbours_module,
        ImportRecord.Kind.MAPPED: mapped_module,
    }.get(ImportRecord.Kind(preview.kind), local_module)
    problems = Problems(preview.file_name)
    counts = Counts(rows_read=preview.rows_read)
    counts.skipped_reasons = dict((preview.summary or {}).get("skipped_reasons") or {})
    user = preview.confirmed_by or preview.imported_by
    # The plan was checked against the uploader's write scope; the one who confirms must be
    # allowed to write it too (another region's lead confirming an admin's preview writes nothing).
    in_scope = import_scope_check(user=user, kind=preview.kind, problems=problems, **_scope_of(preview, plan))

    def write(record: ImportRecord) -> None:
        module._write(plan, record, user, counts, progress, allow_blanking=True, problems=problems)

    try:
        outcome = run_import(
            kind=preview.kind,
            raw=RawFile(b"", preview.sha256, preview.size_bytes),
            file_name=preview.file_name,
            problems=problems,
            counts=counts,
            dry_run=False,
            user=user,
            write=write,
            preview_of=preview,
        )
    except Exception:
        logger.exception("Confirm of import %s failed", preview.pk)
        _reopen(preview, "The import stopped with an error and nothing was written. Try again.")
        ImportRecord.objects.filter(pk=preview.pk).update(task_state=ImportRecord.TaskState.FAILED)
        return "error"
    if outcome.record is not None and outcome.record.preview_of_id is None:
        ImportRecord.objects.filter(pk=outcome.record.pk).update(preview_of=preview)
    if not in_scope:  # the refusal is recorded; the preview stays for someone allowed to confirm it
        _reopen(preview, "The last confirm was refused: that user may not write these figures.")
        return "failed"
    ImportRecord.objects.filter(pk=preview.pk).update(task_state=ImportRecord.TaskState.DONE)
    uploads_discard(record=preview)
    return "applied" if outcome.ok else "failed"


def _scope_of(preview: ImportRecord, plan: Any) -> dict[str, Any]:
    """What the plan writes, as ``import_scope_check`` reads it."""
    if preview.kind == ImportRecord.Kind.ASCOF:
        return {"only_region": preview.only_region}
    if preview.kind == ImportRecord.Kind.NEIGHBOURS:
        return {"areas": set(plan.groups)}
    if preview.kind == ImportRecord.Kind.MAPPED:
        return {"areas": {key[1] for key in plan.values}, "new_measures": plan.new_measures}
    return {
        "areas": {key[1] for key in plan.values},
        "measure_codes": {key[0] for key in plan.values},
        "new_measures": plan.new_measures,
    }


def _reopen(preview: ImportRecord, message: str) -> None:
    ImportRecord.objects.filter(pk=preview.pk).update(
        confirmed_at=None, confirmed_by=None, task_state=ImportRecord.TaskState.DONE, notice=message
    )


def _load_plan(record: ImportRecord) -> Any:
    path = _plan_path(record)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not record.plan_sha256 or hashlib.sha256(data).hexdigest() != record.plan_sha256:
        return None
    return pickle.loads(data)  # noqa: S301 (our own plan, its hash checked against the record)


# STATUS -----------------------------------------------------------------------------------------------


def applied_record_of(preview: ImportRecord) -> ImportRecord | None:
    return preview.applications.filter(status=ImportRecord.Status.APPLIED).order_by("pk").first()


def import_status(*, record: ImportRecord) -> dict[str, Any]:
    """What the progress page shows: the state, rows checked and written, and where to go when done. Work
    whose worker died is found and reported first (``import_recover``)."""
    import_recover(record=record)
    busy = record.task_state in BUSY_STATES
    note = _read_progress(record.pk) if busy else {}
    applied = applied_record_of(record) if record.confirmed_at else None
    total = note.get("rows_total") or record.rows_read
    return {
        "id": record.pk,
        "status": record.status,
        "state": record.task_state or "done",
        "state_label": record.get_task_state_display() if record.task_state else "Done",
        "busy": busy,
        "rows_total": total,
        "rows_checked": note.get("rows_checked", record.rows_read if not busy else 0),
        "rows_written": note.get("rows_written", 0),
        "applied_record": applied.pk if applied else None,
        "stopped": record.task_state == ImportRecord.TaskState.STOPPED,
    }


# A WORKER THAT DIED -----------------------------------------------------------------------------------

WORKER_STOPPED = "the background worker running it stopped"


def _worker_died(record: ImportRecord, now: datetime.datetime) -> bool:
    """Whether the work the record waits for will never finish: its worker died, or the task ended without
    saying so, or (no task at all) the upload was cut off while it was being stored."""
    if record.task_state == ImportRecord.TaskState.QUEUED and not record.task_id:
        return record.created_at < now - UPLOAD_STORED_WITHIN
    if task_finished(record.task_id):
        return True
    if record.task_state == ImportRecord.TaskState.QUEUED or not record.worker:
        return False  # waiting for a worker to take it
    return worker_gone(key=_lease_key(record.pk), identity=record.worker)


def imports_recover(*, now: datetime.datetime | None = None) -> int:
    """``import_recover`` for every import still marked busy; return how many had lost their worker."""
    busy = ImportRecord.objects.filter(task_state__in=BUSY_STATES)
    return sum(import_recover(record=record, now=now) for record in busy)


def import_recover(*, record: ImportRecord, now: datetime.datetime | None = None) -> bool:
    """If the record's background work lost its worker, say so in the record, remove what it left half done
    and make it possible to start again; True when it did (``record`` is then refreshed).

    Every write is conditional on the state that was read, so work that finishes meanwhile is never
    overwritten. Nothing half-written remains in the database: the confirm writes in one transaction, which
    the database rolls back when its connection dies."""
    if record.task_state not in BUSY_STATES or not _worker_died(record, now or timezone.now()):
        return False
    seen = ImportRecord.objects.filter(pk=record.pk, task_state=record.task_state, worker=record.worker)
    if record.confirmed_at is not None:
        changed = _confirm_stopped(record, seen)
    elif not record.task_id:
        changed = seen.update(
            status=ImportRecord.Status.FAILED,
            task_state=ImportRecord.TaskState.FAILED,
            notice="The upload was cut off before the file was stored. Upload it again.",
        )
        _partial_path(record.pk).unlink(missing_ok=True)
        uploads_discard(record=record)
    else:
        changed = seen.update(
            task_state=ImportRecord.TaskState.STOPPED,
            worker="",
            notice=f"Checking the file stopped before it finished: {WORKER_STOPPED}. Check it again.",
        )
    if not changed:
        record.refresh_from_db()
        return False
    logger.warning("Import %s: its worker stopped during %s", record.pk, record.task_state)
    task_mark_failed(record.task_id, reason=f"The worker running this task stopped ({record.task_state}).")
    _progress_path(record.pk).unlink(missing_ok=True)
    record.refresh_from_db()
    return True


def _confirm_stopped(record: ImportRecord, seen: Any) -> int:
    """A confirm whose worker died: finished if its transaction committed, else ready to confirm again."""
    if applied_record_of(record) is not None:  # it died after the figures were written: finish its work
        changed = seen.update(task_state=ImportRecord.TaskState.DONE, worker="")
        if changed:
            uploads_discard(record=record)
        return changed
    return seen.update(
        task_state=ImportRecord.TaskState.DONE,
        worker="",
        confirmed_at=None,
        confirmed_by=None,
        notice=f"The import stopped before it finished: {WORKER_STOPPED}, and nothing was written. "
        "Confirm it again to start again.",
    )


def import_preview_restart(*, record: ImportRecord) -> bool:
    """Check a stopped preview's file again (its upload is kept); False when it cannot be (not stopped, or
    its file is gone: then it must be uploaded again)."""
    # Here, not at the top: the task module imports this one to run what the task does.
    from scorecard.imports.tasks import import_preview_task

    path = _stored_path(record)
    if record.task_state != ImportRecord.TaskState.STOPPED or path is None or not path.exists():
        return False
    claimed = ImportRecord.objects.filter(pk=record.pk, task_state=ImportRecord.TaskState.STOPPED).update(
        task_state=ImportRecord.TaskState.QUEUED,
        status=ImportRecord.Status.PENDING,
        notice="",
        task_id=RESTARTING,
        worker="",
    )
    if claimed != 1:
        return False
    result = import_preview_task.using(queue_name=settings.TASKS_QUEUE).enqueue(record.pk)
    ImportRecord.objects.filter(pk=record.pk, task_id=RESTARTING).update(task_id=str(result.id)[:64])
    return True


RESTARTING = "restarting"  # a task id until the queue gives one (no task yet is not an upload cut off)
