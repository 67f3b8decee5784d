"""Import local measures and their values from the local-measures template (XLSX) or a CSV of values.

The XLSX template has a ``Values`` sheet (GSS code, measure code, period, value, optional note) and a
``Measures`` sheet that defines new local measures (code, title, unit, polarity, description, domain,
optional plausible min/max). A CSV file holds values only, so it may refer only to local measures that
already exist. Rows whose measure code starts with ``EXAMPLE`` are the template's examples and are
skipped. Local-measure imports never write ASCOF measures: those come from the ASCOF import.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from councils.models import Council, Region
from scorecard.areas import (
    ENGLAND_CODE,
    area_ids_by_code,
)
from scorecard.catalogue import measure_key
from scorecard.imports.pipeline.cells import (
    column_label,
    parse_number,
    parse_value_cell,
    quantize,
    scan_formulas,
)
from scorecard.imports.pipeline.checks import FirstFigures, figure_problem
from scorecard.imports.pipeline.outcome import Counts, ImportOutcome, Problems, Progress, report_progress
from scorecard.imports.pipeline.reading import frames_read, is_workbook, map_columns, read_raw
from scorecard.imports.pipeline.run import run_planned_import
from scorecard.imports.pipeline.writing import delete_demo_values, figures_write
from scorecard.imports.rules import import_scope_check
from scorecard.models import Domain, Framework, ImportRecord, Measure, Polarity, Unit
from scorecard.periods import period_start_year

VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "gss": ("gss code", "council gss code", "ons code", "area code", "council code"),
    "code": ("measure code", "measure", "code"),
    "period": ("period", "year", "financial year"),
    "value": ("value", "measure value"),
    "note": ("note", "notes", "comment", "comments"),
}
MEASURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "measure code"),
    "title": ("title", "measure title", "name"),
    "unit": ("unit",),
    "polarity": ("polarity", "better"),
    "description": ("description",),
    "domain": ("domain",),
    "min": ("plausible min", "plausible minimum", "minimum", "min"),
    "max": ("plausible max", "plausible maximum", "maximum", "max"),
}
VALUE_HEADERS = ["GSS code", "Measure code", "Period", "Value", "Note"]
MEASURE_HEADERS = [
    "Code",
    "Title",
    "Unit",
    "Polarity",
    "Description",
    "Domain",
    "Plausible min",
    "Plausible max",
]
EXAMPLE_PREFIX = "EXAMPLE"
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
COUNCIL_OR_AREA_RE = re.compile(r"^E(06|08|09|10|12|92)\d{6}$")
FIRST_START_YEAR = 2010


def _choice_lookup(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    lookup = {value.lower(): value for value in choices.values}
    lookup.update({str(label).lower(): value for value, label in choices.choices})
    lookup.update(extra)
    return lookup


UNITS = _choice_lookup(
    Unit, {"%": Unit.PERCENT, "percent": Unit.PERCENT, "per 100,000": Unit.RATE_100K, "£": Unit.CURRENCY}
)
POLARITIES = _choice_lookup(
    Polarity, {"high": Polarity.HIGHER, "low": Polarity.LOWER, "": Polarity.NONE, "n/a": Polarity.NONE}
)


@dataclass
class _Plan:
    rows: int
    new_measures: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → field values
    values: dict[tuple[str, str, int, str], dict[str, Any]] = field(default_factory=dict)
    # (measure code, area GSS, start year, breakdown) → fields


def measures_import(
    *,
    path: Path,
    file_name: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    progress: Progress | None = None,
    allow_blanking: bool = False,
    into: ImportRecord | None = None,
) -> ImportOutcome:
    """Validate and import a local-measures file (the XLSX template, or a CSV of values).

    ``allow_blanking`` and ``into`` as for :func:`scorecard.imports.ascof.ascof_import`.
    """
    path = Path(path)
    name = file_name or path.name
    problems = Problems(name)
    counts = Counts()
    raw = read_raw(path, problems)
    plan: _Plan | None = None
    if raw is not None and not problems:
        is_xlsx = is_workbook(raw.data)
        frames = frames_read(raw, problems, pick=_template_sheets)
        values_frame = frames.get("Values" if is_xlsx else "")
        measures_frame = frames.get("Measures")
        if values_frame is not None and not problems:
            plan = _validate(values_frame, measures_frame, is_xlsx, problems, counts, progress)
        if plan is not None and not import_scope_check(  # region-scoped writes
            user=user,
            kind=ImportRecord.Kind.LOCAL,
            problems=problems,
            areas={key[1] for key in plan.values},
            measure_codes={key[0] for key in plan.values},
            new_measures=plan.new_measures,
        ):
            plan = None

    return run_planned_import(
        kind=ImportRecord.Kind.LOCAL,
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


def _template_sheets(worksheets: list[Any], problems: Problems) -> list[tuple[Any, str]] | None:
    """The template's Values sheet (required) and Measures sheet (optional)."""
    sheets = {sheet.title.strip().lower(): sheet for sheet in worksheets}
    if "values" not in sheets:
        problems.add(
            "the workbook has no sheet named 'Values' (it has: "
            + ", ".join(repr(sheet.title) for sheet in worksheets)
            + "); use the local-measures template"
        )
        return None
    chosen = [(sheets["values"], "Values")]
    if "measures" in sheets:
        chosen.append((sheets["measures"], "Measures"))
    return chosen


def _validate(
    values_frame: pd.DataFrame,
    measures_frame: pd.DataFrame | None,
    is_xlsx: bool,
    problems: Problems,
    counts: Counts,
    progress: Progress | None,
) -> _Plan | None:
    plan = _Plan(rows=len(values_frame))
    counts.rows_read = len(values_frame)
    local = {measure.code.upper(): measure for measure in Measure.objects.filter(framework=Framework.LOCAL)}
    defined: dict[str, Measure] = {}
    if measures_frame is not None:
        defined = _validate_measures(measures_frame, local, problems, plan, counts)
    measures = {**local, **defined}
    ascof_codes = {
        code.upper()
        for code in Measure.objects.exclude(framework=Framework.LOCAL).values_list("code", flat=True)
    }

    columns = map_columns(values_frame, VALUE_COLUMNS, problems)
    missing = [
        label
        for key, label in (
            ("gss", "GSS code"),
            ("code", "Measure code"),
            ("period", "Period"),
            ("value", "Value"),
        )
        if key not in columns
    ]
    if missing:
        problems.add(
            "missing required column(s): " + ", ".join(missing),
            row=1,
            column=values_frame.attrs.get("sheet"),
        )
        return None
    if len(values_frame) == 0:
        problems.add(
            "the Values sheet has a header row but no data rows"
            if is_xlsx
            else "the file has a header row but no data rows"
        )
        return None
    scan_formulas(values_frame, problems, list(columns.values()))
    col = {key: column_label(values_frame, name) for key, name in columns.items()}
    areas = _known_areas()

    first = FirstFigures("council, measure and period")
    total = len(values_frame)
    tick = max(1, total // 20)
    has_note = "note" in columns
    for i, (row, record) in enumerate(values_frame.iterrows()):
        if progress and i % tick == 0:
            report_progress(progress, i, total * 2)
        code_text = record[columns["code"]]
        code = code_text.upper()
        if code.startswith(EXAMPLE_PREFIX):
            counts.skip("template example row")
            continue
        before = problems.count
        measure = measures.get(code)
        if measure is None:
            unknown = _unknown_measure(code_text, ascof_codes=ascof_codes, defined=defined, is_xlsx=is_xlsx)
            problems.add(unknown, row=row, column=col["code"])
        gss_text = record[columns["gss"]]
        gss = gss_text.upper()
        area_problem = _area_problem(gss_text, areas)
        if area_problem:
            problems.add(area_problem, row=row, column=col["gss"])
        period_text = record[columns["period"]]
        start = period_start_year(period_text)
        if start is None or not FIRST_START_YEAR <= start <= datetime.date.today().year:
            problems.add(
                f"{period_text!r} is not a financial year such as 2023-24"
                if period_text
                else "the period is blank",
                row=row,
                column=col["period"],
            )
        raw_value = record[columns["value"]]
        parsed = parse_value_cell(raw_value)
        if parsed is None:
            problems.add(f"{raw_value!r} is not a number", row=row, column=col["value"])
        elif parsed[1] is not None and measure is not None:
            message = figure_problem(parsed[1], measure=measure)
            if message:
                problems.add(message, row=row, column=col["value"])
        note = record[columns["note"]] if has_note else ""
        if len(note) > 500:
            problems.add("the note is longer than 500 characters", row=row, column=col["note"])
        if problems.count != before or parsed is None or start is None:
            continue
        status, number = parsed[0], quantize(parsed[1])
        key = (code, gss, start)
        fields: dict[str, Any] = {"value": number, "status": status}
        if has_note:
            fields["note"] = note
        if first.first(key, fields, row=row, column=col["value"], problems=problems, counts=counts):
            plan.values[(code, gss, start, "")] = fields
    report_progress(progress, total, total * 2)
    if problems:
        return None
    return plan


def _unknown_measure(
    code_text: str, *, ascof_codes: set[str], defined: dict[str, Measure], is_xlsx: bool
) -> str:
    """Why a values row's measure code is not one of the known local measures."""
    code = code_text.upper()
    if not code:
        return "the measure code is blank"
    if code in ascof_codes and code not in defined:
        return f"{code_text!r} is not a local measure (ASCOF figures come from the ASCOF import)"
    hint = (
        "define it in the Measures sheet"
        if is_xlsx
        else "a CSV file can only give values for existing local measures; define new "
        "ones in the Measures sheet of the XLSX template"
    )
    return f"{code_text!r} is not a known local measure: {hint}"


def _area_problem(gss_text: str, areas: set[str]) -> str | None:
    gss = gss_text.upper()
    if not COUNCIL_OR_AREA_RE.match(gss):
        return f"{gss_text!r} is not an English council GSS code" if gss_text else "the GSS code is blank"
    if gss not in areas:
        return f"{gss} is not a council, region or England known here"
    return None


def _known_areas() -> set[str]:
    codes = set(Council.objects.values_list("gss_code", flat=True))
    codes |= set(Region.objects.values_list("gss_code", flat=True))
    codes.add(ENGLAND_CODE)
    return codes


def _validate_measures(
    frame: pd.DataFrame, local: dict[str, Measure], problems: Problems, plan: _Plan, counts: Counts
) -> dict[str, Measure]:
    """Check the Measures sheet; return unsaved Measure objects (for range checks) by code."""
    columns = map_columns(frame, MEASURE_COLUMNS, problems)
    missing = [name for name in ("code", "title", "unit", "polarity") if name not in columns]
    if missing:
        problems.add(
            "missing required column(s): " + ", ".join(name.title() for name in missing),
            row=1,
            column="Measures",
        )
        return {}
    scan_formulas(frame, problems, list(columns.values()))
    col = {key: column_label(frame, name) for key, name in columns.items()}
    domains: dict[str, Domain] = {}
    for known in Domain.objects.all():
        domains[known.slug.lower()] = known
        domains[known.name.lower()] = known
    defined: dict[str, Measure] = {}
    rows_for: dict[str, int] = {}

    def cell(record: pd.Series, key: str) -> str:
        return record[columns[key]] if key in columns else ""

    for row, record in frame.iterrows():
        code_text = cell(record, "code")
        code = code_text.upper()
        if code.startswith(EXAMPLE_PREFIX):
            counts.skip("template example row")
            continue
        before = problems.count
        if not CODE_RE.match(code_text):
            problems.add(
                f"{code_text!r} is not a measure code (letters, digits, - or _, up to 16 characters)"
                if code_text
                else "the code is blank",
                row=row,
                column=col["code"],
            )
        elif code in rows_for:
            problems.add(
                f"{code_text} is defined twice (also in row {rows_for[code]})", row=row, column=col["code"]
            )
        title = cell(record, "title")
        if not title:
            problems.add("the title is blank", row=row, column=col["title"])
        elif len(title) > 255:
            problems.add("the title is longer than 255 characters", row=row, column=col["title"])
        unit = UNITS.get(cell(record, "unit").lower())
        if unit is None:
            problems.add(
                f"{cell(record, 'unit')!r} is not a unit: use one of " + ", ".join(Unit.values),
                row=row,
                column=col["unit"],
            )
        polarity = POLARITIES.get(cell(record, "polarity").lower())
        if polarity is None:
            problems.add(
                f"{cell(record, 'polarity')!r} is not a polarity: use higher, lower or none",
                row=row,
                column=col["polarity"],
            )
        domain: Domain | None = None
        domain_text = cell(record, "domain")
        if domain_text:
            domain = domains.get(domain_text.lower())
            if domain is None:
                problems.add(f"{domain_text!r} is not a domain", row=row, column=col["domain"])
        bounds: list[Decimal | None] = []
        for key in ("min", "max"):
            text = cell(record, key)
            number = parse_number(text) if text else None
            if text and number is None:
                problems.add(f"{text!r} is not a number", row=row, column=col[key])
            bounds.append(number)
        low, high = bounds
        if low is not None and high is not None and low > high:
            problems.add(f"the plausible min {low} is above the max {high}", row=row, column=col["min"])
        if unit == Unit.PERCENT:
            low = Decimal(0) if low is None else low
            high = Decimal(100) if high is None else high
        if problems.count != before:
            continue
        rows_for[code] = row
        fields = {
            "code": code_text,
            "title": title,
            "unit": unit,
            "polarity": polarity,
            "description": cell(record, "description"),
            "domain": domain,
            "plausible_min": low,
            "plausible_max": high,
        }
        plan.new_measures[code] = fields
        defined[code] = Measure(framework=Framework.LOCAL, **fields)
    return defined


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
    created, updated = [], []
    measures = {m.code.upper(): m for m in Measure.objects.filter(framework=Framework.LOCAL)}
    for code, fields in plan.new_measures.items():
        measure = measures.get(code)
        if measure is None:
            measure = Measure.objects.create(
                key=measure_key(Framework.LOCAL, fields["code"]),
                framework=Framework.LOCAL,
                source="local",
                series=measure_key(Framework.LOCAL, fields["code"]),
                **fields,
            )
            created.append(measure.key)
        else:
            changed = [
                name for name, value in fields.items() if name != "code" and getattr(measure, name) != value
            ]
            if changed:
                for name in changed:
                    setattr(measure, name, fields[name])
                measure.save(update_fields=changed)
                updated.append(measure.key)
        measures[code] = measure
    counts.summary["measures_created"] = created
    counts.summary["measures_updated"] = updated

    area_ids = area_ids_by_code(codes={key[1] for key in plan.values})
    figures = {
        (measures[code].pk, start, area_ids[gss], breakdown): fields
        for (code, gss, start, breakdown), fields in plan.values.items()
    }
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


def measures_template_xlsx() -> bytes:
    """The blank local-measures template: Instructions, Values and Measures sheets, one example row each."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    bold = Font(bold=True)
    example_font = Font(italic=True, color="505A5F")
    example_fill = PatternFill("solid", fgColor="F3F2F1")

    instructions = workbook.active
    instructions.title = "Instructions"
    lines = [
        "SLI Scorecard: local measures template",
        "",
        "Values sheet: one row per council, measure and period.",
        "  GSS code: the council's 9-character ONS code, e.g. E08000025 (Birmingham).",
        "  Measure code: a local measure defined on the Measures sheet or already in the catalogue.",
        "  Period: the financial year, e.g. 2023-24.",
        "  Value: a number; [c] if suppressed, [x] if not applicable, blank if missing.",
        "  Note: optional, up to 500 characters.",
        "Measures sheet: one row per new local measure (leave it with only the example to add values only).",
        "  Code: letters, digits, - or _, up to 16 characters. Title: required.",
        "  Unit: " + ", ".join(Unit.values) + ". Polarity: higher, lower or none.",
        "  Domain: a scorecard domain's name or slug (optional). Plausible min/max: optional numbers.",
        "",
        "Rows whose code starts with EXAMPLE are examples: they are never imported. Replace or delete them.",
        "Do not type formulas (cells starting with =, +, - or @ that are not numbers are rejected).",
    ]
    for line in lines:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 110

    values = workbook.create_sheet("Values")
    values.append(VALUE_HEADERS)
    values.append(["E08000025", "EXAMPLE-1", "2023-24", 42.5, "EXAMPLE ROW: delete before uploading"])
    measures = workbook.create_sheet("Measures")
    measures.append(MEASURE_HEADERS)
    measures.append(
        [
            "EXAMPLE-1",
            "EXAMPLE ROW: proportion of reviews completed on time",
            Unit.PERCENT.value,
            Polarity.HIGHER.value,
            "Delete this example row before uploading.",
            Domain.objects.order_by("position").values_list("slug", flat=True).first() or "",
            0,
            100,
        ]
    )
    for sheet, headers in ((values, VALUE_HEADERS), (measures, MEASURE_HEADERS)):
        for index, _ in enumerate(headers, start=1):
            sheet.cell(row=1, column=index).font = bold
            sheet.cell(row=2, column=index).font = example_font
            sheet.cell(row=2, column=index).fill = example_fill
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 22
        sheet.freeze_panes = "A2"
    unit_list = DataValidation(type="list", formula1='"' + ",".join(Unit.values) + '"', allow_blank=False)
    polarity_list = DataValidation(type="list", formula1='"' + ",".join(Polarity.values) + '"')
    measures.add_data_validation(unit_list)
    measures.add_data_validation(polarity_list)
    unit_list.add("C2:C1000")
    polarity_list.add("D2:D1000")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
