"""Importing CQC's published outcomes from a CSV built from CQC's report pages (``import_cqc_assessments``).

The layout people build (``docs/domain.md`` §5): ``authority, type, overall, QS1 … QS9, avg, date, report_url``,
e.g. ``Wokingham Borough Council, Unitary, Good, 3, 3, 2, 3, 3, 3, 3, 3, 3, 2.89, May 2025, https://…``. A council
is named as such tables name it ("London Borough of Camden", "Stoke", "County Durham") or by GSS code, and
placed by the shared resolver (``councils.names.council_match``). The whole file is checked first; any problem
(a name placed on no council or on several, a score outside 1–4, a rating its scores do not give, a bad month
or address, the same council and month twice) is named by file, row and column and nothing is written. Then
every row is written in one transaction: created, updated (the same council and month with other figures) or
unchanged, so importing the same file again changes nothing. A real outcome replaces the council's demo ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from django.utils import timezone

from councils.names import council_match
from scorecard.assurance.models import CqcAssessment, rating_disagreement
from scorecard.assurance.services import (
    FIRST_ASSESSMENT,
    CqcOutcome,
    cqc_assessment_save,
    month_parse,
    rating_parse,
)
from scorecard.imports.pipeline.cells import column_label, parse_number, scan_formulas
from scorecard.imports.pipeline.outcome import Counts, ImportOutcome, Problems, Progress, report_progress
from scorecard.imports.pipeline.reading import csv_frame, decode_text, map_columns, read_raw
from scorecard.imports.pipeline.run import run_planned_import
from scorecard.models import ImportRecord
from scorecard.scoring import CQC_STATEMENTS

COLUMNS: dict[str, tuple[str, ...]] = {
    "authority": ("authority", "local authority", "council", "name", "la name"),
    "gss": ("gss code", "gss", "ons code", "code"),
    "overall": ("overall", "overall rating", "rating"),
    **{
        f"qs{s.number}": (
            f"qs{s.number}",
            f"qs {s.number}",
            f"quality statement {s.number}",
            f"statement {s.number}",
        )
        for s in CQC_STATEMENTS
    },
    "avg": ("avg", "average", "average score", "mean score"),
    "date": ("date", "assessed", "assessment date", "month", "assessment month"),
    "report_url": ("report url", "report", "url", "link"),
}
REQUIRED = ("overall", "date", *(f"qs{s.number}" for s in CQC_STATEMENTS))
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
URL_LIMIT = 500


@dataclass
class CqcPlan:
    outcomes: list[tuple[int, CqcOutcome]]


def _name_of(record: pd.Series, columns: dict[str, str]) -> str:
    """The row's council as written: its GSS code when the file has a filled GSS column, else its name."""
    if "gss" in columns and record[columns["gss"]]:
        return str(record[columns["gss"]])
    return str(record[columns["authority"]]) if "authority" in columns else ""


def _scores(
    record: pd.Series, columns: dict[str, str], col: dict[str, str], row: int, problems: Problems
) -> tuple[int, ...] | None:
    scores = []
    for statement in CQC_STATEMENTS:
        key = f"qs{statement.number}"
        text = record[columns[key]]
        number = parse_number(text)
        if number is None or number != number.to_integral_value() or not 1 <= number <= 4:
            problems.add(
                f"the score for {statement.number}. {statement.name} must be a whole number from 1 to 4, "
                f"not {text!r}"
                if text
                else f"the score for {statement.number}. {statement.name} is missing",
                row=row,
                column=col[key],
            )
            continue
        scores.append(int(number))
    return tuple(scores) if len(scores) == len(CQC_STATEMENTS) else None


def _average_problem(text: str, scores: tuple[int, ...]) -> str | None:
    """The file's average, when given, must be the scores' mean to the places it gives."""
    given = parse_number(text)
    if given is None:
        return f"the average {text!r} is not a number"
    places = max(0, -int(given.as_tuple().exponent))
    mean = Decimal(sum(scores)) / len(scores)
    if abs(mean - given) > Decimal(1).scaleb(-places) / 2 + Decimal("0.0000001"):
        return f"the average {text} is not the mean of the scores ({mean:.2f})"
    return None


def _month(text: str, row: int, column: str, problems: Problems) -> Any:
    month = month_parse(text)
    if month is None:
        problems.add(
            f"{text!r} is not a month: write it as CQC's report does, for example May 2025",
            row=row,
            column=column,
        )
    elif month < FIRST_ASSESSMENT:
        problems.add(
            f"{text} is before April 2023, when CQC's assessments of councils began", row=row, column=column
        )
    elif month > timezone.localdate():
        problems.add(f"{text} is in the future", row=row, column=column)
    else:
        return month
    return None


def _report_url(
    record: pd.Series, columns: dict[str, str], col: dict[str, str], row: int, problems: Problems
) -> str:
    if "report_url" not in columns:
        return ""
    url = str(record[columns["report_url"]])
    if url and (len(url) > URL_LIMIT or not URL.match(url)):
        problems.add(
            "the report's address must be a web address starting https://", row=row, column=col["report_url"]
        )
    return url


def _check_row(
    row: int,
    record: pd.Series,
    *,
    council: Any,
    columns: dict[str, str],
    col: dict[str, str],
    problems: Problems,
) -> CqcOutcome | None:
    before = problems.count
    scores = _scores(record, columns, col, row, problems)
    understood, rating = rating_parse(record[columns["overall"]])
    if not understood:
        problems.add(
            f"{record[columns['overall']]!r} is not one of CQC's ratings (Outstanding, Good, Requires improvement, "
            "Inadequate) or Not rated",
            row=row,
            column=col["overall"],
        )
    elif scores is not None and (problem := rating_disagreement(scores=scores, rating=rating)):
        problems.add(problem, row=row, column=col["overall"])
    average = record[columns["avg"]] if "avg" in columns else ""
    if scores is not None and average and (problem := _average_problem(average, scores)):
        problems.add(problem, row=row, column=col["avg"])
    month = _month(record[columns["date"]], row, col["date"], problems)
    url = _report_url(record, columns, col, row, problems)
    if problems.count > before or council is None or scores is None or month is None:
        return None
    return CqcOutcome(council=council, assessed_on=month, scores=scores, rating=rating, report_url=url)


def _plan(frame: pd.DataFrame, problems: Problems, counts: Counts) -> CqcPlan | None:
    columns = map_columns(frame, COLUMNS, problems)
    missing = [key for key in REQUIRED if key not in columns]
    if "authority" not in columns and "gss" not in columns:
        missing.insert(0, "authority (or GSS code)")
    if missing:
        problems.add(
            "missing required column(s): "
            + ", ".join(m.upper() if m.startswith("qs") else m for m in missing),
            row=1,
        )
        return None
    if len(frame) == 0:
        problems.add("the file has a header row but no data rows")
        return None
    scan_formulas(frame, problems, list(columns.values()))
    col = {key: column_label(frame, name) for key, name in columns.items()}
    where = col.get("gss", col.get("authority", ""))
    names = {row: _name_of(record, columns) for row, record in frame.iterrows()}
    matches = council_match(names=[name for name in names.values() if name])
    outcomes: list[tuple[int, CqcOutcome]] = []
    seen: dict[tuple[int, Any], int] = {}
    for row, record in frame.iterrows():
        counts.rows_read += 1
        name = names[row]
        match = matches.get(name) if name else None
        if match is None:
            problems.add("the council is missing: give its name or GSS code", row=int(row), column=where)
        elif not match.is_placed:
            problems.add(match.problem, row=int(row), column=where)
        council = match.council if match is not None else None
        outcome = _check_row(int(row), record, council=council, columns=columns, col=col, problems=problems)
        if outcome is None:
            continue
        key = (outcome.council.pk, outcome.assessed_on)
        if key in seen:
            problems.add(
                f"{outcome.council.name}'s assessment of {outcome.assessed_on:%B %Y} is also on row {seen[key]}",
                row=int(row),
                column=where,
            )
            continue
        seen[key] = int(row)
        outcomes.append((int(row), outcome))
    return None if problems else CqcPlan(outcomes)


def _write(
    plan: CqcPlan,
    record: ImportRecord,
    user: Any,
    counts: Counts,
    progress: Progress | None,
    *,
    allow_blanking: bool = True,
    problems: Problems | None = None,
) -> None:
    results: dict[str, list[str]] = {"created": [], "updated": []}
    for index, (_, outcome) in enumerate(plan.outcomes):
        assessment, result = cqc_assessment_save(
            outcome=outcome, user=user, source=CqcAssessment.Source.IMPORT, source_import=record
        )
        setattr(counts, result, getattr(counts, result) + 1)
        if result in results:
            results[result].append(f"{assessment.council.name} ({assessment.assessed_on:%B %Y})")
        report_progress(progress, index + 1, len(plan.outcomes))
    counts.summary["cqc"] = results


def cqc_import(
    *,
    path: Path,
    file_name: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check the whole file, then (unless ``dry_run``, or any problem) write every row in one transaction."""
    name = file_name or Path(path).name
    problems = Problems(name)
    counts = Counts()
    raw = read_raw(Path(path), problems)
    plan: CqcPlan | None = None
    if raw is not None and not problems:
        text = decode_text(raw.data, problems)
        frame = csv_frame(text, problems) if text is not None else None
        if frame is not None and not problems:
            plan = _plan(frame, problems, counts)
    return run_planned_import(
        kind=ImportRecord.Kind.CQC,
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
    )
