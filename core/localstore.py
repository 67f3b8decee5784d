"""A process's own small copy of kept things, beside the shared cache (kept reads, kept pages, user rows).

Every key holds the versions it was kept under, so an entry can never be stale: a bump makes it
unreachable and the least recently used entries make room for new ones.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any


class LocalStore:
    """A thread-safe, size-bounded, least-recently-used map for one process."""

    _all: weakref.WeakSet[LocalStore] = weakref.WeakSet()

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        LocalStore._all.add(self)

    def get(self, key: Any) -> Any | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    @classmethod
    def clear_all(cls) -> None:
        """Forget every store's copies (the tests empty the cache between tests; a deploy starts afresh)."""
        for store in list(cls._all):
            store.clear()
