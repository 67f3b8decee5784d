"""Writes for question sets and question banks, and building (and caching) packs.

Pack files live in Django's default storage under ``packs/<version key>/``: the key
(:func:`selectors.pack_version`) changes with a new import, an edited self-assessment, question set or bank
question, so a pack is built again only when something it shows has changed.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import socket
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from core.leases import TaskLease, worker_alive, worker_gone
from councils.models import Council
from peerchallenge.models import Summit
from peerchallenge.packs import docx_export, pdf, selectors
from peerchallenge.packs.models import (
    QUESTION_LIMIT,
    TOP_QUESTIONS,
    PackBuild,
    Question,
    QuestionBankItem,
    QuestionSet,
)
from peerchallenge.selectors import summit_period
from scorecard.models import Domain, Period
from scorecard.periods import latest_period_with_figures
from selfassessment.models import SelfAssessmentCycle

logger = logging.getLogger(__name__)
PACK_DIR = "packs"


class QuestionSetError(ValueError):
    """A change the question set cannot take (says why, for the page)."""


# --- Question bank --------------------------------------------------------------------------------------


def bank_question_add(*, cycle: SelfAssessmentCycle, domain: Domain, text: str) -> QuestionBankItem:
    text = _clean(text)
    position = (
        QuestionBankItem.objects.filter(cycle=cycle, domain=domain).aggregate(p=Max("position"))["p"] or 0
    ) + 1
    return QuestionBankItem.objects.create(cycle=cycle, domain=domain, text=text, position=position)


def bank_question_delete(*, item: QuestionBankItem) -> None:
    item.delete()


# --- Question sets ----------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QuestionSetError("Enter the question.")
    if len(text) > QUESTION_LIMIT:
        raise QuestionSetError(f"A question must be {QUESTION_LIMIT} characters or fewer.")
    return text


@transaction.atomic
def question_set_get_or_create(  # type: ignore[no-untyped-def]
    *, summit: Summit, challenger: Council, challenged: Council, user=None
) -> QuestionSet:
    """The session's question set; a new one starts with the generated questions (risk triggers, then the
    cycle's question bank), in that order."""
    question_set, created = QuestionSet.objects.get_or_create(
        summit=summit, challenger=challenger, challenged=challenged, defaults={"updated_by": user}
    )
    if created:
        question_set_generate(question_set=question_set)
    return question_set


def question_set_generate(*, question_set: QuestionSet) -> int:
    """Add the generated questions to an (empty) set; return how many."""
    cycle = question_set.summit.cycle
    domains = {d.name: d for d in Domain.objects.all()}
    questions: list[Question] = []
    period = summit_period(summit=question_set.summit)
    demo = selectors.pack_data_is_demo(council=question_set.challenged, period=period)
    for trigger in selectors.council_triggers(council=question_set.challenged, cycle=cycle, period=period):
        questions.append(
            Question(
                question_set=question_set,
                domain=domains.get(trigger.domain),
                text=trigger.question[:QUESTION_LIMIT],
                evidence=trigger.evidence[:QUESTION_LIMIT],
                source=Question.Source.TRIGGER,
                trigger=trigger.kind,
                quotes_demo_figures=demo,
            )
        )
    for item in selectors.question_bank(cycle=cycle) if cycle is not None else []:
        questions.append(
            Question(
                question_set=question_set, domain=item.domain, text=item.text, source=Question.Source.BANK
            )
        )
    for position, question in enumerate(questions, start=1):
        question.position = position
    Question.objects.bulk_create(questions)
    return len(questions)


def _touch(question_set: QuestionSet, user) -> None:  # type: ignore[no-untyped-def]
    question_set.updated_by = user if getattr(user, "is_authenticated", False) else None
    question_set.updated_at = timezone.now()
    question_set.save(update_fields=["updated_at", "updated_by"])


def _renumber(question_set: QuestionSet, ordered: list[Question]) -> None:
    for position, question in enumerate(ordered, start=1):
        question.position = position
    Question.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def question_add(  # type: ignore[no-untyped-def]
    *, question_set: QuestionSet, text: str, evidence: str = "", domain: Domain | None = None, user=None
) -> Question:
    position = (question_set.questions.aggregate(p=Max("position"))["p"] or 0) + 1
    question = Question.objects.create(
        question_set=question_set,
        text=_clean(text),
        evidence=(evidence or "").strip()[:QUESTION_LIMIT],
        domain=domain,
        position=position,
        source=Question.Source.OWN,
    )
    _touch(question_set, user)
    return question


@transaction.atomic
def question_edit(  # type: ignore[no-untyped-def]
    *, question: Question, text: str, evidence: str, domain: Domain | None, user=None
) -> Question:
    question.text = _clean(text)
    if len((evidence or "").strip()) > QUESTION_LIMIT:
        raise QuestionSetError(f"Evidence must be {QUESTION_LIMIT} characters or fewer.")
    question.evidence = (evidence or "").strip()
    question.domain = domain
    question.save(update_fields=["text", "evidence", "domain"])
    _touch(question.question_set, user)
    return question


@transaction.atomic
def question_delete(*, question: Question, user=None) -> None:  # type: ignore[no-untyped-def]
    question_set = question.question_set
    question.delete()
    _renumber(question_set, list(question_set.questions.order_by("position", "pk")))
    _touch(question_set, user)


@transaction.atomic
def question_move(*, question: Question, up: bool, user=None) -> None:  # type: ignore[no-untyped-def]
    """Move a question one place up or down (nothing happens at either end)."""
    question_set = question.question_set
    ordered = list(question_set.questions.select_for_update().order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(question_set, ordered)
    _touch(question_set, user)


@transaction.atomic
def question_set_arrange(
    *, question_set: QuestionSet, positions: dict[int, int], top: set[int], user: Any = None
) -> None:
    """Reorder several questions and mark the top five in one go.

    ``positions``: question id → the place typed for it (1 is first); a question moved to a place goes
    before the one that was there, and questions not given a place keep theirs. ``top``: the ids of the
    questions to mark (at most five; every other one is unmarked).
    """
    if len(top) > TOP_QUESTIONS:
        raise QuestionSetError(
            f"You ticked {len(top)} questions: only {TOP_QUESTIONS} can be in the top five."
        )
    ordered = list(question_set.questions.select_for_update().order_by("position", "pk"))
    ids = {q.pk for q in ordered}
    unknown = (set(positions) | top) - ids
    if unknown:
        raise QuestionSetError("Some of those questions are not in this set any more: reload the page.")
    was = {q.pk: index for index, q in enumerate(ordered, start=1)}
    place = {pk: positions.get(pk, old) for pk, old in was.items()}
    moved = {pk for pk, typed in positions.items() if typed != was[pk]}
    ordered.sort(key=lambda q: (place[q.pk], q.pk not in moved, was[q.pk]))
    for question in ordered:
        question.is_top = question.pk in top
    for position, question in enumerate(ordered, start=1):
        question.position = position
    Question.objects.bulk_update(ordered, ["position", "is_top"])
    _touch(question_set, user)


@transaction.atomic
def question_top_set(*, question: Question, top: bool, user=None) -> None:  # type: ignore[no-untyped-def]
    """Mark (or unmark) one of the top five; a sixth is refused."""
    if top and not question.is_top:
        marked = question.question_set.questions.filter(is_top=True).count()
        if marked >= TOP_QUESTIONS:
            raise QuestionSetError(
                f"Only {TOP_QUESTIONS} questions can be in the top five: unmark one first."
            )
    question.is_top = top
    question.save(update_fields=["is_top"])
    _touch(question.question_set, user)


# --- Packs ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackFiles:
    council: Council
    period_label: str
    pdf: str  # storage names
    docx: str
    built: bool  # False: both were already in the cache

    @property
    def pdf_download_name(self) -> str:
        return f"{pack_file_stem(self.council, self.period_label)}.pdf"

    @property
    def docx_download_name(self) -> str:
        return f"{pack_file_stem(self.council, self.period_label)}-pro-forma.docx"


def pack_file_stem(council: Council, period_label: str) -> str:
    """``<GSS code>-<council name>-<period>``, e.g. ``E08000025-birmingham-2023-24``: the code first (files
    sort by it and it never changes), the name so a reader knows the file, letters, digits and hyphens only
    (safe in any file system and in a Content-Disposition header)."""
    name = slugify(council.name)[:60].strip("-") or "council"
    return "-".join(part for part in (council.gss_code, name, slugify(period_label) or "no-period") if part)


def _period_for(council: Council, period: Period | None, summit: Summit | None) -> Period | None:
    if period is not None:
        return period
    if summit is not None:
        return summit_period(summit=summit)
    # The latest period with figures for the council: the one its scorecard shows by default.
    return latest_period_with_figures(council_id=council.pk)


@dataclass(frozen=True)
class PackTarget:
    """One pack as it would be built now: whose, for which summit and reader, its period, version key and
    storage names. Resolved once (a few queries) and handed to the functions below."""

    council: Council
    summit: Summit | None
    include_questions: bool
    period: Period | None
    version: str
    label: str  # the period's label, "no-period" for a council without figures (the pack says so)

    @property
    def pdf_name(self) -> str:
        return f"{PACK_DIR}/{self.version}/{self.council.gss_code}-{self.label}.pdf"

    @property
    def docx_name(self) -> str:
        return f"{PACK_DIR}/{self.version}/{self.council.gss_code}-{self.label}-pro-forma.docx"

    @property
    def wait_key(self) -> str:
        return f"packs:building:{self.version}"


def pack_target(
    *,
    council: Council,
    period: Period | None = None,
    summit: Summit | None = None,
    include_questions: bool = True,
) -> PackTarget:
    period = _period_for(council, period, summit)
    version = selectors.pack_version(
        council=council, period=period, summit=summit, include_questions=include_questions
    )
    return PackTarget(
        council=council,
        summit=summit,
        include_questions=include_questions,
        period=period,
        version=version,
        label=period.label if period else "no-period",
    )


def pack_files_get(*, target: PackTarget) -> PackFiles | None:
    """The pack's files when they are built for the current version; ``None`` otherwise (nothing is built)."""
    if default_storage.exists(target.pdf_name) and default_storage.exists(target.docx_name):
        return PackFiles(target.council, target.label, target.pdf_name, target.docx_name, built=False)
    return None


def pack_files_get_or_build(
    *,
    council: Council,
    period: Period | None = None,
    summit: Summit | None = None,
    include_questions: bool = True,
    overview_cache: dict | None = None,
) -> PackFiles:
    """The pack's PDF and pro-forma DOCX in the default storage, built only when the version changed."""
    target = pack_target(council=council, period=period, summit=summit, include_questions=include_questions)
    found = pack_files_get(target=target)
    if found is not None:
        return found
    pack = selectors.pack_build_data(
        council=council,
        period=target.period,
        summit=summit,
        include_questions=include_questions,
        overview_cache=overview_cache,
    )
    _save(target.pdf_name, pdf.pack_pdf(pack=pack))
    _save(target.docx_name, docx_export.pro_forma_docx(pack=pack))
    return PackFiles(council, target.label, target.pdf_name, target.docx_name, built=True)


# --- One pack in the background (a download never waits for a build) ------------------------------------
# A download whose pack is not built yet enqueues its build (``tasks.pack_task``) and shows a page that
# polls until the files are there. The cache remembers the build on its way (so a second click or a refresh
# does not enqueue another) and a failure (so the page can say so and offer to try again).


# A pack builds in a second or two: a build still on its way after this long has probably lost its worker
# (stopped, or killed mid-build), so its page offers to start it again.
OFFER_AGAIN_AFTER = dt.timedelta(minutes=2)


@dataclass(frozen=True)
class PackWait:
    state: str  # "building" or "failed"
    since: float  # when the build was asked for (time.time())
    worker: str = ""  # the process building it, once a worker has taken it (core.leases)


def pack_one_state(*, target: PackTarget) -> PackWait | None:
    """The build on its way (or failed); a build whose worker died is reported as failed."""
    wait = cache.get(target.wait_key)
    building = wait is not None and wait.state == "building" and bool(wait.worker)
    if building and worker_gone(key=target.wait_key, identity=wait.worker):
        wait = PackWait(state="failed", since=wait.since)
        cache.set(target.wait_key, wait, timeout=int(STALLED_AFTER.total_seconds()))
    return wait


def pack_one_start(*, target: PackTarget, again: bool = False) -> PackWait:
    """Enqueue the build of one pack unless it is already on its way (``again``: after a failure)."""
    # Here, not at the top: the task module imports this one to run what the task does.
    from peerchallenge.packs.tasks import pack_task

    waiting = PackWait(state="building", since=time.time())
    if again:
        cache.delete(target.wait_key)
    if not cache.add(target.wait_key, waiting, timeout=int(STALLED_AFTER.total_seconds())):
        return cache.get(target.wait_key) or waiting
    # Enqueued at once: everything the build reads is already committed (a download writes nothing).
    pack_task.using(queue_name=settings.TASKS_QUEUE).enqueue(
        target.council.pk,
        target.summit.pk if target.summit else None,
        target.include_questions,
        target.period.pk if target.period and target.summit is None else None,
    )
    return waiting


def pack_one_run(
    *, council_id: int, summit_id: int | None, include_questions: bool, period_id: int | None = None
) -> str:
    """The task's body: build the pack; on failure, say so to the waiting page. ``period_id`` is for a
    pack outside a summit (a summit's packs use its cycle's period)."""
    council = Council.objects.select_related("region").get(pk=council_id)
    summit = (
        Summit.objects.select_related("region", "cycle__period", "period").get(pk=summit_id)
        if summit_id
        else None
    )
    period = Period.objects.get(pk=period_id) if period_id else None
    key = pack_target(
        council=council, period=period, summit=summit, include_questions=include_questions
    ).wait_key
    try:
        with TaskLease(key) as lease:
            since = getattr(cache.get(key), "since", time.time())
            cache.set(
                key, PackWait("building", since, lease.worker), timeout=int(STALLED_AFTER.total_seconds())
            )
            pack_files_get_or_build(
                council=council, period=period, summit=summit, include_questions=include_questions
            )
    except Exception:  # the waiting page must say it failed, whatever the reason
        logger.exception("Pack build for council %s failed", council_id)
        since = getattr(cache.get(key), "since", time.time())
        cache.set(key, PackWait(state="failed", since=since), timeout=int(STALLED_AFTER.total_seconds()))
        return "failed"
    cache.delete(key)
    return "done"


def _save(name: str, content: bytes) -> None:
    """Store a built file whole or not at all: on the local file system it is written beside its name and
    renamed into place, so a worker killed mid-write leaves no truncated pack (only a ``.part`` file, which
    ``pack_build_recover`` removes)."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # a remote storage writes each file in one request
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(content))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    writer = f".{socket.gethostname()}~{os.getpid()}~"  # who writes it (packs_partial_remove)
    handle, partial = tempfile.mkstemp(dir=os.path.dirname(path), prefix=writer, suffix=PART_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        os.unlink(partial)
        raise


PART_SUFFIX = ".part"


def summit_pack_councils(*, summit: Summit) -> list[Council]:
    """The challenged councils of the summit, in running order."""
    return [s.challenged for s in selectors.summit_sessions(summit=summit)]


def summit_packs_build(
    *, summit: Summit, progress: Callable[[int, int, str], None] | None = None, workers: int = 1
) -> list[PackFiles]:
    """Every pack of the summit (with its question set), each from the cache when unchanged.

    ``workers`` > 1 builds packs in that many forked processes (WeasyPrint is CPU-bound Python, so threads
    would not help). Each process opens its own database connection; the data must be committed.
    """
    councils = summit_pack_councils(summit=summit)
    if workers > 1 and len(councils) > 1:
        return _summit_packs_build_parallel(
            summit=summit, councils=councils, progress=progress, workers=workers
        )
    cache: dict = {}
    result = []
    for done, council in enumerate(councils, start=1):
        result.append(pack_files_get_or_build(council=council, summit=summit, overview_cache=cache))
        if progress is not None:
            progress(done, len(councils), council.name)
    return result


def _build_in_worker(council_pk: int, summit_pk: int) -> PackFiles:
    summit = Summit.objects.select_related("region", "cycle__period", "period").get(pk=summit_pk)
    council = Council.objects.select_related("region").get(pk=council_pk)
    return pack_files_get_or_build(council=council, summit=summit)


def _pool_process_start(parent: int) -> None:
    """In each forked pack builder: die with the process that forked it (the task's worker), whatever kills
    that one. Linux signals the child when its parent ends (PR_SET_PDEATHSIG); elsewhere, and as a second
    line, a thread sees the parent change. Then close the connections inherited from the parent."""
    import ctypes
    import signal
    import threading

    from django.db import connections

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="watch the parent", daemon=True).start()
    connections.close_all()


def _summit_packs_build_parallel(
    *, summit: Summit, councils: list[Council], progress: Callable[[int, int, str], None] | None, workers: int
) -> list[PackFiles]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from django.db import connections

    # What every pack shares is made here once and inherited by each forked builder: WeasyPrint and its
    # fonts, the catalogue and the period statistics the packs' scorecards and trends read.
    pdf.pdf_warm()
    selectors.pack_reads_warm(period=summit.cycle.period if summit.cycle_id and summit.cycle else None)
    connections.close_all()  # the forked processes must not share this process's connections
    found: dict[int, PackFiles] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_pool_process_start, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(_build_in_worker, council.pk, summit.pk): council for council in councils}
        for done, future in enumerate(as_completed(futures), start=1):
            council = futures[future]
            found[council.pk] = future.result()
            if progress is not None:
                progress(done, len(councils), council.name)
    return [found[council.pk] for council in councils]


def summit_zip_name(*, summit: Summit) -> str:
    """``summit-<id>-<summit name>-<period>-packs.zip``: letters, digits and hyphens only."""
    period = summit_period(summit=summit)
    parts = [f"summit-{summit.pk}", slugify(summit.name)[:60].strip("-"), period.label if period else ""]
    return "-".join(part for part in parts if part) + "-packs.zip"


def packs_zip(*, files: list[PackFiles]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            with default_storage.open(item.pdf, "rb") as handle:
                archive.writestr(item.pdf_download_name, handle.read())
            with default_storage.open(item.docx, "rb") as handle:
                archive.writestr(item.docx_download_name, handle.read())
    return buffer.getvalue()


# --- Building a summit's packs in the background -----------------------------------------------------------

# A waiting build with no progress for this long is taken for dead (a pack takes seconds).
STALLED_AFTER = dt.timedelta(minutes=30)


def pack_build_start(*, summit: Summit, user=None) -> PackBuild:  # type: ignore[no-untyped-def]
    """Record a build and enqueue it (``tasks.summit_packs_task``) on the project's task queue, as imports
    do. A build already waiting is reused, unless it has shown no progress for ``STALLED_AFTER`` (its worker
    was stopped or killed): then a new one starts."""
    # Here, not at the top: the task module imports this one to run what the task does.
    from peerchallenge.packs.tasks import summit_packs_task

    waiting = PackBuild.objects.filter(
        summit=summit,
        state__in=[PackBuild.State.PENDING, PackBuild.State.RUNNING],
        updated_at__gte=timezone.now() - STALLED_AFTER,
    ).first()
    if waiting is not None and not pack_build_recover(build=waiting):
        return waiting
    build = PackBuild.objects.create(
        summit=summit,
        requested_by=user if getattr(user, "pk", None) else None,
        total=len(summit_pack_councils(summit=summit)),  # the page says "0 of 14", never "0 of 0"
    )
    task = summit_packs_task.using(queue_name=settings.TASKS_QUEUE)
    transaction.on_commit(lambda: task.enqueue(build.pk))
    return build


def pack_build_run(*, build_id: int) -> str:
    """The task's body: build every pack, note progress in the record, write the ZIP. It holds a lease and
    names its process in the record, so a build whose worker dies is seen (``pack_build_recover``)."""
    with TaskLease(_build_lease_key(build_id)) as lease:
        return _pack_build(build_id, worker=lease.worker)


def _build_lease_key(build_id: int) -> str:
    return f"pack-build:{build_id}"


def _pack_build(build_id: int, *, worker: str) -> str:
    build = PackBuild.objects.select_related("summit__region", "summit__cycle__period", "summit__period").get(
        pk=build_id
    )
    PackBuild.objects.filter(pk=build.pk).update(
        state=PackBuild.State.RUNNING, message="Starting", updated_at=timezone.now(), worker=worker
    )

    def note(done: int, total: int, name: str) -> None:
        PackBuild.objects.filter(pk=build.pk).update(
            done=done, total=total, message=f"Built the pack for {name}", updated_at=timezone.now()
        )

    try:
        files = summit_packs_build(summit=build.summit, progress=note, workers=settings.PACK_WORKERS)
        name = f"{PACK_DIR}/summit-{build.summit.pk}-build-{build.pk}.zip"
        _save(name, packs_zip(files=files))
    except Exception as error:  # the page must say it failed, whatever the reason
        logger.exception("Pack build %s failed", build.pk)
        PackBuild.objects.filter(pk=build.pk).update(
            state=PackBuild.State.FAILED, message=f"The build failed: {type(error).__name__}"
        )
        return "failed"
    PackBuild.objects.filter(pk=build.pk).update(
        state=PackBuild.State.DONE,
        file_name=name,
        done=len(files),
        total=len(files),
        message=f"{len(files)} packs ready",
    )
    return "done"


WORKER_STOPPED = (
    "The build stopped before it finished: the background worker running it stopped. "
    "Build the packs again to start again."
)


def pack_build_recover(*, build: PackBuild) -> bool:
    """If a running build lost its worker (killed, its machine gone), record that it failed and remove the
    partly written files it left; True when it did (``build`` is updated). The packs it finished are kept:
    each is stored whole under its version key, so building again reuses them."""
    if build.state != PackBuild.State.RUNNING or not build.worker:
        return False
    if not worker_gone(key=_build_lease_key(build.pk), identity=build.worker):
        return False
    changed = PackBuild.objects.filter(
        pk=build.pk, state=PackBuild.State.RUNNING, worker=build.worker
    ).update(state=PackBuild.State.FAILED, message=WORKER_STOPPED, worker="")
    if changed:
        logger.warning("Pack build %s: its worker stopped", build.pk)
        packs_partial_remove()
    build.refresh_from_db()
    return bool(changed)


def packs_partial_remove(*, abandoned_after: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Remove the ``.part`` files under the packs folder whose writer is gone: its process (named in the file,
    ``.<host>~<pid>~….part``) is not running on this machine, or (written elsewhere) nobody has written to it
    for ``abandoned_after``. Return how many."""
    try:
        root = default_storage.path(PACK_DIR)
    except NotImplementedError:
        return 0
    limit = time.time() - abandoned_after.total_seconds()
    removed = 0
    for folder, _dirs, names in os.walk(root):
        for name in (name for name in names if name.endswith(PART_SUFFIX)):
            path = os.path.join(folder, name)
            host, _, rest = name[1:].partition("~")
            alive = worker_alive(f"{host}:{rest.partition('~')[0]}:")
            try:
                if alive is False or (alive is None and os.stat(path).st_mtime < limit):
                    os.unlink(path)
                    removed += 1
            except OSError:
                continue
    return removed


def pack_build_status(*, build: PackBuild) -> dict:
    """What the packs page shows of a build; a build whose worker died is reported as failed first."""
    pack_build_recover(build=build)
    if build.total:
        progress = f"{build.done} of {build.total} pack{'' if build.total == 1 else 's'} built."
    else:
        progress = "Counting the packs to build."
    return {
        "state": build.state,
        "label": build.get_state_display(),
        "done": build.done,
        "total": build.total,
        "progress": progress,
        "message": build.message,
        "finished": build.state in (PackBuild.State.DONE, PackBuild.State.FAILED),
    }
