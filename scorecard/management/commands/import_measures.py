"""``python manage.py import_measures PATH [--dry-run]``: a thin wrapper over measures_import."""

from pathlib import Path

from django.core.management.base import BaseCommand

from scorecard.imports.local import measures_import
from scorecard.management.commands.import_ascof import finish, progress_printer


class Command(BaseCommand):
    help = "Import local measures and values from the local-measures template (XLSX) or a CSV of values."
    # An import checks its file, not the project: the system checks (URLs, templates, deploy settings)
    # would import every view and cost a third of a second per run. `manage.py check` runs them (CI,
    # `make serve`).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path, help="The XLSX template or CSV file")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, save nothing")
        parser.add_argument(
            "--allow-blanking",
            action="store_true",
            help="Import even if published figures would become blank (without it the import stops and lists them)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        outcome = measures_import(
            path=options["path"],
            dry_run=options["dry_run"],
            progress=progress_printer(self.stderr),
            allow_blanking=options["allow_blanking"],
        )
        finish(self, outcome)
