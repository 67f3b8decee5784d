"""Rows of a work programme for the CSV and XLSX exports (written by core/exports.py: never formulas)."""

from __future__ import annotations

from collections.abc import Sequence

from peerchallenge.themes.models import WorkItem

HEADERS = [
    "Item",
    "Status",
    "Priority",
    "Lead",
    "Due date",
    "Why (evidence)",
    "Linked themes",
    "Councils that raised them",
    "Latest update",
    "Latest update date",
    "Demo data",
]


def work_programme_rows(*, items: Sequence[WorkItem]) -> tuple[list[str], list[list]]:
    """One row per item (themes and updates read from the prefetched caches of selectors.work_items)."""
    rows = []
    for item in items:
        themes = list(item.themes.all())
        updates = list(item.updates.all())  # newest first
        councils = sorted({c.name for t in themes for c in t.councils.all()})
        rows.append(
            [
                item.title,
                item.get_status_display(),
                item.get_priority_display(),
                item.lead,
                item.due_date,
                item.why,
                "; ".join(t.title for t in themes),
                "; ".join(councils),
                updates[0].text if updates else "",
                updates[0].date if updates else None,
                item.is_demo,
            ]
        )
    return HEADERS, rows
