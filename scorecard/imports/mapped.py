"""Import a file of any sensible layout by saying which column is which (``manage.py import_mapped``).

A mapping (:class:`MappingSpec`, saved as :class:`~scorecard.models.ImportMapping`) names the area column
(a GSS code, a CASSR number or a council's name, placed by :func:`councils.names.council_match`), the period
(a column, one fixed period, or ``wide``: every other column headed by a period holds that period's values),
the measure (a column of publisher codes, or one catalogue measure) and the value; optionally a published
median, kept as a published comparator (England's figure with the breakdown ``median``, its note saying where it
was published), shown beside the computed comparators.

Measure codes the catalogue lacks are listed in the record (``unknown_codes``) and the import stops; each can be
mapped to a catalogue measure (the spec's ``codes``) or made a measure on the way (``new_measures``), written in
the same transaction as the figures.

The file goes through the same machinery as the ASCOF and local-measure imports (``pipeline``): reading and
CSV checks (a cut row is named), cell parsing (blanks are missing figures; [c], [x] and the older markers),
the range checks, duplicate keys with two values, the blanking guard, the set-based writer with history,
one transaction and an :class:`~scorecard.models.ImportRecord`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from councils.models import Region
from councils.names import GSS_CODE, council_match
from councils.rules import led_regions
from scorecard.areas import (
    ENGLAND_CODE,
    area_ids_by_code,
)
from scorecard.catalogue import framework_for_start_year, measure_key
from scorecard.imports.mappings import SPEC_KEYS
from scorecard.imports.pipeline.cells import parse_value_cell, quantize, scan_formulas
from scorecard.imports.pipeline.checks import FirstFigures, figure_problem
from scorecard.imports.pipeline.outcome import Counts, ImportOutcome, Problems, Progress, report_progress
from scorecard.imports.pipeline.reading import decode_text, frames_read, is_workbook, read_raw
from scorecard.imports.pipeline.run import run_planned_import
from scorecard.imports.pipeline.writing import delete_demo_values, figures_write
from scorecard.imports.rules import import_scope_check
from scorecard.models import Domain, Framework, ImportMapping, ImportRecord, Measure, Unit, Value
from scorecard.periods import period_label, period_start_year

FIRST_ROWS_BYTES = 65536
MEDIAN_BREAKDOWN = Value.MEDIAN  # England's published median of the councils' figures
FIRST_START_YEAR = 2010
LAST_START_YEAR = 2040
ASCOF_FRAMEWORKS = (Framework.ASCOF_2014, Framework.ASCOF_2023)


class MappingError(ValueError):
    """A mapping that cannot be used as given (the message says why)."""


@dataclass(frozen=True)
class MappingSpec:
    """Which column is which. Exactly one of ``value`` / ``wide``; with ``value``, exactly one of
    ``period_column`` / ``period``; exactly one of ``measure_column`` / ``measure``."""

    area: str
    value: str | None = None
    wide: bool = False
    period_column: str | None = None
    period: str | None = None
    measure_column: str | None = None
    measure: str | None = None
    median_column: str | None = None
    numerator_column: str | None = None
    denominator_column: str | None = None
    codes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MappingSpec:
        unknown = sorted(set(data) - SPEC_KEYS)
        if unknown:
            raise MappingError(f"the mapping has keys it does not know: {', '.join(unknown)}")
        if not data.get("area"):
            raise MappingError("the mapping names no area column")
        codes = data.get("codes") or {}
        spec = cls(
            area=str(data["area"]),
            value=data.get("value") or None,
            wide=bool(data.get("wide")),
            period_column=data.get("period_column") or None,
            period=data.get("period") or None,
            measure_column=data.get("measure_column") or None,
            measure=data.get("measure") or None,
            median_column=data.get("median_column") or None,
            numerator_column=data.get("numerator_column") or None,
            denominator_column=data.get("denominator_column") or None,
            codes={str(k).upper(): str(v) for k, v in dict(codes).items()},
        )
        spec.check()
        return spec

    def as_dict(self) -> dict[str, Any]:
        data = {
            "area": self.area,
            "value": self.value,
            "wide": self.wide or None,
            "period_column": self.period_column,
            "period": self.period,
            "measure_column": self.measure_column,
            "measure": self.measure,
            "median_column": self.median_column,
            "numerator_column": self.numerator_column,
            "denominator_column": self.denominator_column,
            "codes": self.codes or None,
        }
        return {key: value for key, value in data.items() if value is not None}

    def check(self) -> None:
        """Raise :class:`MappingError` unless the choices make one layout."""
        if bool(self.value) == self.wide:
            raise MappingError(
                "give either a value column or --wide (a column per period), not both or neither"
            )
        if self.value and bool(self.period_column) == bool(self.period):
            raise MappingError("with a value column, give the period: a column or one fixed period")
        if self.wide and (self.period_column or self.period):
            raise MappingError("--wide reads the periods from the column headers: give no other period")
        if self.wide and self.median_column:
            raise MappingError("a published median is read beside a value column, not with --wide")
        if self.wide and (self.numerator_column or self.denominator_column):
            raise MappingError("a numerator or denominator is read beside a value column, not with --wide")
        if bool(self.measure_column) == bool(self.measure):
            raise MappingError("give the measure: a column of codes or one catalogue measure, not both")
        if self.period and period_start_year(self.period, bare_year=True) is None:
            raise MappingError(f"{self.period!r} is not a financial year such as 2023-24")

    def named_columns(self) -> list[str]:
        """The file's columns this mapping names, in the order of its options."""
        named = [
            self.area,
            self.value,
            self.period_column,
            self.measure_column,
            self.median_column,
            self.numerator_column,
            self.denominator_column,
        ]
        return [name for name in named if name]


def mapping_get(*, name: str) -> MappingSpec:
    mapping = ImportMapping.objects.filter(name=name).first()
    if mapping is None:
        known = ", ".join(ImportMapping.objects.values_list("name", flat=True)) or "none"
        raise MappingError(f"there is no saved mapping called {name!r} (saved: {known})")
    return MappingSpec.from_dict(mapping.spec)


def mapping_save(*, name: str, spec: MappingSpec, user: Any = None) -> ImportMapping:
    """Save ``spec`` under ``name``; a shipped mapping is never overwritten."""
    mapping = ImportMapping.objects.filter(name=name).first()
    if mapping is not None and mapping.shipped:
        raise MappingError(f"{name!r} is a mapping shipped with the project: save yours under another name")
    if mapping is None:
        return ImportMapping.objects.create(
            name=name, spec=spec.as_dict(), created_by=user if getattr(user, "pk", None) else None
        )
    mapping.spec = spec.as_dict()
    mapping.save(update_fields=["spec", "updated_at"])
    return mapping


def first_rows(path: Path, *, rows: int = 5) -> tuple[list[str], list[list[str]]]:
    """A file's column names and its first ``rows`` rows (the columns page): a CSV file's read from its start
    only; a workbook's from its first sheet."""
    problems = Problems(path.name)
    with Path(path).open("rb") as handle:
        head = handle.read(FIRST_ROWS_BYTES)
    if is_workbook(head):
        raw = read_raw(path, problems)
        sheets = frames_read(raw, problems, pick=_first_sheet) if raw is not None and not problems else {}
        frame = next(iter(sheets.values()), None)
        if frame is None:
            return [], []
        return [str(name) for name in frame.columns], frame.head(rows).to_numpy().tolist()
    text = decode_text(head, problems) or ""
    lines = text.splitlines()[: rows + 1]
    if not lines:
        return [], []
    sep = max([",", ";", "\t"], key=lines[0].count)
    records = list(csv.reader(lines, delimiter=sep))
    header = [name.strip() for name in records[0]]
    width = len(header)
    body = [(record + [""] * width)[:width] for record in records[1:]]
    return header, body


# --- Validation ----------------------------------------------------------------------------------------


@dataclass
class _Plan:
    rows: int
    values: dict[tuple[int, str, int, str], dict[str, Any]] = field(default_factory=dict)
    # (measure id, area GSS code, start year, breakdown) → fields; a measure made on the way has the id
    # ``-n`` until it is written (``new_measures``' n-th code)
    new_measures: dict[str, dict[str, Any]] = field(default_factory=dict)  # publisher code → fields


@dataclass(frozen=True)
class _Cell:
    """One figure the file gives: where it is, and what it says."""

    row: int
    column: str
    area: str
    period: str
    code: str
    value: str
    median: str
    parts: tuple[tuple[str, str, str], ...] = ()  # (Value field, column, text): numerator, denominator


NEW_MEASURE_FIELDS = ("code", "title", "unit", "polarity", "decimal_places", "source", "domain")
NEW_MEASURE_POSITION = 1000  # after the shipped catalogue


def new_measure_key(code: str, *, local: bool) -> str:
    """The catalogue key a measure made on the way gets: ``national-<code>``, or a region's ``local-<code>``."""
    return measure_key(Framework.LOCAL if local else Framework.NATIONAL, code)


def new_measure(fields: dict[str, Any], *, pk: int | None = None) -> Measure:
    """An unsaved catalogue measure from a measure made on the way (``fields``: :data:`NEW_MEASURE_FIELDS`,
    the domain by its slug; ``owner_region`` when a regional lead makes it: then it is their region's)."""
    owner = fields.get("owner_region")
    local = owner is not None
    key = new_measure_key(fields["code"], local=local)
    domain = Domain.objects.filter(slug=fields.get("domain") or "").first()
    measure = Measure(
        key=key,
        code=fields["code"],
        framework=Framework.LOCAL if local else Framework.NATIONAL,
        title=fields["title"],
        unit=fields["unit"],
        polarity=fields["polarity"],
        decimal_places=int(fields["decimal_places"]),
        source=fields.get("source") or "",
        domain=domain,
        series=key,
        owner_region=owner,
        plausible_min=Decimal(0) if fields["unit"] == Unit.PERCENT else None,
        plausible_max=Decimal(100) if fields["unit"] == Unit.PERCENT else None,
        position=NEW_MEASURE_POSITION,
    )
    measure.pk = pk
    return measure


class _Measures:
    """Publisher codes and fixed keys → catalogue measures, in the framework of each period.

    ``new``: measures made on the way (publisher code → :data:`NEW_MEASURE_FIELDS`), found by their code
    under the placeholder id ``-n`` until they are written. ``regions``: the ids of the regions whose own
    local measures the importer may use (a regional lead's; other regions' are not found); None: every
    region's (an administrator, or the command line).
    """

    def __init__(
        self,
        spec: MappingSpec,
        new: dict[str, dict[str, Any]] | None = None,
        regions: set[int] | None = None,
    ) -> None:
        self.spec = spec
        self.all = list(Measure.objects.all())
        self.by_key = {m.key: m for m in self.all}
        self.by_code: dict[str, list[Measure]] = {}
        for measure in self.all:
            mine = regions is None or measure.owner_region_id in {None, *regions}
            if measure.framework != Framework.LOCAL or mine:
                self.by_code.setdefault(measure.code.upper(), []).append(measure)
        # A region's own measure is chosen only where nothing national has the code.
        for candidates in self.by_code.values():
            candidates.sort(key=lambda m: m.owner_region_id is not None)
        self.by_series: dict[tuple[str, str], Measure] = {(m.series, m.framework): m for m in self.all}
        self.unknown: dict[str, int] = {}  # publisher code the catalogue lacks → rows
        self.source = ""  # the publisher's file, in words (a saved mapping's description)
        for n, (code, fields) in enumerate((new or {}).items(), start=1):
            if code not in self.by_code:
                self.by_code[code] = [new_measure(fields, pk=-n)]

    def fixed(self) -> Measure | None:
        key = self.spec.measure or ""
        found = self.by_key.get(key) or self.by_key.get(key.lower())
        if found is None and len(self.by_code.get(key.upper(), [])) == 1:
            found = self.by_code[key.upper()][0]
        return found

    def find(self, code: str, start: int) -> tuple[Measure | None, str]:
        """The measure for a publisher code in the year starting ``start``, or None and why not."""
        key = self.spec.codes.get(code.upper())
        if key is not None:
            candidates = [self.by_key[key]] if key in self.by_key else []
            if not candidates:
                return None, f"the mapping sends {code!r} to {key!r}, which is not in the catalogue"
        else:
            candidates = self.by_code.get(code.upper(), [])
        if not candidates:
            self.unknown[code.upper()] = self.unknown.get(code.upper(), 0) + 1
            return None, (
                f"{code!r} is not a measure code in the catalogue: add the measure to the catalogue, or map "
                "the code to one in the mapping's codes"
            )
        framework = framework_for_start_year(start)
        for measure in candidates:
            if measure.framework not in ASCOF_FRAMEWORKS or measure.framework == framework:
                return measure, ""
            sibling = self.by_series.get((measure.series, framework))
            if sibling is not None:
                return sibling, ""
        return (
            None,
            f"{code!r} has no measure in the {Framework(framework).label} framework of {period_label(start)}",
        )


def _cells(frame: pd.DataFrame, spec: MappingSpec, period_columns: list[str]) -> Iterator[_Cell]:
    area = frame[spec.area].tolist()
    code = frame[spec.measure_column].tolist() if spec.measure_column else None
    median = frame[spec.median_column].tolist() if spec.median_column else None
    rows = frame.index.tolist()
    if spec.wide:
        for column in period_columns:
            for i, text in enumerate(frame[column].tolist()):
                yield _Cell(rows[i], column, area[i], column, code[i] if code else "", text, "")
        return
    assert spec.value is not None
    values = frame[spec.value].tolist()
    periods = frame[spec.period_column].tolist() if spec.period_column else None
    parts = [
        (name, column, frame[column].tolist())
        for name, column in (("numerator", spec.numerator_column), ("denominator", spec.denominator_column))
        if column
    ]
    for i, text in enumerate(values):
        yield _Cell(
            rows[i],
            spec.value,
            area[i],
            periods[i] if periods else spec.period or "",
            code[i] if code else "",
            text,
            median[i] if median else "",
            tuple((name, column, texts[i]) for name, column, texts in parts),
        )


def _columns(frame: pd.DataFrame, spec: MappingSpec, problems: Problems) -> list[str] | None:
    """The file's period columns (wide) or []; None when a named column is missing."""
    named = spec.named_columns()
    missing = [name for name in named if name not in frame.columns]
    if missing:
        problems.add(
            "the file has no column "
            + ", ".join(repr(m) for m in missing)
            + " (its columns: "
            + ", ".join(repr(str(c)) for c in frame.columns)
            + ")",
            row=1,
        )
        return None
    if not spec.wide:
        return []
    period_columns = [c for c in frame.columns if c not in named and period_start_year(c, bare_year=True)]
    if not period_columns:
        problems.add("--wide: no column is headed by a period such as 2022-23, 2022/23 or 2023", row=1)
        return None
    return period_columns


class _Places:
    """Area texts → GSS codes (councils by code, CASSR number or name; regions and England by code)."""

    def __init__(self, texts: set[str]) -> None:
        self.regions = set(Region.objects.values_list("gss_code", flat=True))
        codes = {t for t in texts if GSS_CODE.match(t.strip().upper())}
        found = council_match(names=codes, include_former=True) if codes else {}
        rest = texts - codes
        current = council_match(names=rest) if rest else {}
        former = [t for t, m in current.items() if not m.is_placed and not m.candidates]
        current.update(council_match(names=former, include_former=True) if former else {})
        self.matches = {**found, **current}

    def gss(self, text: str) -> tuple[str | None, str]:
        code = text.strip().upper()
        if not code:
            return None, "the area is blank"
        if code == ENGLAND_CODE or code in self.regions:
            return code, ""
        match = self.matches[text]
        if match.council is not None:
            return match.council.gss_code, ""
        return None, match.problem


class _Validator:
    def __init__(
        self, spec: MappingSpec, problems: Problems, counts: Counts, plan: _Plan, measures: _Measures
    ) -> None:
        self.spec, self.problems, self.counts, self.plan = spec, problems, counts, plan
        self.measures = measures
        self.fixed: Measure | None = None
        self.first = FirstFigures("council, measure and period")
        self.unknown_codes: dict[str, tuple[int, str, int]] = {}  # code → first row, column, count
        self.medians: dict[tuple[int, int], tuple[Decimal | None, int]] = {}
        self.source = measures.source or problems.file  # where a published median came from, in words

    def run(self, cells: list[_Cell], places: _Places) -> None:
        if self.spec.measure:
            self.fixed = self.measures.fixed()
            if self.fixed is None:
                self.problems.add(f"{self.spec.measure!r} is not a measure in the catalogue (give its key)")
                return
        for cell in cells:
            self.cell(cell, places)
        for why, (row, column, count) in self.unknown_codes.items():  # once per code, at its first row
            rows = f" ({count:,} rows)" if count > 1 else ""
            self.problems.add(why + rows, row=row, column=column)

    def cell(self, cell: _Cell, places: _Places) -> None:
        before = self.problems.count
        gss, why = places.gss(cell.area)
        if gss is None:
            self.problems.add(why, row=cell.row, column=self.spec.area)
        start = self.start_year(cell)
        measure = self.measure(cell, start) if start is not None else None
        parsed = parse_value_cell(cell.value)
        if parsed is None:
            self.problems.add(f"{cell.value!r} is not a number", row=cell.row, column=cell.column)
        elif parsed[1] is not None and measure is not None:
            message = figure_problem(parsed[1], measure=measure)
            if message:
                self.problems.add(message, row=cell.row, column=cell.column)
        parts = self.parts(cell, measure)
        if self.problems.count != before or None in (gss, start, measure, parsed):
            return
        assert gss is not None and start is not None and measure is not None and parsed is not None
        fields = {"value": quantize(parsed[1]), "status": parsed[0], **parts}
        if self.first.first(
            (measure.pk, gss, start, Value.TOTAL),
            fields,
            row=cell.row,
            column=cell.column,
            problems=self.problems,
            counts=self.counts,
        ):
            self.plan.values[(measure.pk, gss, start, Value.TOTAL)] = fields
        if cell.median:
            self.median(cell, measure, start)

    def start_year(self, cell: _Cell) -> int | None:
        start = period_start_year(cell.period, bare_year=True)
        if start is None or not FIRST_START_YEAR <= start <= LAST_START_YEAR:
            column = cell.column if self.spec.wide else (self.spec.period_column or cell.column)
            self.problems.add(
                f"{cell.period!r} is not a financial year such as 2023-24"
                if cell.period
                else "the period is blank",
                row=cell.row,
                column=column,
            )
            return None
        return start

    def measure(self, cell: _Cell, start: int) -> Measure | None:
        if self.fixed is not None:
            return self.fixed
        if not cell.code:
            self.problems.add("the measure code is blank", row=cell.row, column=self.spec.measure_column)
            return None
        measure, why = self.measures.find(cell.code, start)
        if measure is None:
            row, column, count = self.unknown_codes.get(why, (cell.row, self.spec.measure_column or "", 0))
            self.unknown_codes[why] = (row, column, count + 1)
        return measure

    def parts(self, cell: _Cell, measure: Measure | None) -> dict[str, Decimal | None]:
        """The row's numerator and denominator, where the mapping names their columns: numbers, or None
        where the cell is blank or marked; each checked by the rules of a figure's parts."""
        parts: dict[str, Decimal | None] = {}
        for name, column, text in cell.parts:
            parsed = parse_value_cell(text)
            if parsed is None:
                self.problems.add(f"{text!r} is not a number", row=cell.row, column=column)
                continue
            message = figure_problem(parsed[1], measure=measure, part=name) if parsed[1] is not None else None
            if message:
                self.problems.add(message, row=cell.row, column=column)
            parts[name] = quantize(parsed[1])
        return parts

    def median(self, cell: _Cell, measure: Measure, start: int) -> None:
        parsed = parse_value_cell(cell.median)
        column = self.spec.median_column
        if parsed is None:
            self.problems.add(f"{cell.median!r} is not a number", row=cell.row, column=column)
            return
        if parsed[1] is None:
            return  # no median published for this row
        number = quantize(parsed[1])
        previous = self.medians.get((measure.pk, start))
        if previous is None:
            self.medians[(measure.pk, start)] = (number, cell.row)
            self.plan.values[(measure.pk, ENGLAND_CODE, start, MEDIAN_BREAKDOWN)] = {
                "value": number,
                "status": Value.Status.OK,
                "note": f"Median of England's councils, as published in {self.source}"[:500],
            }
        elif previous[0] != number:
            self.problems.add(
                f"row {previous[1]} gives another median for the same measure and period",
                row=cell.row,
                column=column,
            )


def _validate(
    frame: pd.DataFrame,
    spec: MappingSpec,
    problems: Problems,
    counts: Counts,
    progress: Progress | None,
    measures: _Measures,
) -> _Plan | None:
    counts.rows_read = len(frame)
    period_columns = _columns(frame, spec, problems)
    if period_columns is None:
        return None
    if len(frame) == 0:
        problems.add("the file has a header row but no data rows")
        return None
    scan_formulas(frame, problems, [*spec.named_columns(), *period_columns])
    plan = _Plan(rows=len(frame))
    cells = list(_cells(frame, spec, period_columns))
    places = _Places({cell.area for cell in cells})
    report_progress(progress, len(frame) // 2, len(frame) * 2)
    _Validator(spec, problems, counts, plan, measures).run(cells, places)
    report_progress(progress, len(frame), len(frame) * 2)
    if measures.unknown:  # what the preview offers to map or make, and what the command line names
        counts.summary["unknown_codes"] = [
            {"code": code, "rows": rows} for code, rows in sorted(measures.unknown.items())
        ]
    return None if problems else plan


# --- Import --------------------------------------------------------------------------------------------


def mapped_import(
    *,
    path: Path,
    spec: MappingSpec,
    file_name: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    progress: Progress | None = None,
    allow_blanking: bool = False,
    mapping_name: str = "",
    into: ImportRecord | None = None,
    new_measures: dict[str, dict[str, Any]] | None = None,
) -> ImportOutcome:
    """Validate a file read through ``spec`` and, if it has no problem, write its figures in one transaction.

    ``allow_blanking`` and ``into`` as for :func:`scorecard.imports.ascof.ascof_import`. ``new_measures``:
    measures made on the way (publisher code → :data:`NEW_MEASURE_FIELDS`), created in the same transaction
    as the figures (a regional lead's become their region's, as ``import_scope_check`` decides).
    """
    path = Path(path)
    name = file_name or path.name
    problems = Problems(name)
    counts = Counts()
    counts.summary["mapping_spec"] = (
        spec.as_dict()
    )  # kept in the record: a web preview is checked again by it
    if mapping_name:
        counts.summary["mapping"] = mapping_name
    new_measures = {code.upper(): dict(fields) for code, fields in (new_measures or {}).items()}
    if new_measures:
        counts.summary["new_measures"] = {code: _plain(fields) for code, fields in new_measures.items()}
    raw = read_raw(path, problems)
    plan: _Plan | None = None
    if raw is not None and not problems:
        frame = next(iter(frames_read(raw, problems, pick=_first_sheet).values()), None)
        if frame is not None:
            frame.attrs.pop("sheet", None)  # one sheet is read: problems name its columns as the mapping does
        if frame is not None and not problems:
            measures = _Measures(spec, new_measures, _regions_of(user))
            measures.source = _source(mapping_name)
            plan = _validate(frame, spec, problems, counts, progress, measures)
        if plan is not None:
            plan.new_measures = _used(new_measures, plan)
        if plan is not None and not import_scope_check(
            user=user,
            kind=ImportRecord.Kind.MAPPED,
            problems=problems,
            areas={key[1] for key in plan.values},
            new_measures=plan.new_measures,
        ):
            plan = None
    return run_planned_import(
        kind=ImportRecord.Kind.MAPPED,
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


def _first_sheet(worksheets: list[Any], problems: Problems) -> list[tuple[Any, str]] | None:
    """A workbook's figures are read from its first sheet."""
    if not worksheets:
        problems.add("the workbook has no sheet")
        return None
    return [(worksheets[0], worksheets[0].title)]


def _regions_of(user: Any) -> set[int] | None:
    """Whose local measures the importer may use: a regional lead's regions; None for every region's."""
    if user is None or user.has_perm("scorecard.import_national_data"):
        return None
    return led_regions(user)


def _source(mapping_name: str) -> str:
    """The file's publisher in words, as the saved mapping describes it ("" without one)."""
    if not mapping_name:
        return ""
    return ImportMapping.objects.filter(name=mapping_name).values_list("description", flat=True).first() or ""


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """A measure made on the way as JSON keeps it (the record's summary)."""
    return {name: fields.get(name) for name in NEW_MEASURE_FIELDS}


def _used(new_measures: dict[str, dict[str, Any]], plan: _Plan) -> dict[str, dict[str, Any]]:
    """The measures made on the way that the plan's figures use, each with its placeholder id."""
    used = {-key[0] for key in plan.values if key[0] < 0}
    return {
        code: {**fields, "placeholder": -n}
        for n, (code, fields) in enumerate(new_measures.items(), start=1)
        if n in used
    }


def _measures_create(plan: _Plan, counts: Counts) -> dict[int, int]:
    """Write the measures made on the way; their placeholder id → the catalogue id."""
    made: dict[int, int] = {}
    for fields in plan.new_measures.values():
        measure = new_measure(fields)
        measure.save()
        made[fields["placeholder"]] = measure.pk
    counts.summary["new_measures"] = {code: _plain(fields) for code, fields in plan.new_measures.items()}
    counts.summary["measures_created"] = sorted(
        Measure.objects.filter(pk__in=made.values()).values_list("key", flat=True)
    )
    return made


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
    made = _measures_create(plan, counts) if plan.new_measures else {}
    area_ids = area_ids_by_code(codes={key[1] for key in plan.values})
    figures = {
        (made.get(measure_id, measure_id), start, area_ids[gss], breakdown): fields
        for (measure_id, gss, start, breakdown), fields in plan.values.items()
    }
    counts.summary["measures"] = sorted(
        Measure.objects.filter(pk__in={made.get(key[0], key[0]) for key in plan.values}).values_list(
            "key", flat=True
        )
    )
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
