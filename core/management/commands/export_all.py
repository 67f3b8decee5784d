from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import RestoreError, backup_export


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file (PATH ending .xml or .xml.gz) that import_all "
        "restores on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            rows = backup_export(path=options["path"])
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Exported {rows} rows to {options['path']}."))
