"""Seeded worlds for tests: what a test's fixtures put in the database, seeded once and put back quickly.

- A transactional test (a browser test, a task worker) starts from the database as the migrations left it
  (``tests/conftest.py`` puts it back after each), and ``seeded_world`` puts back a world this process has
  seeded before (the demo figures…) from a snapshot.
- A module whose tests are none of them transactional may seed a world once for all its tests
  (``seeded_once_per_module``), each test rolled back to it, and with it to the world's data version, so
  what was kept under it outside the database (a pack built from the world, in storage) is found again.
"""

import copy
from dataclasses import dataclass

from tests.snapshots import Snapshot, WriteWatch, snapshot_restore, snapshot_take


class _Worlds:
    """This test process's snapshots: the database as migrated, and the worlds tests seed (the demo figures…),
    with what the database holds now ("baseline", a world's name, or None once a test wrote to it)."""

    def __init__(self) -> None:
        self.baseline: Snapshot | None = None
        self.seeded: dict[str, tuple[Snapshot, object]] = {}
        self.current: str | None = None
        self.watch = WriteWatch()

    def now(self) -> str | None:
        if self.watch.written:
            self.current = None
        return self.current

    def transactional_test_began(self) -> None:
        """The database is as migrated (no test has written to it yet): keep that, and watch for writes."""
        from django.db import connection

        if self.baseline is None:
            self.baseline = snapshot_take()
        if self.watch not in connection.execute_wrappers:
            connection.execute_wrappers.append(self.watch)
        self.current = "baseline"
        self.watch.reset()

    def transactional_test_ended(self) -> None:
        assert self.baseline is not None
        self.restored(self.baseline, "baseline")

    def restored(self, snapshot: Snapshot, name: str) -> None:
        snapshot_restore(snapshot)
        self.current = name
        self.watch.reset()


WORLDS = _Worlds()


def transactional(request) -> bool:  # type: ignore[no-untyped-def]
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


def seeded_world(request, name: str, *, on: str, seed):  # type: ignore[no-untyped-def]
    """``seed()``'s result, and its rows in the database. In a transactional test whose database is still the
    world ``on`` (nothing else written yet), the rows come from a snapshot taken the first time this process
    seeded the world, put back in a fraction of a second; otherwise ``seed()`` runs."""
    if not transactional(request):
        return seed()
    now = WORLDS.now()
    if now == name:
        return WORLDS.seeded[name][1]
    if now == on and name in WORLDS.seeded:
        snapshot, result = WORLDS.seeded[name]
        WORLDS.restored(snapshot, name)
        return result
    result = seed()
    if now == on:
        WORLDS.seeded[name] = (snapshot_take(), result)
        WORLDS.current = name
        WORLDS.watch.reset()
    return result


def seeded_once_per_module(django_db_blocker, seed):  # type: ignore[no-untyped-def]
    """The body of a module-scoped fixture: ``seed()`` run once for a module's tests, in a transaction each
    test's own nests in and rolls back to, as Django's ``TestCase.setUpTestData``. Only for a module none of
    whose tests is transactional; the function-scoped fixture it stands for hands each test a deep copy of
    the result (as ``setUpTestData``'s attributes), so a test that changes an object changes its own."""
    from django.db import transaction

    from core.cache import data_version

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            result = seed()
            yield _SeededOnce(result, data_version())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@dataclass(frozen=True)
class _SeededOnce:
    result: object
    data_version: str  # the data version when the world was seeded (``core.cache``)


def once_per_module(request, name: str):  # type: ignore[no-untyped-def]
    """``name``'s result for this test (a deep copy), if the test's module seeds it once; else None.

    The data version goes back to the world's too (each test empties the cache, which would otherwise make a
    new one): the database is rolled back to the world, so what was kept under its version still holds, and
    a test's own writes change the version as ever."""
    if name not in request.fixturenames:
        return None
    assert not transactional(request), f"{name} is for modules whose tests are not transactional"
    seeded = request.getfixturevalue(name)
    _data_version_put_back(seeded.data_version)
    return copy.deepcopy(seeded.result)


def _data_version_put_back(token: str) -> None:
    from django.core.cache import cache

    from core.cache import VERSION_KEY, forget_version

    cache.set(VERSION_KEY, token, timeout=None)
    forget_version()
