"""``python manage.py import_mapped PATH (--mapping NAME | --area COL (--value COL (--period-column COL |
--period LABEL) | --wide) (--measure-column COL | --measure KEY)) [--median-column COL] [--numerator-column COL]
[--denominator-column COL] [--save-as NAME] [--dry-run] [--allow-blanking]``: a thin wrapper over
mapped_import. The file is a CSV, or an Excel workbook (.xlsx) whose first sheet holds the figures.

``--period`` takes a column of the file or one fixed period: a value that is a column's header is the
column, else it must be a financial year (2023-24, 2023/24, FY2023/24, 2023/2024 or 2023).
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from scorecard.imports.mapped import (
    MappingError,
    MappingSpec,
    first_rows,
    mapped_import,
    mapping_get,
    mapping_save,
)
from scorecard.imports.pipeline.outcome import ImportOutcome
from scorecard.imports.pipeline.reading import is_workbook
from scorecard.management.commands.import_ascof import finish, progress_printer

LAYOUT_OPTIONS = ("area", "value", "wide", "period", "period_column", "measure_column", "measure")


class Command(BaseCommand):
    help = (
        "Import figures from a CSV of any sensible layout by saying which column is which, or with a saved "
        "mapping (--mapping oflog-asc for Oflog's data explorer download)."
    )
    requires_system_checks: list[str] = []  # as import_ascof: an import checks its file, not the project

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path, help="The CSV file, or an .xlsx workbook (its first sheet)")
        parser.add_argument("--mapping", help="A saved mapping's name (e.g. oflog-asc)")
        parser.add_argument("--area", help="The column naming the council: GSS code, CASSR number or name")
        parser.add_argument("--value", help="The column holding the figures (long layout)")
        parser.add_argument(
            "--period", help="The column holding each row's period, or one fixed period such as 2023-24"
        )
        parser.add_argument("--period-column", help="The column holding each row's period (explicitly)")
        parser.add_argument(
            "--wide",
            action="store_true",
            help="Every other column headed by a period holds that period's figures",
        )
        parser.add_argument("--measure-column", help="The column holding each row's publisher measure code")
        parser.add_argument("--measure", help="One catalogue measure (its key) for every figure in the file")
        parser.add_argument("--median-column", help="A published median, kept as a published comparator")
        parser.add_argument("--numerator-column", help="Each figure's numerator, stored with it")
        parser.add_argument("--denominator-column", help="Each figure's denominator, stored with it")
        parser.add_argument("--save-as", help="Save the column choices as a mapping under this name")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, save nothing")
        parser.add_argument(
            "--allow-blanking",
            action="store_true",
            help="Import even if published figures would become blank (without it the import stops and lists them)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            spec = self._spec(options)
        except MappingError as exc:
            raise CommandError(f"{options['path']}: {exc}") from exc
        outcome = mapped_import(
            path=options["path"],
            spec=spec,
            dry_run=options["dry_run"],
            progress=progress_printer(self.stderr),
            allow_blanking=options["allow_blanking"],
            mapping_name=options["mapping"] or "",
        )
        try:
            finish(self, outcome)
        except CommandError:
            _name_unknown_codes(self, outcome)
            raise
        if options["save_as"] and not options["dry_run"]:
            name = slugify(options["save_as"])
            try:
                mapping_save(name=name, spec=spec)
            except MappingError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Mapping saved as {name!r}: use --mapping {name} next time.")

    def _spec(self, options: dict) -> MappingSpec:
        given = [name for name in LAYOUT_OPTIONS if options.get(name)]
        if options["mapping"]:
            if given:
                raise MappingError(
                    "--mapping gives every column; drop "
                    + ", ".join("--" + n.replace("_", "-") for n in given)
                )
            spec = mapping_get(name=options["mapping"])
            return MappingSpec.from_dict({**spec.as_dict(), **_optional_columns(options)})
        if not options["area"]:
            raise MappingError("say which column is the area (--area COL), or use a saved --mapping")
        period, period_column = options["period"], options["period_column"]
        if period and not period_column and period in _header(options["path"]):
            period, period_column = None, period
        return MappingSpec.from_dict(
            {
                "area": options["area"],
                "value": options["value"],
                "wide": options["wide"],
                "period": period,
                "period_column": period_column,
                "measure_column": options["measure_column"],
                "measure": options["measure"],
                **_optional_columns(options),
            }
        )


OPTIONAL_COLUMNS = ("median_column", "numerator_column", "denominator_column")


def _optional_columns(options: dict) -> dict[str, str]:
    """The optional columns given, which add to a saved mapping's."""
    return {name: options[name] for name in OPTIONAL_COLUMNS if options.get(name)}


def _name_unknown_codes(command: BaseCommand, outcome: ImportOutcome) -> None:
    """After the problems, the measure codes the catalogue lacks, together, with what to do about them."""
    summary = outcome.record.summary if outcome.record is not None else {}
    unknown = [row["code"] for row in (summary or {}).get("unknown_codes", [])]
    if unknown:
        command.stderr.write(
            f"Measure codes the catalogue does not know: {', '.join(unknown)}. Map each to a catalogue "
            "measure in a saved mapping's codes, or upload the file on the imports page to make them measures."
        )


def _header(path: Path) -> list[str]:
    """The file's column names, from its first line or a workbook's first sheet (none when it cannot be
    read: the import says why)."""
    try:
        with Path(path).open("rb") as handle:
            if is_workbook(handle.read(4)):
                return first_rows(path, rows=0)[0]
        with Path(path).open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            line = handle.readline()
    except OSError:
        return []
    sep = max([",", ";", "\t"], key=line.count)
    return [name.strip() for name in next(csv.reader([line], delimiter=sep), [])]
