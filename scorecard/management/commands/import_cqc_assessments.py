"""``python manage.py import_cqc_assessments PATH [--dry-run]``: a thin wrapper over cqc_import."""

from pathlib import Path

from django.core.management.base import BaseCommand

from scorecard.assurance.imports import cqc_import
from scorecard.management.commands.import_ascof import finish


class Command(BaseCommand):
    help = (
        "Import CQC's published local authority assessments (authority, overall, QS1 … QS9, date, report_url) "
        "from a CSV. Every row must name one current council; any problem and nothing is written."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path, help="The CSV file")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, save nothing")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        finish(self, cqc_import(path=options["path"], dry_run=options["dry_run"]))
