from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import RestoreError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_all into a new, migrated database (SQLite or PostgreSQL), "
        "in one transaction. Refuses a database that already holds users, values or imports."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            rows = backup_restore(path=options["path"])
        except RestoreError as exc:
            raise CommandError(f"Cannot restore: {exc}.") from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {options['path']}."))
