"""The data version: one token that changes whenever figures a page shows may have changed.

Whatever depends only on a period's data (ranks, quartiles, computed comparators: see
``selectors.period_stats``) is kept in Django's cache under a key that includes :func:`data_version`.
Every write that changes such data calls :func:`data_version_bump`, so the next read computes afresh
and a page never shows stale figures; old entries simply expire.

- The token lives in the cache itself (Redis in production, so every app server sees one token; local
  memory for ``make run`` and the tests). A token the cache has lost is replaced by a new one, which
  only costs a recomputation: it is never a stale hit.
- :func:`data_version_bump` inside a transaction bumps at once (the writing request itself then reads
  fresh) and again when the transaction commits, so a page read by another request while the write was
  in flight cannot keep the old figures under the new token.

Writes that bump: every import (``imports.common.run_import``), demo seeding and removal
(``scorecard.demo``), any save or delete of a measure, period, domain, council or area row through the
ORM, and any save of a value row (signals wired in ``scorecard.apps``). Values have no delete signal (it
would turn the bulk deletes row by row): set-based writes (``bulk_create``, ``QuerySet.update``, deletes
of values, raw SQL) and the admin's value deletes call :func:`data_version_bump` themselves.
Self-assessments do not bump it: no read kept by it shows them (the council page's kept rendering is keyed
by a digest of what it shows, self-ratings included; packs by the self-assessment's own version).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction

from config.release import current_release

VERSION_KEY = "scorecard:data-version"
PAGE_VERSION_KEY = "scorecard:page-version"
TIMEOUT = 24 * 60 * 60  # cached reads live a day at most; a new data version makes them unreachable anyway


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


# The tokens read once per request (and for at most MEMO_SECONDS outside requests, e.g. in a task worker):
# a page reads several cached things and each would otherwise cost a round trip to Redis.
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
    """The current page version: changes with anything that decides what a signed-in user may see or which
    navigation, roles and self-ratings a page shows (see :func:`page_version_bump`)."""
    return _tokens(PAGE_VERSION_KEY)[0]


def versions() -> tuple[str, str]:
    """The data version and the page version, in one round trip when neither is known yet."""
    data, page = _tokens(VERSION_KEY, PAGE_VERSION_KEY)
    return data, page


def forget_version(**kwargs: Any) -> None:
    """Read the tokens afresh (connected to ``request_started``: every request sees the latest writes)."""
    _memo.tokens = None


request_started.connect(forget_version, dispatch_uid="scorecard-data-version-per-request")


def _replace(key: str) -> None:
    token = _new_token()
    cache.set(key, token, timeout=None)
    memo = getattr(_memo, "tokens", None) or {}
    memo[key] = (token, time.monotonic())
    _memo.tokens = memo


def _bump() -> None:
    _replace(VERSION_KEY)


def _bump_pages() -> None:
    _replace(PAGE_VERSION_KEY)


def _bump_now_and_on_commit(bump: Any) -> None:
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
        transaction.on_commit(bump)


def data_version_bump() -> None:
    """Make every cached read of the data unreachable: now, and again when the current transaction commits
    (registered once per transaction, however many rows the transaction writes)."""
    _bump_now_and_on_commit(_bump)


def page_version_bump() -> None:
    """Make every cached page (``scorecard.pagecache``) unreachable, now and again on commit: a role,
    membership, user, group, region/council relation, summit, pairing or self-assessment changed. Pages are
    also keyed by the data version, so whatever bumps that needs no page bump as well."""
    _bump_now_and_on_commit(_bump_pages)


# This process's own copy of the latest reads, by key (the key holds the data version, so an entry can never
# be stale: a bump makes it unreachable). It saves unpickling a period's statistics from the shared cache on
# every request; the shared cache saves the other processes from computing them again.
_LOCAL: OrderedDict[str, Any] = OrderedDict()
_LOCAL_SIZE = 16
_LOCK = threading.Lock()


def cached_read(name: str, *parts: object, compute: Any) -> Any:
    """``compute()`` once per data version for the key ``name`` + ``parts``; afterwards from this process's
    memory, else Django's cache. The value is shared between requests: callers must not change it."""
    key = ":".join(["scorecard", name, current_release(), data_version(), *(str(p) for p in parts)])
    with _LOCK:
        if key in _LOCAL:
            _LOCAL.move_to_end(key)
            return _LOCAL[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT)
    with _LOCK:
        _LOCAL[key] = value
        while len(_LOCAL) > _LOCAL_SIZE:
            _LOCAL.popitem(last=False)
    return value


def local_clear() -> None:
    """Forget this process's copies (the tests empty the cache between tests)."""
    from scorecard import pagecache

    forget_version()
    with _LOCK:
        _LOCAL.clear()
    pagecache.local_clear()


def bump_on_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver: a row a page reads was saved or deleted."""
    if kwargs.get("raw"):
        return  # loaddata: fixtures are loaded before any page is read
    data_version_bump()


# What pages never show and which change too often to throw every cached page away each time: import
# progress rows (saved while an import runs), pack builds (background tasks), plenary themes and their
# change log (saved every few seconds on summit day; shown only on their own, uncached pages), API tokens
# (their use is stamped set-based anyway). Values are in the data version (and a delete receiver would turn
# their bulk deletes row by row). Historical rows follow their model's own save.
PAGE_VERSION_EXEMPT = {"importrecord", "packbuild", "theme", "themechange", "apitoken", "value"}


def page_models(app_config: Any) -> list[Any]:
    """The models of an app whose writes bump the page version."""
    return [
        model
        for model in app_config.get_models()
        if model._meta.model_name not in PAGE_VERSION_EXEMPT
        and not model._meta.model_name.startswith("historical")
    ]


def bump_pages_on_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver (post_save, post_delete): a row that decides what a page shows or who may see it."""
    if kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every sign-in stamps last_login: no page shows it, no permission reads it
    page_version_bump()


PAGE_MODELS: set[Any] = set()


def bump_pages_on_m2m(sender: Any, instance: Any, action: str, model: Any, **kwargs: Any) -> None:
    """Signal receiver (m2m_changed, any sender): groups, permissions and other many-to-many links."""
    if not action.startswith("post_"):
        return
    if {type(instance)._meta.model_name, model._meta.model_name} & PAGE_VERSION_EXEMPT:
        return  # a theme's councils and measures: part of the theme, as exempt as the theme itself
    if type(instance) in PAGE_MODELS or model in PAGE_MODELS:
        page_version_bump()


def bump_on_rows_written(sender: Any, **kwargs: Any) -> None:
    """Receiver of ``councils.signals.rows_written``: a set-based write in councils (neighbour groups)."""
    data_version_bump()
    page_version_bump()


def connect_page_models(models: list[Any]) -> None:
    """Wire the page-version signals for ``models`` (called from the apps' ``ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        PAGE_MODELS.add(model)
        label = model._meta.label
        post_save.connect(bump_pages_on_change, sender=model, dispatch_uid=f"page-version-save-{label}")
        post_delete.connect(bump_pages_on_change, sender=model, dispatch_uid=f"page-version-del-{label}")
    m2m_changed.connect(bump_pages_on_m2m, dispatch_uid="page-version-m2m")
