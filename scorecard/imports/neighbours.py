"""Nearest-neighbour groups uploaded on the imports page: the same preview, confirm and history as data files.

The file is the JSON map ``import_neighbours`` reads (``{gss_code: [gss_code, …]}``, each council's comparators
in order). It is checked in full (``councils.services.neighbours_parse``: every bad key and code named), then
against the uploader's write scope (an SLI lead sets the groups of their own region's councils only), and the
preview lists each group that would change, before and after. Confirm writes the checked groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from councils.models import Council
from councils.services import ImportFailed, neighbours_parse, neighbours_write
from scorecard.imports.pipeline.outcome import Counts, ImportOutcome, Problems, Progress, report_progress
from scorecard.imports.pipeline.reading import read_raw
from scorecard.imports.pipeline.run import run_planned_import
from scorecard.imports.rules import import_scope_check
from scorecard.models import ImportRecord

CHANGES_KEPT = 500


@dataclass
class NeighboursPlan:
    rows: int
    groups: dict[str, list[str]]


def neighbours_import(
    *,
    path: Path,
    file_name: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    progress: Progress | None = None,
    into: ImportRecord | None = None,
) -> ImportOutcome:
    """Check (and unless ``dry_run``, write) the groups in the JSON file at ``path``."""
    name = file_name or Path(path).name
    problems = Problems(name)
    counts = Counts()
    raw = read_raw(Path(path), problems)
    plan: NeighboursPlan | None = None
    if raw is not None and not problems:
        try:
            groups = neighbours_parse(data=raw.data, name=name)
        except ImportFailed as failed:
            for message in failed.problems:
                problems.add(message.removeprefix(f"{name}, ").removeprefix(f"{name}: "))
        else:
            counts.rows_read = len(groups)
            if import_scope_check(
                user=user, kind=ImportRecord.Kind.NEIGHBOURS, problems=problems, areas=set(groups)
            ):
                plan = NeighboursPlan(rows=len(groups), groups=groups)
    report_progress(progress, 1, 2)
    return run_planned_import(
        kind=ImportRecord.Kind.NEIGHBOURS,
        raw=raw,
        file_name=name,
        problems=problems,
        counts=counts,
        dry_run=dry_run,
        user=user,
        plan=plan,
        write_plan=_write,
        progress=progress,
        allow_blanking=True,
        into=into,
    )


def _write(
    plan: NeighboursPlan,
    record: ImportRecord,
    user: Any,
    counts: Counts,
    progress: Progress | None,
    *,
    allow_blanking: bool = True,
    problems: Problems | None = None,
) -> None:
    result = neighbours_write(groups=plan.groups)
    counts.created = result.new_councils
    counts.updated = result.councils - result.new_councils
    counts.unchanged = result.unchanged_councils
    if result.skipped_councils:
        counts.skip("the council is not known to the service", len(result.skipped_councils))
    names = dict(
        Council.objects.filter(
            gss_code__in={c for code, before, after in result.changes for c in (code, *before, *after)}
        ).values_list("gss_code", "name")
    )

    def named(codes: list[str]) -> list[str]:
        return [names.get(code, code) for code in codes]

    counts.summary["neighbour_changes"] = [
        {"council": names.get(code, code), "code": code, "before": named(before), "after": named(after)}
        for code, before, after in result.changes[:CHANGES_KEPT]
    ]
    counts.summary["unknown_neighbours"] = result.unknown_neighbours[:CHANGES_KEPT]
    report_progress(progress, 2, 2)
