"""What kept reads and kept pages are keyed by, and the writes that make them unreachable.

Two tokens live in Django's cache (Redis in production, so every app server sees one token; files under
``var/cache`` for ``make run``; memory in the tests):

- the **data version** (:func:`data_version`): changes whenever figures a page shows may have changed. Reads
  that depend only on the data (a period's statistics, the catalogue, charts) are kept by
  :func:`cached_read` under a key holding it;
- the **page version** (:func:`page_version`): changes whenever what decides who may see what, or which
  roles, navigation and self-ratings a page shows, has changed (users, roles, groups, summits, pairings,
  self-assessments). Kept pages (``core.pagecache``) are keyed by both. The signed-in user's row is
  never kept: it is read for every request, so a deactivation however made is seen at once.

A token the cache has lost is replaced by a new one, which only costs a recomputation, never a stale hit.

Who bumps them (docs/ARCHITECTURE.md, "Caching"):

- **Single-row saves and deletes through the ORM**: signals, wired for each app by :func:`watch_app` from
  what its own ``AppConfig`` declares (``figure_models``: the data version; every other model of the app but
  ``unkept_models`` and history tables: the page version).
- **Set-based writes** (``bulk_create``, ``QuerySet.update``/``delete``, raw SQL, ``COPY``, ``loaddata``),
  which Django's signals do not report: the writer then calls ``rows_written(Model, …)``, which bumps
  whatever those models' apps declared.

A bump inside a transaction happens at once (the writing request then reads afresh) and again when the
transaction commits (once per transaction), so a page read by another request while the write was in flight
cannot keep the old figures under the new token.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from django.apps import AppConfig
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.localstore import LocalStore
from core.release import current_release

VERSION_KEY = "scorecard:data-version"
PAGE_VERSION_KEY = "scorecard:page-version"
TIMEOUT = 24 * 60 * 60  # kept things live a day at most; a new version makes them unreachable anyway


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


# The tokens read once per request (and for at most MEMO_SECONDS outside requests, e.g. in a task worker):
# a page reads several kept things and each would otherwise cost a round trip to Redis.
MEMO_SECONDS = 1.0
_memo = threading.local()


def _tokens(*keys: str) -> list[str]:
    """The current tokens of ``keys`` (memoised per request; the missing ones in one round trip)."""
    memo: dict[str, tuple[str, float]] = getattr(_memo, "tokens", None) or {}
    _memo.tokens = memo
    now = time.monotonic()
    missing = [key for key in keys if key not in memo or now - memo[key][1] >= MEMO_SECONDS]
    if missing:
        found = cache.get_many(missing)
        for key in missing:
            token = found.get(key)
            if token is None:
                cache.add(key, _new_token(), timeout=None)
                token = cache.get(key) or _new_token()
            memo[key] = (token, now)
    return [memo[key][0] for key in keys]


def data_version() -> str:
    """The current data version (a short opaque token)."""
    return _tokens(VERSION_KEY)[0]


def page_version() -> str:
    """The current page version (a short opaque token)."""
    return _tokens(PAGE_VERSION_KEY)[0]


def versions() -> tuple[str, str]:
    """The data version and the page version, in one round trip when neither is known yet (a kept page,
    ``core.pagecache``, is keyed by both)."""
    data, page = _tokens(VERSION_KEY, PAGE_VERSION_KEY)
    return data, page


def forget_version(**kwargs: Any) -> None:
    """Read the tokens afresh (connected to ``request_started`` in ``core.apps``: every request sees the
    latest writes)."""
    _memo.tokens = None


def _replace(key: str) -> None:
    token = _new_token()
    cache.set(key, token, timeout=None)
    memo = getattr(_memo, "tokens", None) or {}
    memo[key] = (token, time.monotonic())
    _memo.tokens = memo


def _bump_data() -> None:
    _replace(VERSION_KEY)


def _bump_pages() -> None:
    _replace(PAGE_VERSION_KEY)


def _bump_now_and_on_commit(bump: Any) -> None:
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
        transaction.on_commit(bump)


def data_version_bump() -> None:
    """Make every kept read and page unreachable: now, and again when the current transaction commits.
    Writers call :func:`rows_written` instead; this is for benchmarks and the tests."""
    _bump_now_and_on_commit(_bump_data)


def page_version_bump() -> None:
    """Make every kept page and user row unreachable, now and again on commit (see :func:`data_version_bump`)."""
    _bump_now_and_on_commit(_bump_pages)


# Kept reads: this process's own copy of the latest, by key (the key holds the data version, so an entry can
# never be stale). It saves unpickling a period's statistics from the shared cache on every request; the
# shared cache saves the other processes from computing them again.
_READS = LocalStore(16)


def cached_read(name: str, *parts: object, compute: Any) -> Any:
    """``compute()`` once per data version (and release) for the key ``name`` + ``parts``; afterwards from this
    process's memory, else Django's cache. The value is shared between requests: callers must not change it."""
    key = ":".join(["scorecard", name, current_release(), data_version(), *(str(p) for p in parts)])
    value = _READS.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT)
    _READS.put(key, value)
    return value


def local_clear() -> None:
    """Forget the tokens and this process's kept copies (the tests empty the cache between tests)."""
    forget_version()
    LocalStore.clear_all()


# --- What each write bumps -------------------------------------------------------------------------------

FIGURE_MODELS: set[type[models.Model]] = set()  # a write changes figures: the data version
PAGE_MODELS: set[type[models.Model]] = set()  # a write changes who may see what: the page version
UNKEPT_MODELS: set[type[models.Model]] = set()  # declared as never shown on a kept page


def _bumps(models_written: tuple[type[models.Model], ...]) -> None:
    written = set(models_written)
    if written & FIGURE_MODELS:
        data_version_bump()
    if written & PAGE_MODELS:
        page_version_bump()


def rows_written(*models_written: type[models.Model]) -> None:
    """Called after a set-based write to ``models_written`` (which Django's model signals do not report):
    bump whatever those models' apps declared they change, now and again when the transaction commits. A
    model no app declared (a history table, one in ``unkept_models``) bumps nothing."""
    _bumps(models_written)


def _on_figure_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver: a row a page's figures depend on was saved or deleted."""
    if kwargs.get("raw"):
        return  # loaddata: its caller (a restore) calls rows_written
    data_version_bump()


def _on_page_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver: a row that decides what a page shows or who may see it was saved or deleted."""
    if kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login", "previous_login"}:
        return  # every sign-in stamps these: no kept page shows them, no permission reads them
    page_version_bump()


def _on_m2m_change(sender: Any, instance: Any, action: str, model: Any, **kwargs: Any) -> None:
    """Signal receiver (m2m_changed, any sender): groups, permissions and other many-to-many links."""
    if not action.startswith("post_"):
        return
    changed = {type(instance), model}
    if changed & UNKEPT_MODELS:
        return  # e.g. a theme's councils and measures: part of the theme, as unkept as the theme itself
    if changed & (PAGE_MODELS | FIGURE_MODELS):
        page_version_bump()  # a link between rows (a user's groups, a council's successors): pages only


def watch(
    models_of_app: list[type[models.Model]],
    *,
    figures: tuple[str, ...] = (),
    bulk_deleted: tuple[str, ...] = (),
    unkept: tuple[str, ...] = (),
) -> None:
    """Wire the version signals for one app's models (see :func:`watch_app`)."""
    for model in models_of_app:
        name = model.__name__
        label = model._meta.label
        if name.startswith("Historical") or name in unkept:
            UNKEPT_MODELS.add(model)
            continue
        if name in figures:
            FIGURE_MODELS.add(model)
            receiver = _on_figure_change
        else:
            PAGE_MODELS.add(model)
            receiver = _on_page_change
        post_save.connect(receiver, sender=model, dispatch_uid=f"version-save-{label}")
        if name not in bulk_deleted:
            post_delete.connect(receiver, sender=model, dispatch_uid=f"version-delete-{label}")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="version-m2m")


def watch_app(app_config: AppConfig) -> None:
    """Wire the version signals for the models of ``app_config``, from what it declares (called from its own
    ``ready()``; no app wires another's models):

    - ``figure_models``: names of models whose rows change figures a page shows (the data version);
    - ``bulk_deleted_models``: of those, models deleted only set-based, followed by :func:`rows_written` (a delete
      receiver would make Django delete them row by row);
    - ``unkept_models``: models no kept page shows that change too often to throw every kept page away
      (progress rows, build records, plenary themes).

    Every other model of the app changes the page version.
    """
    watch(
        list(app_config.get_models()),
        figures=tuple(getattr(app_config, "figure_models", ())),
        bulk_deleted=tuple(getattr(app_config, "bulk_deleted_models", ())),
        unkept=tuple(getattr(app_config, "unkept_models", ())),
    )
