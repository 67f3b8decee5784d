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

VERSION_KEY = "scorecard:data-version"
TIMEOUT = 24 * 60 * 60  # cached reads live a day at most; a new data version makes them unreachable anyway


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


# The token read once per request (and for at most MEMO_SECONDS outside requests, e.g. in a task worker):
# a page reads several cached things and each would otherwise cost a round trip to Redis.
MEMO_SECONDS = 1.0
_memo = threading.local()


def data_version() -> str:
    """The current data version (a short opaque token)."""
    memo = getattr(_memo, "token", None)
    if memo is not None and time.monotonic() - memo[1] < MEMO_SECONDS:
        return memo[0]
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, _new_token(), timeout=None)
        token = cache.get(VERSION_KEY) or _new_token()
    _memo.token = (token, time.monotonic())
    return token


def forget_version(**kwargs: Any) -> None:
    """Read the token afresh (connected to ``request_started``: every request sees the latest writes)."""
    _memo.token = None


request_started.connect(forget_version, dispatch_uid="scorecard-data-version-per-request")


def _bump() -> None:
    token = _new_token()
    cache.set(VERSION_KEY, token, timeout=None)
    _memo.token = (token, time.monotonic())


def data_version_bump() -> None:
    """Make every cached read of the data unreachable: now, and again when the current transaction commits
    (registered once per transaction, however many rows the transaction writes)."""
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(entry[1] is _bump for entry in connection.run_on_commit):
        transaction.on_commit(_bump)


# This process's own copy of the latest reads, by key (the key holds the data version, so an entry can never
# be stale: a bump makes it unreachable). It saves unpickling a period's statistics from the shared cache on
# every request; the shared cache saves the other processes from computing them again.
_LOCAL: OrderedDict[str, Any] = OrderedDict()
_LOCAL_SIZE = 16
_LOCK = threading.Lock()


def cached_read(name: str, *parts: object, compute: Any) -> Any:
    """``compute()`` once per data version for the key ``name`` + ``parts``; afterwards from this process's
    memory, else Django's cache. The value is shared between requests: callers must not change it."""
    key = ":".join(["scorecard", name, data_version(), *(str(p) for p in parts)])
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
    forget_version()
    with _LOCK:
        _LOCAL.clear()


def bump_on_change(sender: Any, **kwargs: Any) -> None:
    """Signal receiver: a row a page reads was saved or deleted."""
    if kwargs.get("raw"):
        return  # loaddata: fixtures are loaded before any page is read
    data_version_bump()
