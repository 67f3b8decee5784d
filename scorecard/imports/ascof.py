"""Import the official "Measures from the Adult Social Care Outcomes Framework" CSV files.

Both layouts are read: the multi-year file with a ``Year`` column and the single-year files without one
(the year then comes from the ``year`` argument or the file name). Header spellings of every published
edition are accepted (``ONS Code``/``ONS Area Code``, ``Measure_Value``/``Measure Value``, ``Measure
Group``/``ASCOF Measure Code`` with age/sex suffixes, optional ``Geographical Code``, ``Disaggregation
Level`` and ``Measure Type``). Values are joined on (year, area, measure code, breakdown, measure type),
never on description text. Published comparator rows (regions, council types, England) are stored as
published.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.utils.text import slugify

from councils.models import Council, Region
from councils.services import COUNCIL_GSS_RE, council_type_for_gss
from scorecard.areas import (
    ENGLAND_CODE,
    area_new_for_council,
    area_new_for_council_type,
    area_new_for_england,
    area_new_for_region,
    council_type_key,
)
from scorecard.catalogue import framework_for_start_year
from scorecard.imports.pipeline.cells import MAX_ABS, parse_value_cell, quantize, scan_formulas
from scorecard.imports.pipeline.checks import check_number_size, range_problem
from scorecard.imports.pipeline.outcome import (
    Counts,
    ImportOutcome,
    Problems,
    Progress,
    collection_paused,
    report_progress,
)
from scorecard.imports.pipeline.reading import csv_frame, decode_text, map_columns, read_raw
from scorecard.imports.pipeline.run import run_planned_import
from scorecard.imports.pipeline.writing import delete_demo_values, upsert_values
from scorecard.imports.rules import import_scope_check
from scorecard.models import Area, Framework, ImportRecord, Measure, Unit, Value
from scorecard.periods import period_get_or_create, period_label, period_start_year

FIRST_START_YEAR = 2014  # the 2014-15 framework is the oldest whose codes we know

COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("year", "financial year", "reporting year", "reporting period"),
    "ons": ("ons code", "ons area code", "ons geographical code", "area code", "gss code"),
    "geo_code": ("geographical code", "cassr code"),
    "geo_desc": ("geographical description", "geographical name", "area name", "area"),
    "geo_level": ("geographical level", "area level"),
    "group": ("measure group",),
    "ascof_code": ("ascof measure code", "measure code"),
    "group_desc": ("measure group description", "measure description", "ascof measure description"),
    "value": ("measure value", "value"),
    "disagg": ("disaggregation level", "disaggregation"),
    "mtype": ("measure type",),
}

LEVELS = {
    "council": "council",
    "local authority": "council",
    "la": "council",
    "cassr": "council",
    "region": "region",
    "england": "england",
    "national": "england",
    "council type": "council_type",
    "council types": "council_type",
    "la type": "council_type",
}

# Suffixes of the older files' "ASCOF Measure Code" (measure group + suffix) → breakdown label.
CODE_SUFFIXES = {"1864": "18-64", "65OV": "65+", "64U": "Under 65", "M": "Male", "F": "Female"}
TOTAL_LABELS = {"", "total", "all", "all ages", "persons", "all persons", "overall"}
BREAKDOWN_LABELS = {
    "18-64": "18-64",
    "aged 18-64": "18-64",
    "18 to 64": "18-64",
    "aged 18 to 64": "18-64",
    "18-64 years": "18-64",
    "65+": "65+",
    "65 and over": "65+",
    "aged 65 and over": "65+",
    "65 & over": "65+",
    "65+ years": "65+",
    "65 plus": "65+",
    "under 65": "Under 65",
    "64 and under": "Under 65",
    "aged 64 and under": "Under 65",
    "male": "Male",
    "males": "Male",
    "men": "Male",
    "female": "Female",
    "females": "Female",
    "women": "Female",
}
# Measure Type → the Value field that row fills ("value" is the headline Outcome).
MEASURE_TYPES = {
    "": "value",
    "outcome": "value",
    "base": "base",
    "denominator": "denominator",
    "numerator": "numerator",
    "margin of error": "margin_of_error",
    "moe": "margin_of_error",
}
REGION_RE = re.compile(r"^E12\d{6}$")


class _Found:
    """Stands in for Problems while an area is interpreted once: keeps its messages to repeat per row."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str | None]] = []

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.items.append((message, column))


@dataclass
class AreaSpec:
    kind: str  # council, region, england, council_type
    key: str
    name: str
    row: int


def ascof_import(
    *,
    path: Path,
    file_name: str | None = None,
    year: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    progress: Progress | None = None,
    skip_unknown_measures: bool = False,
    allow_blanking: bool = False,
    into: ImportRecord | None = None,
    only_region: Region | None = None,
) -> ImportOutcome:
    """Validate and import an official ASCOF CSV. See the module docstring.

    ``only_region``: load only that region's figures (its councils and the region itself) from a national
    file; rows for England, other regions and their councils are checked, then counted as skipped.

    A re-import that would turn published figures into blanks (missing, suppressed or not applicable)
    stops with a problem and the list of them unless ``allow_blanking``; a dry run only lists them.
    ``into``: fill this (pending) record with the outcome of a dry run instead of creating one.

    ``skip_unknown_measures``: rows whose measure code is not in the catalogue (a newer framework release)
    are skipped and counted instead of rejecting the file.
    """
    with collection_paused():
        return _ascof_import(
            path=Path(path),
            file_name=file_name,
            year=year,
            dry_run=dry_run,
            user=user,
            progress=progress,
            skip_unknown_measures=skip_unknown_measures,
            allow_blanking=allow_blanking,
            into=into,
            only_region=only_region,
        )


def _ascof_import(
    *,
    path: Path,
    file_name: str | None,
    year: str | None,
    dry_run: bool,
    user: Any,
    progress: Progress | None,
    skip_unknown_measures: bool,
    allow_blanking: bool,
    into: ImportRecord | None,
    only_region: Region | None = None,
) -> ImportOutcome:
    name = file_name or path.name
    problems = Problems(name)
    counts = Counts()
    import_scope_check(user=user, kind=ImportRecord.Kind.ASCOF, problems=problems, only_region=only_region)
    raw = read_raw(path, problems)
    plan: _Plan | None = None
    if raw is not None and not problems:
        text = decode_text(raw.data, problems)
        frame = csv_frame(text, problems) if text is not None else None
        if frame is not None:
            plan = _validate(frame, name, year, problems, counts, progress, skip_unknown_measures)
    if plan is not None and only_region is not None:
        plan = plan_for_region(plan, only_region, counts)

    return run_planned_import(
        kind=ImportRecord.Kind.ASCOF,
        raw=raw,
        file_name=name,
        problems=problems,
        counts=counts,
        dry_run=dry_run,
        user=user,
        plan=plan,
        write_plan=_write,
        progress=progress,
        allow_blanking=allow_blanking,
        into=into,
    )


@dataclass
class _Plan:
    rows: int
    areas: dict[str, AreaSpec]
    cassr: dict[str, int]  # council GSS → CASSR number to record where the council has none
    regions: dict[str, Region]
    values: dict[tuple[int, str, int, str], dict[str, Any]]  # (start year, area key, measure pk, breakdown)


def plan_for_region(plan: _Plan, region: Region, counts: Counts) -> _Plan:
    """The plan's figures for ``region``'s councils and the region itself; the rest are counted as skipped
    (one row per figure and part: value, numerator, denominator)."""
    mine = set(Council.objects.filter(region=region).values_list("gss_code", flat=True)) | {region.gss_code}
    kept: dict[tuple[int, str, int, str], dict[str, Any]] = {}
    outside = 0
    for key, fields in plan.values.items():
        if key[1] in mine:
            kept[key] = fields
        else:
            outside += sum(1 for name in fields if name != "status")
    if outside:
        counts.skip(
            f"outside {region.name}: England, the other regions and their councils (an administrator loads "
            "them)",
            outside,
        )
    return _Plan(
        rows=plan.rows,
        areas={k: spec for k, spec in plan.areas.items() if k in mine},
        cassr={k: v for k, v in plan.cassr.items() if k in mine},
        regions=plan.regions,
        values=kept,
    )


def year_from_file_name(name: str) -> int | None:
    """The financial year in a published file name: ``…-2019-20.csv``, ``…-1920-open-data-csv.csv``."""
    tokens = [token for token in re.split(r"[^0-9A-Za-z]+", Path(name).stem) if token]
    for first, second in itertools.pairwise(tokens):
        if first.isdigit() and second.isdigit():
            start = period_start_year(f"{first}-{second}")
            if start is not None:
                return start
    for token in tokens:
        if token.isdigit() and len(token) in (4, 6):
            start = period_start_year(token)
            if start is not None:
                return start
    return None


def _clean_code(text: str) -> str:
    """``2A(1)`` → ``2A1``, ``1c1a`` → ``1C1A``."""
    return re.sub(r"[\s()]", "", text).upper()


def _validate(
    frame: Any,
    name: str,
    year: str | None,
    problems: Problems,
    counts: Counts,
    progress: Progress | None,
    skip_unknown_measures: bool = False,
) -> _Plan | None:
    columns = map_columns(frame, COLUMNS, problems)
    counts.rows_read = len(frame)
    missing = []
    if "ons" not in columns:
        missing.append("ONS Code (or ONS Area Code)")
    if "group" not in columns and "ascof_code" not in columns:
        missing.append("Measure Group (or ASCOF Measure Code)")
    if "value" not in columns:
        missing.append("Measure_Value (or Measure Value)")
    if missing:
        problems.add("missing required column(s): " + "; ".join(missing), row=1)
        return None
    if len(frame) == 0:
        problems.add("the file has a header row but no data rows")
        return None

    fixed_year: int | None = None
    if "year" not in columns:
        if year:
            fixed_year = period_start_year(year)
            if fixed_year is None:
                problems.add(f"the year given, {year!r}, is not a financial year such as 2019-20")
                return None
        else:
            fixed_year = year_from_file_name(name)
            if fixed_year is None:
                problems.add(
                    "the file has no Year column and its name gives no year: give the year "
                    "(e.g. --year 2019-20)"
                )
                return None
        if not _year_supported(fixed_year):
            problems.add(f"{period_label(fixed_year)} is not a year this service imports (2014-15 on)")
            return None

    scan_formulas(frame, problems, list(columns.values()))

    measures = {
        (measure.framework, measure.code.upper()): measure
        for measure in Measure.objects.filter(framework__in=[Framework.ASCOF_2014, Framework.ASCOF_2023])
    }
    regions = Region.objects.in_bulk(field_name="gss_code")
    col_name = {field: columns.get(field, field) for field in COLUMNS}
    if not problems:
        plan = _validate_columns(
            frame, columns, col_name, fixed_year, measures, regions, counts, progress, skip_unknown_measures
        )
        if plan is not None:
            return plan
    # The file has problems (or something the column-wise pass leaves to a closer look): check row by
    # row, which names every problem exactly (file, row, column) in the order of the rows.
    return _validate_rows(
        frame,
        columns,
        col_name,
        fixed_year,
        measures,
        regions,
        problems,
        counts,
        progress,
        skip_unknown_measures,
    )


def _validate_rows(
    frame: Any,
    columns: dict[str, str],
    col_name: dict[str, str],
    fixed_year: int | None,
    measures: dict[tuple[str, str], Measure],
    regions: dict[str, Region],
    problems: Problems,
    counts: Counts,
    progress: Progress | None,
    skip_unknown_measures: bool,
) -> _Plan | None:
    """Row-by-row validation: the reference behaviour, used for files with problems (see _validate_columns)."""
    validator = _RowsValidator(
        frame, columns, col_name, fixed_year, measures, regions, problems, counts, skip_unknown_measures
    )
    rows = frame.index.tolist()
    total = len(rows)
    tick = max(1, total // 20)
    for i, row in enumerate(rows):
        if progress and i % tick == 0:
            report_progress(progress, i, total * 2)
        validator.check_row(i, row)
    _check_cassr(validator.cassr, validator.cassr_rows, problems, col_name["geo_code"])
    report_progress(progress, total, total * 2)
    if problems:
        return None
    return _Plan(
        rows=total, areas=validator.areas, cassr=validator.cassr, regions=regions, values=validator.values
    )


class _RowsValidator:
    """One row at a time, in the order the checks run; each check returns None when the row stops there (its
    problem or skip recorded).

    Most columns repeat a few texts thousands of times: each distinct text (or combination) is interpreted
    once and cached, so the per-row work is dictionary look-ups.
    """

    def __init__(
        self,
        frame: Any,
        columns: dict[str, str],
        col_name: dict[str, str],
        fixed_year: int | None,
        measures: dict[tuple[str, str], Measure],
        regions: dict[str, Region],
        problems: Problems,
        counts: Counts,
        skip_unknown_measures: bool,
    ) -> None:
        self.col_name, self.fixed_year, self.measures, self.regions = col_name, fixed_year, measures, regions
        self.problems, self.counts, self.skip_unknown_measures = problems, counts, skip_unknown_measures
        self.codes_by_framework: dict[str, set[str]] = {}
        for framework, code in measures:
            self.codes_by_framework.setdefault(framework, set()).add(code)

        def column(field: str) -> list[str]:
            return frame[columns[field]].tolist() if field in columns else [""] * len(frame)

        self.years, self.ons_codes, self.geo_codes = column("year"), column("ons"), column("geo_code")
        self.descriptions, self.levels, self.groups = column("geo_desc"), column("geo_level"), column("group")
        self.ascof_codes, self.raw_values = column("ascof_code"), column("value")
        self.disaggs, self.mtypes = column("disagg"), column("mtype")
        self.year_cache: dict[str, int | None] = {}
        self.code_cache: dict[tuple[str, str, str], tuple[str, str, str, Measure | None]] = {}
        self.breakdown_cache: dict[tuple[str, str], str] = {}
        self.area_cache: dict[tuple[str, str, str], tuple[AreaSpec | None, list[tuple[str, str | None]]]] = {}
        self.value_cache: dict[str, tuple[str, Decimal | None] | None] = {}
        self.framework_of: dict[int, str] = {}
        self.safe_bounds: dict[int, tuple[Decimal, Decimal]] = {}
        self.areas: dict[str, AreaSpec] = {}
        self.cassr: dict[str, int] = {}
        self.cassr_rows: dict[str, int] = {}
        self.seen: dict[tuple[int, str, int, str, str], tuple[Any, int]] = {}
        self.values: dict[tuple[int, str, int, str], dict[str, Any]] = {}

    def check_row(self, i: int, row: int) -> None:
        count_before = self.problems.count
        start = self.start_year(i, row)
        if start is None:
            return
        found = self.measure(i, row, start)
        if found is None:
            return
        measure, suffix = found
        breakdown = self.breakdown(i, row, suffix)
        if breakdown is None:
            return
        part = self.measure_type(i)
        if part is None:
            return
        spec = self.area(i, row)
        if spec is None:
            return
        parsed = self.value(i, row, measure, part)
        if parsed is None or self.problems.count != count_before:
            return
        self.keep(row, (start, spec.key, measure.pk, breakdown), part, parsed)

    def start_year(self, i: int, row: int) -> int | None:
        if self.fixed_year is not None:
            return self.fixed_year
        text = self.years[i]
        if text not in self.year_cache:
            parsed = period_start_year(text)
            self.year_cache[text] = parsed if parsed is not None and _year_supported(parsed) else None
        start = self.year_cache[text]
        if start is None:
            self.problems.add(
                f"{text!r} is not a financial year this service imports (2014-15 on)"
                if text
                else "the year is blank",
                row=row,
                column=self.col_name["year"],
            )
        return start

    def measure(self, i: int, row: int, start: int) -> tuple[Measure, str] | None:
        """The row's measure in the framework of its year, and the breakdown suffix of an older code."""
        framework = self.framework_of.get(start)
        if framework is None:
            framework = self.framework_of[start] = framework_for_start_year(start)
        code_key = (framework, self.groups[i], self.ascof_codes[i])
        cached_code = self.code_cache.get(code_key)
        if cached_code is None:
            group = _clean_code(self.groups[i])
            ascof_code = _clean_code(self.ascof_codes[i])
            suffix = ""
            if group:
                code, code_column = group, self.col_name["group"]
                if ascof_code.startswith(group):
                    suffix = ascof_code[len(group) :]
            else:
                code, suffix = _split_code(ascof_code, self.codes_by_framework.get(framework, set()))
                code_column = self.col_name["ascof_code"]
            measure = self.measures.get((framework, code))
            cached_code = self.code_cache[code_key] = (code, suffix, code_column, measure)
        code, suffix, code_column, measure = cached_code
        if not code:
            self.problems.add("the measure code is blank", row=row, column=code_column)
            return None
        if measure is None and self.skip_unknown_measures:
            self.counts.skip(f"measure {code} is not in the catalogue ({period_label(start)})")
            return None
        if measure is None:
            self.problems.add(
                f"{code!r} is not a measure code of the "
                f"{Framework(framework).label} framework used for {period_label(start)} "
                "(if the framework has gained a measure, an administrator can add it to the catalogue)",
                row=row,
                column=code_column,
            )
            return None
        return measure, suffix

    def breakdown(self, i: int, row: int, suffix: str) -> str | None:
        disagg = self.disaggs[i]
        breakdown = self.breakdown_cache.get((disagg, suffix))
        if breakdown is None:
            if disagg.lower() not in TOTAL_LABELS:
                breakdown = BREAKDOWN_LABELS.get(disagg.lower(), disagg)
            elif suffix:
                breakdown = CODE_SUFFIXES.get(suffix, suffix)
            else:
                breakdown = Value.TOTAL
            self.breakdown_cache[(disagg, suffix)] = breakdown
        if len(breakdown) > 64:
            self.problems.add(
                "the breakdown label is longer than 64 characters", row=row, column=self.col_name["disagg"]
            )
            return None
        return breakdown

    def measure_type(self, i: int) -> str | None:
        """The Value field the row fills (types not stored are skipped)."""
        mtype_text = self.mtypes[i]
        part = MEASURE_TYPES.get(mtype_text.lower())
        if part is None:
            part = MEASURE_TYPES.get(re.sub(r"\s+", " ", mtype_text.lower()))
        if part is None:
            self.counts.skip(f"measure type {mtype_text!r} not stored")
        return part

    def area(self, i: int, row: int) -> AreaSpec | None:
        """The row's area, and a council's CASSR number (the first given; a different one is a problem)."""
        area_key = (self.levels[i], self.ons_codes[i], self.descriptions[i])
        cached_area = self.area_cache.get(area_key)
        if cached_area is None:
            found = _Found()
            spec = _area_spec(0, *area_key, self.regions, found, self.col_name)  # type: ignore[arg-type]
            cached_area = self.area_cache[area_key] = (spec, found.items)
        spec, area_problems = cached_area
        if spec is None:
            for message, column_name in area_problems:
                self.problems.add(message, row=row, column=column_name)
            return None
        if spec.key not in self.areas:
            self.areas[spec.key] = AreaSpec(spec.kind, spec.key, spec.name, row)
        number = self.geo_codes[i]
        if spec.kind == "council" and number and number.isdigit():
            previous = self.cassr.get(spec.key)
            if previous is not None and previous != int(number):
                self.problems.add(
                    f"CASSR code {number} differs from {previous} given for {spec.key} "
                    f"in row {self.cassr_rows[spec.key]}",
                    row=row,
                    column=self.col_name["geo_code"],
                )
            elif previous is None:
                self.cassr[spec.key] = int(number)
                self.cassr_rows.setdefault(spec.key, row)
        return spec

    def value(self, i: int, row: int, measure: Measure, part: str) -> tuple[str, Decimal | None] | None:
        """The cell's status and number, checked against the measure's bounds."""
        raw_value = self.raw_values[i]
        if raw_value in self.value_cache:
            parsed = self.value_cache[raw_value]
        else:
            parsed = self.value_cache[raw_value] = parse_value_cell(raw_value)
        if parsed is None:
            self.problems.add(f"{raw_value!r} is not a number", row=row, column=self.col_name["value"])
            return None
        number = parsed[1]
        if number is None:
            return parsed
        bounds = self.safe_bounds.get(measure.pk)
        if bounds is None:
            bounds = self.safe_bounds[measure.pk] = _safe_bounds(measure)
        if part == "value" and bounds[0] <= number <= bounds[1]:
            return parsed  # inside every bound: no need to ask which rule it breaks
        message = check_number_size(number)
        if message is None and part == "value":
            message = range_problem(measure, number)
        elif message is None and number < 0:
            message = f"{number} is negative, which is impossible for a {self.mtypes[i].lower()}"
        if message:
            self.problems.add(message, row=row, column=self.col_name["value"])
            return None
        return parsed

    def keep(self, row: int, key: tuple[int, str, int, str], part: str, parsed: tuple[str, Any]) -> None:
        """Into the plan; identical rows are accepted once, different values for one key are a problem."""
        status, number = parsed[0], quantize(parsed[1])
        dedup_key = (*key, part)
        previous_row = self.seen.get(dedup_key)
        if previous_row is not None:
            if previous_row[0] == (status, number):
                self.counts.skip("identical duplicate row")
            else:
                self.problems.add(
                    f"row {previous_row[1]} has a different value for the same year, area, measure, "
                    f"breakdown and measure type",
                    row=row,
                    column=self.col_name["value"],
                )
            return
        self.seen[dedup_key] = ((status, number), row)
        entry = self.values.setdefault(key, {})
        if part == "value":
            entry["value"] = number
            entry["status"] = status
        else:
            entry[part] = number


class _CloserLook(Exception):
    """The column-wise pass met something only the row-by-row pass words exactly (a problem)."""


def _groups(*arrays: Any) -> tuple[np.ndarray, np.ndarray]:
    """Factorize the combination of several columns: a group number per row (numbered in order of first
    appearance) and the index of each group's first row."""
    combined: np.ndarray | None = None
    for array in arrays:
        codes, uniques = pd.factorize(array)
        if combined is None:
            combined = codes.astype(np.int64)
        else:
            combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)
    assert combined is not None
    ids, _ = pd.factorize(combined)
    first = np.unique(ids, return_index=True)[1]
    return ids.astype(np.int64), first


def _validate_columns(
    frame: Any,
    columns: dict[str, str],
    col_name: dict[str, str],
    fixed_year: int | None,
    measures: dict[tuple[str, str], Measure],
    regions: dict[str, Region],
    counts: Counts,
    progress: Progress | None,
    skip_unknown_measures: bool,
) -> _Plan | None:
    """Column-wise validation of a file: each distinct text, or combination of texts, is
    interpreted once with the same rules as the row-by-row pass, and rows are then selected with numpy
    masks; only the building of the plan walks the rows. Returns the same plan, skips and counts as
    ``_validate_rows``, or None when the file has any problem: the row-by-row pass then names them all.
    """
    try:
        return _columns_plan(
            frame, columns, col_name, fixed_year, measures, regions, counts, progress, skip_unknown_measures
        )
    except _CloserLook:
        return None


def _columns_plan(
    frame: Any,
    columns: dict[str, str],
    col_name: dict[str, str],
    fixed_year: int | None,
    measures: dict[tuple[str, str], Measure],
    regions: dict[str, Region],
    counts: Counts,
    progress: Progress | None,
    skip_unknown_measures: bool,
) -> _Plan:
    planner = _ColumnsPlanner(frame, columns, col_name, measures, regions, skip_unknown_measures)
    report_progress(progress, 0, planner.total * 2)
    planner.read_years(fixed_year)
    planner.read_measure_codes()
    planner.read_breakdowns()
    planner.read_measure_types()
    planner.read_areas()
    planner.read_cassr_numbers()
    planner.read_values()
    planner.skip_identical_duplicates()
    for _first_at, reason, size in sorted(planner.skips):
        counts.skip(reason, size)
    report_progress(progress, planner.total // 2, planner.total * 2)
    values = planner.plan_values()
    report_progress(progress, planner.total, planner.total * 2)
    return _Plan(rows=planner.total, areas=planner.areas, cassr=planner.cassr, regions=regions, values=values)


class _ColumnsPlanner:
    """The column-wise pass, one column (or combination of columns) at a time, in the order the checks run.

    ``active`` holds the rows still in the plan; ``skips`` the rows left out, with their reasons. Anything the
    row-by-row pass would call a problem raises :class:`_CloserLook`.
    """

    def __init__(
        self,
        frame: Any,
        columns: dict[str, str],
        col_name: dict[str, str],
        measures: dict[tuple[str, str], Measure],
        regions: dict[str, Region],
        skip_unknown_measures: bool,
    ) -> None:
        self.frame, self.columns, self.col_name = frame, columns, col_name
        self.measures, self.regions = measures, regions
        self.skip_unknown_measures = skip_unknown_measures
        self.total = len(frame)
        self.row_numbers = frame.index.to_numpy()
        self.blank = np.full(self.total, "", dtype=object)
        self.active = np.ones(self.total, dtype=bool)
        self.skips: list[tuple[int, str, int]] = []  # (first row index, reason, rows) in the rows' order
        self.areas: dict[str, AreaSpec] = {}
        self.cassr: dict[str, int] = {}

    def column(self, field: str) -> np.ndarray:
        return self.frame[self.columns[field]].to_numpy(dtype=object) if field in self.columns else self.blank

    def skip(self, mask: np.ndarray, reason_of: Any, ids: np.ndarray) -> None:
        """Count the rows in ``mask`` as skipped, with a reason per group ``ids``."""
        if not mask.any():
            return
        where = np.flatnonzero(mask)
        groups, first, sizes = np.unique(ids[where], return_index=True, return_counts=True)
        reasons: dict[str, list[int]] = {}
        for group, first_at, size in zip(groups.tolist(), first.tolist(), sizes.tolist(), strict=True):
            entry = reasons.setdefault(reason_of(group), [int(where[first_at]), 0])
            entry[0] = min(entry[0], int(where[first_at]))
            entry[1] += size
        self.skips.extend((first_at, reason, size) for reason, (first_at, size) in reasons.items())

    def read_years(self, fixed_year: int | None) -> None:
        """Year → start year and framework."""
        if fixed_year is not None:
            self.starts = np.full(self.total, fixed_year, dtype=np.int64)
        else:
            year_codes, year_texts = pd.factorize(self.column("year"))
            parsed_years = []
            for text in year_texts:
                parsed = period_start_year(text)
                if parsed is None or not _year_supported(parsed):
                    raise _CloserLook
                parsed_years.append(parsed)
            if (year_codes < 0).any():
                raise _CloserLook
            self.starts = np.asarray(parsed_years, dtype=np.int64)[year_codes]
        start_codes, start_values = pd.factorize(self.starts)
        frameworks = np.asarray(
            [framework_for_start_year(int(start)) for start in start_values], dtype=object
        )
        self.row_frameworks = frameworks[start_codes]

    def read_measure_codes(self) -> None:
        """Measure code (and the breakdown suffix of the older codes); unknown ones skipped when asked."""
        codes_by_framework: dict[str, set[str]] = {}
        for framework, code in self.measures:
            codes_by_framework.setdefault(framework, set()).add(code)
        groups_col, ascof_col = self.column("group"), self.column("ascof_code")
        code_ids, code_first = _groups(self.row_frameworks, groups_col, ascof_col)
        code_info = []
        for i in code_first.tolist():
            framework = self.row_frameworks[i]
            group, ascof_code = _clean_code(groups_col[i]), _clean_code(ascof_col[i])
            suffix = ""
            if group:
                code = group
                if ascof_code.startswith(group):
                    suffix = ascof_code[len(group) :]
            else:
                code, suffix = _split_code(ascof_code, codes_by_framework.get(framework, set()))
            if not code:
                raise _CloserLook
            code_info.append((code, suffix, self.measures.get((framework, code))))
        known = np.asarray([info[2] is not None for info in code_info], dtype=bool)[code_ids]
        if not known.all():
            if not self.skip_unknown_measures:
                raise _CloserLook
            starts = self.starts
            reason_ids, reason_first = _groups(code_ids, starts)
            reason_rows = reason_first.tolist()
            self.skip(
                ~known,
                lambda group: (
                    f"measure {code_info[code_ids[reason_rows[group]]][0]} is not in the catalogue "
                    f"({period_label(int(starts[reason_rows[group]]))})"
                ),
                reason_ids,
            )
            self.active &= known
        self.code_ids, self.code_info = code_ids, code_info
        self.measure_pks = np.asarray([info[2].pk if info[2] else 0 for info in code_info], dtype=np.int64)[
            code_ids
        ]
        self.suffixes = np.asarray([info[1] for info in code_info], dtype=object)[code_ids]

    def read_breakdowns(self) -> None:
        disaggs = self.column("disagg")
        breakdown_ids, breakdown_first = _groups(disaggs, self.suffixes)
        breakdown_texts = []
        for i in breakdown_first.tolist():
            disagg, suffix = disaggs[i], self.suffixes[i]
            if disagg.lower() not in TOTAL_LABELS:
                breakdown = BREAKDOWN_LABELS.get(disagg.lower(), disagg)
            elif suffix:
                breakdown = CODE_SUFFIXES.get(suffix, suffix)
            else:
                breakdown = Value.TOTAL
            breakdown_texts.append(breakdown)
        too_long = np.asarray([len(text) > 64 for text in breakdown_texts], dtype=bool)[breakdown_ids]
        if (too_long & self.active).any():
            raise _CloserLook
        self.breakdowns = np.asarray(breakdown_texts, dtype=object)[breakdown_ids]

    def read_measure_types(self) -> None:
        """Measure type → the Value field the row fills; types not stored are skipped."""
        mtype_codes, mtype_texts = pd.factorize(self.column("mtype"))
        parts_of_type = []
        for text in mtype_texts:
            part = MEASURE_TYPES.get(text.lower())
            if part is None:
                part = MEASURE_TYPES.get(re.sub(r"\s+", " ", text.lower()))
            parts_of_type.append(part)
        stored = np.asarray([part is not None for part in parts_of_type], dtype=bool)[mtype_codes]
        if not (stored | ~self.active).all():
            self.skip(
                self.active & ~stored,
                lambda group: f"measure type {mtype_texts[group]!r} not stored",
                mtype_codes,
            )
            self.active &= stored
        self.parts = np.asarray(parts_of_type, dtype=object)[mtype_codes]

    def read_areas(self) -> None:
        levels, ons_codes, descriptions = (
            self.column("geo_level"),
            self.column("ons"),
            self.column("geo_desc"),
        )
        area_ids, area_first = _groups(levels, ons_codes, descriptions)
        specs = []
        for i in area_first.tolist():
            found = _Found()
            spec = _area_spec(0, levels[i], ons_codes[i], descriptions[i], self.regions, found, self.col_name)  # type: ignore[arg-type]
            specs.append(spec)
        has_spec = np.asarray([spec is not None for spec in specs], dtype=bool)[area_ids]
        if not (has_spec | ~self.active).all():
            raise _CloserLook
        self.area_keys = np.asarray([spec.key if spec else "" for spec in specs], dtype=object)[area_ids]
        self.is_council = np.asarray([bool(spec and spec.kind == "council") for spec in specs], dtype=bool)[
            area_ids
        ]
        where = np.flatnonzero(self.active)
        for j in np.sort(np.unique(area_ids[where], return_index=True)[1]).tolist():
            spec = specs[area_ids[where[j]]]
            if spec.key not in self.areas:
                self.areas[spec.key] = AreaSpec(
                    spec.kind, spec.key, spec.name, int(self.row_numbers[where[j]])
                )

    def read_cassr_numbers(self) -> None:
        """CASSR numbers of councils (the first given; a different one later is a problem)."""
        cassr_rows: dict[str, int] = {}
        geo_codes = self.column("geo_code")
        with_code = self.active & self.is_council & (geo_codes != "")
        if "geo_code" in self.columns and with_code.any():
            where = np.flatnonzero(with_code)
            _, pair_first = _groups(self.area_keys[where], geo_codes[where])
            for j in pair_first.tolist():
                number = geo_codes[where[j]]
                if not number.isdigit():
                    continue
                key = self.area_keys[where[j]]
                previous = self.cassr.get(key)
                if previous is not None and previous != int(number):
                    raise _CloserLook
                if previous is None:
                    self.cassr[key] = int(number)
                    cassr_rows[key] = int(self.row_numbers[where[j]])
        probe = Problems("")
        _check_cassr(self.cassr, cassr_rows, probe, self.col_name["geo_code"])
        if probe:
            raise _CloserLook

    def read_values(self) -> None:
        """Each distinct cell text parsed once; numbers checked against the measure's bounds."""
        value_codes, value_texts = pd.factorize(self.column("value"))
        parsed_values = [parse_value_cell(text) for text in value_texts]
        unreadable = [k for k, parsed in enumerate(parsed_values) if parsed is None]
        if unreadable and (self.active & np.isin(value_codes, unreadable)).any():
            raise _CloserLook
        self.value_codes, self.value_count = value_codes, len(value_texts)
        self.statuses_of = np.asarray([p[0] if p else "" for p in parsed_values], dtype=object)
        numbers_of = [p[1] if p else None for p in parsed_values]
        self.quantized_of = np.asarray([quantize(number) for number in numbers_of], dtype=object)
        floats_of = np.asarray([float(n) if n is not None else np.nan for n in numbers_of], dtype=np.float64)
        row_floats = floats_of[value_codes]
        has_number = ~np.isnan(row_floats) & self.active
        headline = self.parts == "value"
        measure_objects = {info[2].pk: info[2] for info in self.code_info if info[2] is not None}
        bounds_of = {pk: _safe_bounds(measure) for pk, measure in measure_objects.items()}
        code_bounds = np.asarray(
            [[float(x) for x in bounds_of[info[2].pk]] if info[2] else [0.0, 0.0] for info in self.code_info],
            dtype=np.float64,
        ).reshape(-1, 2)
        # a base, numerator, denominator or margin of error is never negative
        low = np.where(headline, code_bounds[self.code_ids, 0], 0.0)
        high = np.where(headline, code_bounds[self.code_ids, 1], float(MAX_ABS))
        # float(Decimal) rounds monotonically, so a value strictly inside the float bounds is inside the
        # exact ones; values on or beyond a bound are checked exactly, as the row-by-row pass does.
        for i in np.flatnonzero(has_number & ~((row_floats > low) & (row_floats < high))).tolist():
            number = numbers_of[value_codes[i]]
            measure = measure_objects[int(self.measure_pks[i])]
            if headline[i]:
                low_bound, high_bound = bounds_of[measure.pk]
                if low_bound <= number <= high_bound:
                    continue
                message = check_number_size(number) or range_problem(measure, number)
            else:
                message = check_number_size(number) or (number < 0 and "negative")
            if message:
                raise _CloserLook

    def skip_identical_duplicates(self) -> None:
        """Identical rows are accepted once; different values for one key are a problem."""
        where = np.flatnonzero(self.active)
        key_ids, key_first = _groups(
            self.starts[where],
            self.area_keys[where],
            self.measure_pks[where],
            self.breakdowns[where],
            self.parts[where],
        )
        if len(key_first) == len(where):
            return
        repeated = np.ones(len(where), dtype=bool)
        repeated[key_first] = False
        first_value = self.value_codes[where[key_first]][key_ids]
        outcome = [(self.statuses_of[k], self.quantized_of[k]) for k in range(self.value_count)]
        for j in np.flatnonzero(repeated).tolist():
            if outcome[self.value_codes[where[j]]] != outcome[first_value[j]]:
                raise _CloserLook
        duplicate = np.zeros(self.total, dtype=bool)
        duplicate[where[repeated]] = True
        self.skip(duplicate, lambda group: "identical duplicate row", np.zeros(self.total, dtype=np.int64))
        self.active &= ~duplicate

    def plan_values(self) -> dict[tuple[int, str, int, str], dict[str, Any]]:
        """The plan: one entry per (year, area, measure, breakdown), in the order of the rows."""
        values: dict[tuple[int, str, int, str], dict[str, Any]] = {}
        rows = np.flatnonzero(self.active)
        quantized, statuses = self.quantized_of.tolist(), self.statuses_of.tolist()
        for start, area_key, pk, breakdown, part, code in zip(
            self.starts[rows].tolist(),
            self.area_keys[rows].tolist(),
            self.measure_pks[rows].tolist(),
            self.breakdowns[rows].tolist(),
            self.parts[rows].tolist(),
            self.value_codes[rows].tolist(),
            strict=True,
        ):
            entry = values.get((start, area_key, pk, breakdown))
            if entry is None:
                entry = values[(start, area_key, pk, breakdown)] = {}
            if part == "value":
                entry["value"] = quantized[code]
                entry["status"] = statuses[code]
            else:
                entry[part] = quantized[code]
        return values


def _safe_bounds(measure: Measure) -> tuple[Decimal, Decimal]:
    """A range inside which a headline value breaks none of range_problem's or check_number_size's rules."""
    low, high = -MAX_ABS, MAX_ABS
    if measure.unit == Unit.PERCENT:
        low, high = max(low, Decimal(0)), min(high, Decimal(100))
    if measure.unit in (Unit.RATE_100K, Unit.COUNT, Unit.RATIO, Unit.SCORE):
        low = max(low, Decimal(0))
    if measure.unit == Unit.SCORE and measure.scale_max is not None:
        high = min(high, Decimal(measure.scale_max))
    if measure.plausible_min is not None:
        low = max(low, Decimal(measure.plausible_min))
    if measure.plausible_max is not None:
        high = min(high, Decimal(measure.plausible_max))
    return low, high


def _year_supported(start: int) -> bool:
    return FIRST_START_YEAR <= start <= datetime.date.today().year


def _split_code(text: str, known: set[str]) -> tuple[str, str]:
    """Split an older ``ASCOF Measure Code`` such as ``2A11864`` into (measure group, suffix)."""
    if text in known:
        return text, ""
    for suffix in sorted(CODE_SUFFIXES, key=len, reverse=True):
        if text.endswith(suffix) and text[: -len(suffix)] in known:
            return text[: -len(suffix)], suffix
    return text, ""


def _area_spec(
    row: int,
    level_text: str,
    ons_text: str,
    description: str,
    regions: dict[str, Region],
    problems: Problems,
    col_name: dict[str, str],
) -> AreaSpec | None:
    ons = ons_text.upper()
    if level_text:
        level = LEVELS.get(re.sub(r"[\s_\-]+", " ", level_text.lower()))
        if level is None:
            problems.add(
                f"{level_text!r} is not a geographical level (Council, Region, Council Type, England)",
                row=row,
                column=col_name["geo_level"],
            )
            return None
    elif ons == ENGLAND_CODE:
        level = "england"
    elif REGION_RE.match(ons):
        level = "region"
    elif ons:
        level = "council"
    elif description:
        level = "council_type"
    else:
        problems.add("the row names no area", row=row, column=col_name["ons"])
        return None

    if level == "council":
        if not COUNCIL_GSS_RE.match(ons):
            problems.add(
                f"{ons_text!r} is not an English council GSS code (E06, E08, E09 or E10 and 6 digits)"
                if ons_text
                else "the ONS code is blank for a council",
                row=row,
                column=col_name["ons"],
            )
            return None
        return AreaSpec("council", ons, description, row)
    if level == "region":
        if ons not in regions:
            problems.add(
                f"{ons_text!r} is not the GSS code of an English region", row=row, column=col_name["ons"]
            )
            return None
        return AreaSpec("region", ons, regions[ons].name, row)
    if level == "england":
        if ons and ons != ENGLAND_CODE:
            problems.add(
                f"{ons_text!r} is not England's code ({ENGLAND_CODE})", row=row, column=col_name["ons"]
            )
            return None
        return AreaSpec("england", ENGLAND_CODE, "England", row)
    if not description:
        problems.add("a council-type row needs its name", row=row, column=col_name["geo_desc"])
        return None
    return AreaSpec("council_type", council_type_key(description), description, row)


def _check_cassr(cassr: dict[str, int], cassr_rows: dict[str, int], problems: Problems, column: str) -> None:
    """A CASSR number may be recorded only where it is not already another council's."""
    if not cassr:
        return
    taken = {
        number: gss
        for number, gss in Council.objects.filter(cassr_code__isnull=False).values_list(
            "cassr_code", "gss_code"
        )
    }
    has_code = set(
        Council.objects.filter(gss_code__in=list(cassr), cassr_code__isnull=False).values_list(
            "gss_code", flat=True
        )
    )
    claimed: dict[int, str] = {}
    for gss, number in cassr.items():
        if gss in has_code:
            continue  # we keep the CASSR code already recorded
        owner = taken.get(number) or claimed.get(number)
        if owner and owner != gss:
            problems.add(
                f"CASSR code {number} for {gss} is already the code of {owner}",
                row=cassr_rows[gss],
                column=column,
            )
        claimed[number] = gss


def _write(
    plan: _Plan,
    record: ImportRecord,
    user: Any,
    counts: Counts,
    progress: Progress | None,
    *,
    allow_blanking: bool = True,
    problems: Problems | None = None,
) -> None:
    delete_demo_values(counts)
    periods = {start: period_get_or_create(start_year=start).pk for start in {key[0] for key in plan.values}}
    areas = _resolve_areas(plan, counts)
    desired: dict[tuple[int, int, int, str], dict[str, Any]] = {}
    for (start, area_key, measure_pk, breakdown), fields in plan.values.items():
        desired[(measure_pk, periods[start], areas[area_key], breakdown)] = fields
    counts.summary["years"] = [period_label(start) for start in sorted(periods)]
    counts.summary["measures"] = len({key[2] for key in plan.values})

    def step(fraction: float) -> None:
        report_progress(progress, plan.rows + round(plan.rows * fraction), plan.rows * 2)

    upsert_values(
        desired=desired,
        record=record,
        user=user,
        counts=counts,
        step=step,
        allow_blanking=allow_blanking,
        problems=problems,
    )
    report_progress(progress, plan.rows * 2, plan.rows * 2)


def _resolve_areas(plan: _Plan, counts: Counts) -> dict[str, int]:
    """Area pk for every area key in the file, creating councils and areas that are not yet known.

    New councils and areas are inserted in bulk (a first national import creates 150 of each), with
    the fields ``scorecard.areas`` gives them (``area_new_for_*``), in the order of the file."""
    keys = list(plan.areas)
    area_ids = dict(Area.objects.filter(key__in=keys).values_list("key", "pk"))
    council_codes = [key for key, spec in plan.areas.items() if spec.kind == "council"]
    councils = Council.objects.in_bulk(council_codes, field_name="gss_code")
    slugs = set(Council.objects.values_list("slug", flat=True))
    created_councils = []
    new_councils = []
    for gss in council_codes:
        council = councils.get(gss)
        if council is None:
            spec = plan.areas[gss]
            name = spec.name or gss
            slug = slugify(name)[:140] or gss.lower()
            if slug in slugs:
                slug = f"{slug}-{gss.lower()}"
            slugs.add(slug)
            council = Council(
                gss_code=gss,
                name=name[:150],
                slug=slug,
                council_type=council_type_for_gss(gss) or "",
                cassr_code=plan.cassr.get(gss),
                region=None,
            )
            new_councils.append(council)
            councils[gss] = council
            created_councils.append(gss)
        elif council.cassr_code is None and gss in plan.cassr:
            council.cassr_code = plan.cassr[gss]
            council.save(update_fields=["cassr_code"])
    Council.objects.bulk_create(new_councils)
    counts.summary["councils_created"] = created_councils
    new_areas = []
    for key, spec in plan.areas.items():
        if key in area_ids:
            continue
        if spec.kind == "council":
            new_areas.append(area_new_for_council(council=councils[key]))
        elif spec.kind == "region":
            new_areas.append(area_new_for_region(region=plan.regions[key]))
        elif spec.kind == "england":
            new_areas.append(area_new_for_england())
        else:
            new_areas.append(area_new_for_council_type(name=spec.name))
    for area in Area.objects.bulk_create(new_areas):
        area_ids[area.key] = area.pk
    return area_ids
