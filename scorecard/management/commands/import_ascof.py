"""``python manage.py import_ascof PATH [--year 2018-19] [--dry-run]``: a thin wrapper over ascof_import."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scorecard.imports import ImportOutcome, ascof_import

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


def finish(command: BaseCommand, outcome: ImportOutcome) -> None:
    """Print the counts, or the first problems to stderr and fail with exit status 1."""
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

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path, help="The CSV file")
        parser.add_argument(
            "--year", help="Financial year (e.g. 2018-19) for single-year files without a Year column"
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, save nothing")
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
        )
        finish(self, outcome)
