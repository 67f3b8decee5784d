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
from collections.abc import Callable
from dataclasses import dataclass
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
from scorecard.imports.pipeline.cells import parse_value_cell, quantize, scan_formulas
from scorecard.imports.pipeline.checks import (
    IDENTICAL_DUPLICATE,
    duplicate_problem,
    figure_problem,
    safe_bounds,
)
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
from scorecard.imports.pipeline.writing import delete_demo_values, figures_write
from scorecard.imports.rules import import_scope_check
from scorecard.models import Area, Framework, ImportRecord, Measure, Value
from scorecard.periods import period_label, period_start_year

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
    checker = _Checker(frame, columns, col_name, measures, regions, skip_unknown_measures)
    return checker.run(fixed_year, problems, counts, progress)


class _Checker:
    """Every rule of an ASCOF file, each stated once and applied column-wise: each distinct text, or
    combination of texts, is interpreted once, and rows are selected with numpy masks.

    The rules run in the order a reader goes through a row; each applies to the rows still ``live`` and a
    row stops at its first problem or skip. A problem is kept with its row and the rule that found it, and
    named in the order of the rows (a row's problems in the order of the rules), so every problem of the
    file is named exactly (file, row, column). A council's CASSR number that contradicts an earlier row's
    leaves the row ``failed`` but still checked on (its value is named too). ``plan_values`` is the only
    walk over the rows.
    """

    YEAR, CODE, BREAKDOWN, AREA, CASSR, VALUE, DUPLICATE = range(7)  # rule order within a row

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
        self.live = np.ones(self.total, dtype=bool)
        self.failed = np.zeros(self.total, dtype=bool)
        self.found: list[tuple[int, int, str, str | None]] = []  # (row index, rule, message, column)
        self.skips: list[tuple[int, str, int]] = []  # (first row index, reason, rows) in the rows' order
        self.areas: dict[str, AreaSpec] = {}
        self.cassr: dict[str, int] = {}
        self.cassr_rows: dict[str, int] = {}

    def run(
        self, fixed_year: int | None, problems: Problems, counts: Counts, progress: Progress | None
    ) -> _Plan | None:
        report_progress(progress, 0, self.total * 2)
        self.read_years(fixed_year)
        self.read_measure_codes()
        self.read_breakdowns()
        self.read_measure_types()
        self.read_areas()
        self.read_cassr_numbers()
        self.read_values()
        self.skip_duplicates()
        for _first_at, reason, size in sorted(self.skips):
            counts.skip(reason, size)
        for i, _rule, message, column in sorted(self.found, key=lambda found: found[:2]):
            problems.add(message, row=int(self.row_numbers[i]), column=column)
        _check_cassr(self.cassr, self.cassr_rows, problems, self.col_name["geo_code"])
        report_progress(progress, self.total // 2, self.total * 2)
        if problems:
            return None
        values = self.plan_values()
        report_progress(progress, self.total, self.total * 2)
        return _Plan(rows=self.total, areas=self.areas, cassr=self.cassr, regions=self.regions, values=values)

    def column(self, field: str) -> np.ndarray:
        return self.frame[self.columns[field]].to_numpy(dtype=object) if field in self.columns else self.blank

    def problem(
        self,
        mask: np.ndarray,
        why: Callable[[int], tuple[str, str | None]],
        ids: np.ndarray,
        rule: int,
        *,
        stop: bool = True,
    ) -> None:
        """A problem for each live row in ``mask``: ``why(group)`` gives its message and column, once per
        group ``ids``. The rows stop there (or, without ``stop``, are only kept out of the plan)."""
        mask = mask & self.live
        if not mask.any():
            return
        said: dict[int, tuple[str, str | None]] = {}
        for i in np.flatnonzero(mask).tolist():
            group = int(ids[i])
            if group not in said:
                said[group] = why(group)
            self.found.append((i, rule, *said[group]))
        if stop:
            self.live &= ~mask
        else:
            self.failed |= mask

    def skip(self, mask: np.ndarray, reason_of: Callable[[int], str], ids: np.ndarray) -> None:
        """Count the live rows in ``mask`` as skipped, with a reason per group ``ids``; they stop there."""
        mask = mask & self.live
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
        self.live &= ~mask

    def read_years(self, fixed_year: int | None) -> None:
        """Year → start year (0 where it is not a year this service imports) and framework."""
        if fixed_year is not None:
            self.starts = np.full(self.total, fixed_year, dtype=np.int64)
        else:
            year_codes, year_texts = pd.factorize(self.column("year"))
            parsed_years = []
            for text in year_texts:
                parsed = period_start_year(text)
                parsed_years.append(parsed if parsed is not None and _year_supported(parsed) else 0)
            self.starts = np.asarray([*parsed_years, 0], dtype=np.int64)[year_codes]
            self.problem(
                self.starts == 0,
                lambda group: (
                    f"{year_texts[group]!r} is not a financial year this service imports (2014-15 on)"
                    if year_texts[group]
                    else "the year is blank",
                    self.col_name["year"],
                ),
                year_codes,
                self.YEAR,
            )
        start_codes, start_values = pd.factorize(self.starts)
        frameworks = [framework_for_start_year(int(start)) if start else "" for start in start_values]
        self.row_frameworks = np.asarray(frameworks, dtype=object)[start_codes]

    def read_measure_codes(self) -> None:
        """Measure code (and the breakdown suffix of the older codes) in the framework of the row's year;
        unknown codes skipped when asked."""
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
                code, code_column = group, self.col_name["group"]
                if ascof_code.startswith(group):
                    suffix = ascof_code[len(group) :]
            else:
                code, suffix = _split_code(ascof_code, codes_by_framework.get(framework, set()))
                code_column = self.col_name["ascof_code"]
            code_info.append((code, suffix, code_column, self.measures.get((framework, code))))
        blank = np.asarray([not info[0] for info in code_info], dtype=bool)[code_ids]
        self.problem(
            blank, lambda group: ("the measure code is blank", code_info[group][2]), code_ids, self.CODE
        )
        unknown = np.asarray([info[3] is None for info in code_info], dtype=bool)[code_ids]
        starts = self.starts
        reason_ids, reason_first = _groups(code_ids, starts)
        first_rows = reason_first.tolist()

        def code_and_year(group: int) -> tuple[tuple[str, str, str, Measure | None], int, str]:
            row = first_rows[group]
            return code_info[code_ids[row]], int(starts[row]), self.row_frameworks[row]

        if self.skip_unknown_measures:
            self.skip(
                unknown,
                lambda group: (
                    f"measure {code_and_year(group)[0][0]} is not in the catalogue "
                    f"({period_label(code_and_year(group)[1])})"
                ),
                reason_ids,
            )
        else:

            def why(group: int) -> tuple[str, str | None]:
                (code, _, code_column, _), start, framework = code_and_year(group)
                return (
                    f"{code!r} is not a measure code of the "
                    f"{Framework(framework).label} framework used for {period_label(start)} "
                    "(if the framework has gained a measure, an administrator can add it to the catalogue)",
                    code_column,
                )

            self.problem(unknown, why, reason_ids, self.CODE)
        self.code_ids, self.code_info = code_ids, code_info
        self.measure_pks = np.asarray([info[3].pk if info[3] else 0 for info in code_info], dtype=np.int64)[
            code_ids
        ]
        self.suffixes = np.asarray([info[1] for info in code_info], dtype=object)[code_ids]

    def read_breakdowns(self) -> None:
        """Disaggregation level, or the older code's suffix → the breakdown label."""
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
        self.problem(
            too_long,
            lambda group: ("the breakdown label is longer than 64 characters", self.col_name["disagg"]),
            breakdown_ids,
            self.BREAKDOWN,
        )
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
        self.skip(~stored, lambda group: f"measure type {mtype_texts[group]!r} not stored", mtype_codes)
        self.parts = np.asarray(parts_of_type, dtype=object)[mtype_codes]
        self.mtypes, self.mtype_codes = mtype_texts, mtype_codes

    def read_areas(self) -> None:
        """Geographical level, ONS code and description → the area (council, region, England, council type)."""
        levels, ons_codes, descriptions = (
            self.column("geo_level"),
            self.column("ons"),
            self.column("geo_desc"),
        )
        area_ids, area_first = _groups(levels, ons_codes, descriptions)
        specs, said = [], []
        for i in area_first.tolist():
            found = _Found()
            specs.append(
                _area_spec(0, levels[i], ons_codes[i], descriptions[i], self.regions, found, self.col_name)  # type: ignore[arg-type]
            )
            said.append(found.items)
        no_spec = np.asarray([spec is None for spec in specs], dtype=bool)[area_ids]
        self.problem(no_spec, lambda group: said[group][0], area_ids, self.AREA)  # _area_spec names one
        self.area_keys = np.asarray([spec.key if spec else "" for spec in specs], dtype=object)[area_ids]
        self.is_council = np.asarray([bool(spec and spec.kind == "council") for spec in specs], dtype=bool)[
            area_ids
        ]
        where = np.flatnonzero(self.live)
        for j in np.sort(np.unique(area_ids[where], return_index=True)[1]).tolist():
            spec = specs[area_ids[where[j]]]
            assert spec is not None
            if spec.key not in self.areas:
                self.areas[spec.key] = AreaSpec(
                    spec.kind, spec.key, spec.name, int(self.row_numbers[where[j]])
                )

    def read_cassr_numbers(self) -> None:
        """Councils' CASSR numbers: the first given is kept; a different one in a later row is a problem."""
        geo_codes = self.column("geo_code")
        code_ids, code_texts = pd.factorize(geo_codes)
        numbers = np.asarray(
            [int(text) if text.isdigit() and text.isascii() else -1 for text in code_texts] + [-1],
            dtype=np.int64,
        )
        row_numbers = numbers[code_ids]
        with_code = self.live & self.is_council & (row_numbers >= 0)
        if "geo_code" not in self.columns or not with_code.any():
            return
        where = np.flatnonzero(with_code)
        key_ids, key_first = _groups(self.area_keys[where])
        for j in key_first.tolist():
            key = self.area_keys[where[j]]
            self.cassr[key] = int(row_numbers[where[j]])
            self.cassr_rows[key] = int(self.row_numbers[where[j]])
        first_number = row_numbers[where[key_first]][key_ids]
        differs = np.zeros(self.total, dtype=bool)
        differs[where[row_numbers[where] != first_number]] = True
        pair_ids, pair_first = _groups(self.area_keys, geo_codes)

        def why(group: int) -> tuple[str, str | None]:
            row = int(pair_first[group])
            key = self.area_keys[row]
            return (
                f"CASSR code {geo_codes[row]} differs from {self.cassr[key]} given for {key} "
                f"in row {self.cassr_rows[key]}",
                self.col_name["geo_code"],
            )

        self.problem(differs, why, pair_ids, self.CASSR, stop=False)

    def read_values(self) -> None:
        """Each distinct cell text parsed once; each number checked by the figure rules (``checks``)."""
        value_codes, value_texts = pd.factorize(self.column("value"))
        parsed_values = [parse_value_cell(text) for text in value_texts]
        unreadable = np.asarray([parsed is None for parsed in parsed_values] + [False], dtype=bool)[
            value_codes
        ]
        self.problem(
            unreadable,
            lambda group: (f"{value_texts[group]!r} is not a number", self.col_name["value"]),
            value_codes,
            self.VALUE,
        )
        self.value_codes, self.value_count = value_codes, len(value_texts)
        self.statuses_of = np.asarray([p[0] if p else "" for p in parsed_values], dtype=object)
        numbers_of = [p[1] if p else None for p in parsed_values]
        self.quantized_of = np.asarray([quantize(number) for number in numbers_of], dtype=object)
        floats_of = np.asarray([float(n) if n is not None else np.nan for n in numbers_of], dtype=np.float64)
        row_floats = floats_of[value_codes]
        headline = self.parts == "value"
        measure_objects = {info[3].pk: info[3] for info in self.code_info if info[3] is not None}
        part_low, part_high = safe_bounds(None, part=True)
        bounds = np.asarray(
            [[float(x) for x in safe_bounds(info[3])] for info in self.code_info] or [[0.0, 0.0]],
            dtype=np.float64,
        )
        low = np.where(headline, bounds[self.code_ids, 0], float(part_low))
        high = np.where(headline, bounds[self.code_ids, 1], float(part_high))
        # float(Decimal) rounds monotonically, so a value strictly inside the float bounds is inside the
        # exact ones; values on or beyond a bound are checked exactly, one by one.
        outside = self.live & ~np.isnan(row_floats) & ~((row_floats > low) & (row_floats < high))
        broken = np.zeros(self.total, dtype=bool)
        messages: dict[tuple[int, int, bool, int], str | None] = {}
        for i in np.flatnonzero(outside).tolist():
            key = (int(value_codes[i]), int(self.measure_pks[i]), bool(headline[i]), int(self.mtype_codes[i]))
            if key not in messages:
                number = numbers_of[key[0]]
                assert number is not None
                measure = measure_objects[key[1]]
                part = None if key[2] else str(self.mtypes[self.mtype_codes[i]]).lower()
                messages[key] = figure_problem(number, measure=measure, part=part)
            if messages[key]:
                broken[i] = True
                self.found.append((i, self.VALUE, messages[key], self.col_name["value"]))  # type: ignore[arg-type]
        self.live &= ~broken

    def skip_duplicates(self) -> None:
        """One figure per (year, area, measure, breakdown, measure type): a row that repeats the first row's
        figure is skipped; one that gives another is a problem."""
        where = np.flatnonzero(self.live & ~self.failed)
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
        same = np.zeros(self.total, dtype=bool)
        other = np.zeros(self.total, dtype=bool)
        first_of = np.zeros(self.total, dtype=np.int64)
        for j in np.flatnonzero(repeated).tolist():
            if outcome[self.value_codes[where[j]]] == outcome[first_value[j]]:
                same[where[j]] = True
            else:
                other[where[j]] = True
                first_of[where[j]] = self.row_numbers[where[key_first[key_ids[j]]]]
        what = "year, area, measure, breakdown and measure type"
        self.problem(
            other,
            lambda first_row: (duplicate_problem(first_row, what), self.col_name["value"]),
            first_of,
            self.DUPLICATE,
        )
        self.skip(same, lambda group: IDENTICAL_DUPLICATE, np.zeros(self.total, dtype=np.int64))

    def plan_values(self) -> dict[tuple[int, str, int, str], dict[str, Any]]:
        """The plan: one entry per (year, area, measure, breakdown), in the order of the rows."""
        values: dict[tuple[int, str, int, str], dict[str, Any]] = {}
        rows = np.flatnonzero(self.live & ~self.failed)
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
    areas = _resolve_areas(plan, counts)
    figures = {
        (measure_pk, start, areas[area_key], breakdown): fields
        for (start, area_key, measure_pk, breakdown), fields in plan.values.items()
    }
    counts.summary["measures"] = len({key[2] for key in plan.values})
    figures_write(
        figures=figures,
        rows=plan.rows,
        record=record,
        user=user,
        counts=counts,
        progress=progress,
        allow_blanking=allow_blanking,
        problems=problems,
    )


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
