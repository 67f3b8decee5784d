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
from scorecard.imports.common import (
    MAX_ABS,
    Counts,
    ImportOutcome,
    Problems,
    Progress,
    check_number_size,
    collection_paused,
    csv_frame,
    decode_text,
    delete_demo_values,
    map_columns,
    parse_value_cell,
    quantize,
    range_problem,
    read_raw,
    report_progress,
    run_planned_import,
    scan_formulas,
    upsert_values,
)
from scorecard.imports.permissions import import_scope_check
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
    codes_by_framework: dict[str, set[str]] = {}
    for framework, code in measures:
        codes_by_framework.setdefault(framework, set()).add(code)

    def column(field: str) -> list[str]:
        return frame[columns[field]].tolist() if field in columns else [""] * len(frame)

    years, ons_codes, geo_codes = column("year"), column("ons"), column("geo_code")
    descriptions, levels, groups = column("geo_desc"), column("geo_level"), column("group")
    ascof_codes, raw_values = column("ascof_code"), column("value")
    disaggs, mtypes = column("disagg"), column("mtype")

    # Most columns repeat a few texts thousands of times: each distinct text (or combination) is
    # interpreted once and cached, so the per-row work is dictionary look-ups (profiled: issue 10).
    year_cache: dict[str, int | None] = {}
    code_cache: dict[tuple[str, str, str], tuple[str, str, str, Measure | None]] = {}
    breakdown_cache: dict[tuple[str, str], str] = {}
    area_cache: dict[tuple[str, str, str], tuple[AreaSpec | None, list[tuple[str, str | None]]]] = {}
    value_cache: dict[str, tuple[str, Decimal | None] | None] = {}
    areas: dict[str, AreaSpec] = {}
    cassr: dict[str, int] = {}
    cassr_rows: dict[str, int] = {}
    seen: dict[tuple[int, str, int, str, str], tuple[Any, int]] = {}
    values: dict[tuple[int, str, int, str], dict[str, Any]] = {}
    rows = frame.index.tolist()
    total = len(rows)
    tick = max(1, total // 20)
    framework_of: dict[int, str] = {}
    safe_bounds: dict[int, tuple[Decimal, Decimal]] = {}

    for i, row in enumerate(rows):
        if progress and i % tick == 0:
            report_progress(progress, i, total * 2)
        count_before = problems.count

        # Year
        if fixed_year is not None:
            start = fixed_year
        else:
            text = years[i]
            if text not in year_cache:
                parsed = period_start_year(text)
                year_cache[text] = parsed if parsed is not None and _year_supported(parsed) else None
            start = year_cache[text]
            if start is None:
                problems.add(
                    f"{text!r} is not a financial year this service imports (2014-15 on)"
                    if text
                    else "the year is blank",
                    row=row,
                    column=col_name["year"],
                )
                continue
        framework = framework_of.get(start)
        if framework is None:
            framework = framework_of[start] = framework_for_start_year(start)

        # Measure code and breakdown
        code_key = (framework, groups[i], ascof_codes[i])
        cached_code = code_cache.get(code_key)
        if cached_code is None:
            group = _clean_code(groups[i])
            ascof_code = _clean_code(ascof_codes[i])
            known = codes_by_framework.get(framework, set())
            suffix = ""
            if group:
                code, code_column = group, col_name["group"]
                if ascof_code.startswith(group):
                    suffix = ascof_code[len(group) :]
            else:
                code, suffix = _split_code(ascof_code, known)
                code_column = col_name["ascof_code"]
            cached_code = code_cache[code_key] = (code, suffix, code_column, measures.get((framework, code)))
        code, suffix, code_column, measure = cached_code
        if not code:
            problems.add("the measure code is blank", row=row, column=code_column)
            continue
        if measure is None and skip_unknown_measures:
            counts.skip(f"measure {code} is not in the catalogue ({period_label(start)})")
            continue
        if measure is None:
            problems.add(
                f"{code!r} is not a measure code of the "
                f"{Framework(framework).label} framework used for {period_label(start)} "
                "(if the framework has gained a measure, an administrator can add it to the catalogue)",
                row=row,
                column=code_column,
            )
            continue
        disagg = disaggs[i]
        breakdown = breakdown_cache.get((disagg, suffix))
        if breakdown is None:
            if disagg.lower() not in TOTAL_LABELS:
                breakdown = BREAKDOWN_LABELS.get(disagg.lower(), disagg)
            elif suffix:
                breakdown = CODE_SUFFIXES.get(suffix, suffix)
            else:
                breakdown = Value.TOTAL
            breakdown_cache[(disagg, suffix)] = breakdown
        if len(breakdown) > 64:
            problems.add(
                "the breakdown label is longer than 64 characters", row=row, column=col_name["disagg"]
            )
            continue

        # Measure type
        mtype_text = mtypes[i]
        part = MEASURE_TYPES.get(mtype_text.lower())
        if part is None:
            part = MEASURE_TYPES.get(re.sub(r"\s+", " ", mtype_text.lower()))
        if part is None:
            counts.skip(f"measure type {mtype_text!r} not stored")
            continue

        # Area
        area_key = (levels[i], ons_codes[i], descriptions[i])
        cached_area = area_cache.get(area_key)
        if cached_area is None:
            found = _Found()
            spec = _area_spec(0, *area_key, regions, found, col_name)  # type: ignore[arg-type]
            cached_area = area_cache[area_key] = (spec, found.items)
        spec, area_problems = cached_area
        if spec is None:
            for message, column_name in area_problems:
                problems.add(message, row=row, column=column_name)
            continue
        if spec.key not in areas:
            areas[spec.key] = AreaSpec(spec.kind, spec.key, spec.name, row)
        if spec.kind == "council" and geo_codes[i]:
            number = geo_codes[i]
            if number.isdigit():
                previous = cassr.get(spec.key)
                if previous is not None and previous != int(number):
                    problems.add(
                        f"CASSR code {number} differs from {previous} given for {spec.key} "
                        f"in row {cassr_rows[spec.key]}",
                        row=row,
                        column=col_name["geo_code"],
                    )
                elif previous is None:
                    cassr[spec.key] = int(number)
                    cassr_rows.setdefault(spec.key, row)

        # Value
        raw_value = raw_values[i]
        if raw_value in value_cache:
            parsed = value_cache[raw_value]
        else:
            parsed = value_cache[raw_value] = parse_value_cell(raw_value)
        if parsed is None:
            problems.add(f"{raw_value!r} is not a number", row=row, column=col_name["value"])
            continue
        status, number = parsed
        if number is not None:
            bounds = safe_bounds.get(measure.pk)
            if bounds is None:
                bounds = safe_bounds[measure.pk] = _safe_bounds(measure)
            if part == "value" and bounds[0] <= number <= bounds[1]:
                message = None  # inside every bound: no need to ask which rule it breaks
            else:
                message = check_number_size(number)
                if message is None and part == "value":
                    message = range_problem(measure, number)
                elif message is None and number < 0:
                    message = f"{number} is negative, which is impossible for a {mtype_text.lower()}"
            if message:
                problems.add(message, row=row, column=col_name["value"])
                continue
        if problems.count != count_before:
            continue

        # Duplicates: identical rows are accepted once; different values for one key are a problem.
        dedup_key = (start, spec.key, measure.pk, breakdown, part)
        number = quantize(number)
        previous_row = seen.get(dedup_key)
        if previous_row is not None:
            if previous_row[0] == (status, number):
                counts.skip("identical duplicate row")
            else:
                problems.add(
                    f"row {previous_row[1]} has a different value for the same year, area, measure, "
                    f"breakdown and measure type",
                    row=row,
                    column=col_name["value"],
                )
            continue
        seen[dedup_key] = ((status, number), row)
        entry = values.setdefault((start, spec.key, measure.pk, breakdown), {})
        if part == "value":
            entry["value"] = number
            entry["status"] = status
        else:
            entry[part] = number

    _check_cassr(cassr, cassr_rows, problems, col_name["geo_code"])
    report_progress(progress, total, total * 2)
    if problems:
        return None
    return _Plan(rows=total, areas=areas, cassr=cassr, regions=regions, values=values)


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
    """Column-wise validation of a file (issue 10): each distinct text, or combination of texts, is
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
    total = len(frame)
    report_progress(progress, 0, total * 2)
    row_numbers = frame.index.to_numpy()
    blank = np.full(total, "", dtype=object)

    def column(field: str) -> np.ndarray:
        return frame[columns[field]].to_numpy(dtype=object) if field in columns else blank

    codes_by_framework: dict[str, set[str]] = {}
    for framework, code in measures:
        codes_by_framework.setdefault(framework, set()).add(code)
    skips: list[tuple[int, str, int]] = []  # (first row index, reason, rows) in the order the rows give them

    def skip(mask: np.ndarray, reason_of: Any, ids: np.ndarray) -> None:
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
        skips.extend((first_at, reason, size) for reason, (first_at, size) in reasons.items())

    # Year → start year and framework
    if fixed_year is not None:
        starts = np.full(total, fixed_year, dtype=np.int64)
    else:
        year_codes, year_texts = pd.factorize(column("year"))
        parsed_years = []
        for text in year_texts:
            parsed = period_start_year(text)
            if parsed is None or not _year_supported(parsed):
                raise _CloserLook
            parsed_years.append(parsed)
        if (year_codes < 0).any():
            raise _CloserLook
        starts = np.asarray(parsed_years, dtype=np.int64)[year_codes]
    start_codes, start_values = pd.factorize(starts)
    frameworks = np.asarray([framework_for_start_year(int(start)) for start in start_values], dtype=object)
    row_frameworks = frameworks[start_codes]

    # Measure code (and the breakdown suffix of the older codes)
    groups_col, ascof_col = column("group"), column("ascof_code")
    code_ids, code_first = _groups(row_frameworks, groups_col, ascof_col)
    code_info = []
    for i in code_first.tolist():
        framework = row_frameworks[i]
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
        code_info.append((code, suffix, measures.get((framework, code))))
    known = np.asarray([info[2] is not None for info in code_info], dtype=bool)[code_ids]
    active = np.ones(total, dtype=bool)
    if not known.all():
        if not skip_unknown_measures:
            raise _CloserLook
        reason_ids, reason_first = _groups(code_ids, starts)
        reason_rows = reason_first.tolist()
        skip(
            ~known,
            lambda group: (
                f"measure {code_info[code_ids[reason_rows[group]]][0]} is not in the catalogue "
                f"({period_label(int(starts[reason_rows[group]]))})"
            ),
            reason_ids,
        )
        active &= known
    measure_pks = np.asarray([info[2].pk if info[2] else 0 for info in code_info], dtype=np.int64)[code_ids]
    suffixes = np.asarray([info[1] for info in code_info], dtype=object)[code_ids]

    # Breakdown
    disaggs = column("disagg")
    breakdown_ids, breakdown_first = _groups(disaggs, suffixes)
    breakdown_texts = []
    for i in breakdown_first.tolist():
        disagg, suffix = disaggs[i], suffixes[i]
        if disagg.lower() not in TOTAL_LABELS:
            breakdown = BREAKDOWN_LABELS.get(disagg.lower(), disagg)
        elif suffix:
            breakdown = CODE_SUFFIXES.get(suffix, suffix)
        else:
            breakdown = Value.TOTAL
        breakdown_texts.append(breakdown)
    too_long = np.asarray([len(text) > 64 for text in breakdown_texts], dtype=bool)[breakdown_ids]
    if (too_long & active).any():
        raise _CloserLook
    breakdowns = np.asarray(breakdown_texts, dtype=object)[breakdown_ids]

    # Measure type → the Value field the row fills
    mtype_codes, mtype_texts = pd.factorize(column("mtype"))
    parts_of_type = []
    for text in mtype_texts:
        part = MEASURE_TYPES.get(text.lower())
        if part is None:
            part = MEASURE_TYPES.get(re.sub(r"\s+", " ", text.lower()))
        parts_of_type.append(part)
    stored = np.asarray([part is not None for part in parts_of_type], dtype=bool)[mtype_codes]
    if not (stored | ~active).all():
        skip(active & ~stored, lambda group: f"measure type {mtype_texts[group]!r} not stored", mtype_codes)
        active &= stored
    parts = np.asarray(parts_of_type, dtype=object)[mtype_codes]

    # Area
    levels, ons_codes, descriptions = column("geo_level"), column("ons"), column("geo_desc")
    area_ids, area_first = _groups(levels, ons_codes, descriptions)
    specs = []
    for i in area_first.tolist():
        found = _Found()
        spec = _area_spec(0, levels[i], ons_codes[i], descriptions[i], regions, found, col_name)  # type: ignore[arg-type]
        specs.append(spec)
    has_spec = np.asarray([spec is not None for spec in specs], dtype=bool)[area_ids]
    if not (has_spec | ~active).all():
        raise _CloserLook
    area_keys = np.asarray([spec.key if spec else "" for spec in specs], dtype=object)[area_ids]
    is_council = np.asarray([bool(spec and spec.kind == "council") for spec in specs], dtype=bool)[area_ids]
    areas: dict[str, AreaSpec] = {}
    where = np.flatnonzero(active)
    for j in np.sort(np.unique(area_ids[where], return_index=True)[1]).tolist():
        spec = specs[area_ids[where[j]]]
        if spec.key not in areas:
            areas[spec.key] = AreaSpec(spec.kind, spec.key, spec.name, int(row_numbers[where[j]]))

    # CASSR numbers of councils (the first given; a different one later is a problem)
    cassr: dict[str, int] = {}
    cassr_rows: dict[str, int] = {}
    geo_codes = column("geo_code")
    if "geo_code" in columns:
        with_code = active & is_council & (geo_codes != "")
        if with_code.any():
            where = np.flatnonzero(with_code)
            _, pair_first = _groups(area_keys[where], geo_codes[where])
            for j in pair_first.tolist():
                number = geo_codes[where[j]]
                if not number.isdigit():
                    continue
                key = area_keys[where[j]]
                previous = cassr.get(key)
                if previous is not None and previous != int(number):
                    raise _CloserLook
                if previous is None:
                    cassr[key] = int(number)
                    cassr_rows[key] = int(row_numbers[where[j]])
    probe = Problems("")
    _check_cassr(cassr, cassr_rows, probe, col_name["geo_code"])
    if probe:
        raise _CloserLook

    # Values: each distinct cell text parsed once; numbers checked against the measure's bounds
    value_codes, value_texts = pd.factorize(column("value"))
    parsed_values = [parse_value_cell(text) for text in value_texts]
    unreadable = [k for k, parsed in enumerate(parsed_values) if parsed is None]
    if unreadable and (active & np.isin(value_codes, unreadable)).any():
        raise _CloserLook
    statuses_of = np.asarray([p[0] if p else "" for p in parsed_values], dtype=object)
    numbers_of = [p[1] if p else None for p in parsed_values]
    quantized_of = np.asarray([quantize(number) for number in numbers_of], dtype=object)
    floats_of = np.asarray([float(n) if n is not None else np.nan for n in numbers_of], dtype=np.float64)
    row_floats = floats_of[value_codes]
    has_number = ~np.isnan(row_floats) & active
    headline = parts == "value"
    measure_objects = {info[2].pk: info[2] for info in code_info if info[2] is not None}
    bounds_of = {pk: _safe_bounds(measure) for pk, measure in measure_objects.items()}
    code_bounds = np.asarray(
        [[float(x) for x in bounds_of[info[2].pk]] if info[2] else [0.0, 0.0] for info in code_info],
        dtype=np.float64,
    ).reshape(-1, 2)
    # a base, numerator, denominator or margin of error is never negative
    low = np.where(headline, code_bounds[code_ids, 0], 0.0)
    high = np.where(headline, code_bounds[code_ids, 1], float(MAX_ABS))
    # float(Decimal) rounds monotonically, so a value strictly inside the float bounds is inside the
    # exact ones; values on or beyond a bound are checked exactly, as the row-by-row pass does.
    for i in np.flatnonzero(has_number & ~((row_floats > low) & (row_floats < high))).tolist():
        number = numbers_of[value_codes[i]]
        measure = measure_objects[int(measure_pks[i])]
        if headline[i]:
            low_bound, high_bound = bounds_of[measure.pk]
            if low_bound <= number <= high_bound:
                continue
            message = check_number_size(number) or range_problem(measure, number)
        else:
            message = check_number_size(number) or (number < 0 and "negative")
        if message:
            raise _CloserLook

    # Duplicates: identical rows are accepted once; different values for one key are a problem.
    where = np.flatnonzero(active)
    key_ids, key_first = _groups(
        starts[where], area_keys[where], measure_pks[where], breakdowns[where], parts[where]
    )
    if len(key_first) < len(where):
        repeated = np.ones(len(where), dtype=bool)
        repeated[key_first] = False
        first_value = value_codes[where[key_first]][key_ids]
        outcome = [(statuses_of[k], quantized_of[k]) for k in range(len(value_texts))]
        for j in np.flatnonzero(repeated).tolist():
            if outcome[value_codes[where[j]]] != outcome[first_value[j]]:
                raise _CloserLook
        duplicate = np.zeros(total, dtype=bool)
        duplicate[where[repeated]] = True
        skip(duplicate, lambda group: "identical duplicate row", np.zeros(total, dtype=np.int64))
        active &= ~duplicate

    for _first_at, reason, size in sorted(skips):
        counts.skip(reason, size)
    report_progress(progress, total // 2, total * 2)

    # The plan: one entry per (year, area, measure, breakdown), in the order of the rows
    values: dict[tuple[int, str, int, str], dict[str, Any]] = {}
    rows = np.flatnonzero(active)
    quantized, statuses = quantized_of.tolist(), statuses_of.tolist()
    for start, area_key, pk, breakdown, part, code in zip(
        starts[rows].tolist(),
        area_keys[rows].tolist(),
        measure_pks[rows].tolist(),
        breakdowns[rows].tolist(),
        parts[rows].tolist(),
        value_codes[rows].tolist(),
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
    report_progress(progress, total, total * 2)
    return _Plan(rows=total, areas=areas, cassr=cassr, regions=regions, values=values)


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
