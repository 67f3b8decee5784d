"""``python manage.py import_ascof PATH [--year 2018-19] [--dry-run]``: a thin wrapper over ascof_import."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scorecard.imports.ascof import ascof_import
from scorecard.imports.pipeline.outcome import ImportOutcome

SHOWN_PROBLEMS = 50


def progress_printer(stderr):  # type: ignore[no-untyped-def]
    """A progress callback writing a line to stderr at every further 10%."""
    state = {"last": -1}

    def progress(done: int, total: int) -> None:
        if total <= 0:
            return
        tenth = int(done * 10 / total)
        if tenth > state["last"]:
            state["last"] = tenth
            stderr.write(f"  {tenth * 10:3d}% ({done:,} of {total:,} steps)")

    return progress


def describe_change(change: dict) -> str:
    where = f"{change['measure']} {change['period']} {change['area']} ({change['area_code']})"
    if change["breakdown"]:
        where += f" {change['breakdown']}"
    if change["kind"] == "removed":
        return f"  REMOVED {where}: {change['old']} -> {change['new_status'].lower()}"
    return f"  changed {where}: {change['old']} -> {change['new']}"


def finish(command: BaseCommand, outcome: ImportOutcome) -> None:
    """Print every published figure changed or removed, then the counts; or the problems (stderr) and
    fail with exit status 1."""
    if outcome.changes:
        verb = "would change" if (outcome.dry_run or not outcome.ok) else "changed"
        stream = command.stdout if outcome.ok else command.stderr
        stream.write(
            f"Published figures this file {verb}: {outcome.changed_count:,} changed, "
            f"{outcome.removed_count:,} removed (old -> new):"
        )
        for change in outcome.changes:
            stream.write(describe_change(change))
    if not outcome.ok:
        for problem in outcome.problems[:SHOWN_PROBLEMS]:
            command.stderr.write(str(problem))
        more = outcome.problem_count - min(len(outcome.problems), SHOWN_PROBLEMS)
        if more > 0:
            command.stderr.write(f"… and {more:,} more")
        raise CommandError(
            f"{outcome.problem_count:,} problem(s) found; nothing was imported "
            f"(import record {outcome.record.pk if outcome.record else '-'})."
        )
    prefix = "Dry run, nothing saved. Would have: " if outcome.dry_run else "Imported: "
    command.stdout.write(command.style.SUCCESS(prefix + outcome.summary()))


class Command(BaseCommand):
    help = "Import an official ASCOF CSV ('Measures from the Adult Social Care Outcomes Framework')."
    # An import checks its file, not the project: the system checks (URLs, templates, deploy settings)
    # would import every view and cost a third of a second per run. `manage.py check` runs them (CI,
    # `make serve`).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path, help="The CSV file")
        parser.add_argument(
            "--year", help="Financial year (e.g. 2018-19) for single-year files without a Year column"
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, save nothing")
        parser.add_argument(
            "--allow-blanking",
            action="store_true",
            help="Import even if published figures would become missing, suppressed or not applicable "
            "(without it the import stops and lists them)",
        )
        parser.add_argument(
            "--skip-unknown-measures",
            action="store_true",
            help="Skip (and count) rows for measure codes not in the catalogue, e.g. a newer framework's metrics",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        outcome = ascof_import(
            path=options["path"],
            year=options["year"],
            dry_run=options["dry_run"],
            progress=progress_printer(self.stderr),
            skip_unknown_measures=options["skip_unknown_measures"],
            allow_blanking=options["allow_blanking"],
        )
        finish(self, outcome)
