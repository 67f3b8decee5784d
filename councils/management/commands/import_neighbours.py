from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councils.services import ImportFailed, neighbours_import


class Command(BaseCommand):
    help = "Load nearest-neighbour comparator groups from a JSON map {gss_code: [gss_code, ...]}."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            result = neighbours_import(path=options["path"], dry_run=options["dry_run"])
        except ImportFailed as exc:
            for problem in exc.problems[:50]:
                self.stderr.write(problem)
            if len(exc.problems) > 50:
                self.stderr.write(f"… and {len(exc.problems) - 50} more")
            raise CommandError(f"Nothing was imported: {len(exc.problems)} problem(s).") from exc
        if result.skipped_councils:
            self.stdout.write(
                self.style.WARNING(
                    f"Skipped {len(result.skipped_councils)} group(s) for councils not loaded yet: "
                    + ", ".join(result.skipped_councils)
                )
            )
        if result.unknown_neighbours:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.unknown_neighbours)} comparator code(s) are not a known council yet "
                    "(kept; they link up when those councils are loaded, e.g. by a national ASCOF import): "
                    + ", ".join(result.unknown_neighbours)
                )
            )
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{result.summary()}."))
