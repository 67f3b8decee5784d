"""Problems, counts and the outcome of an import: what every import collects and returns."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from scorecard.models import ImportRecord

MAX_PROBLEMS_KEPT = 10_000  # in ImportOutcome.problems; problem_count is always the full count
MAX_PROBLEMS_RECORDED = 50  # in ImportRecord.problems

Progress = Callable[[int, int], None]


@dataclass
class Problem:
    """One reason a file cannot be imported, located as precisely as possible."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


@dataclass
class ImportOutcome:
    ok: bool
    dry_run: bool
    problems: list[Problem]
    problem_count: int
    rows_read: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    skipped_reasons: dict[str, int]
    record: ImportRecord | None
    changes: list[dict[str, Any]] = field(default_factory=list)
    plan: Any = None  # the validated plan, kept so that a confirmed preview is applied as checked

    @property
    def removed_count(self) -> int:
        return sum(1 for change in self.changes if change["kind"] == "removed")

    @property
    def changed_count(self) -> int:
        return len(self.changes) - self.removed_count

    def summary(self) -> str:
        text = (
            f"{self.rows_read} rows read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )
        if self.skipped_reasons:
            text += " (" + "; ".join(f"{reason}: {n}" for reason, n in self.skipped_reasons.items()) + ")"
        return text


class Problems:
    """Collects problems for one file; keeps the first MAX_PROBLEMS_KEPT and counts all of them."""

    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.items: list[Problem] = []
        self.count = 0

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS_KEPT:
            self.items.append(Problem(self.file, row, column, message))

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Counts:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)  # published figures changed or removed

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + n

    @property
    def skipped(self) -> int:
        return sum(self.skipped_reasons.values())


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import builds tens of thousands of small
    objects: each full collection would walk every object of the process (profiled: about a fifth of an
    import's CPU time). Reference counting still frees everything; the collector runs again
    afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def report_progress(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
