from django.core.management.base import BaseCommand

from core.demo import demo_rows_present
from scorecard.demo import demo_data_remove


class Command(BaseCommand):
    help = (
        "Delete every synthetic demo row (demo values, demo nearest neighbours, demo users and the demo "
        "import record). Run it before serving real data with DEMO_MODE off: the service refuses to "
        "serve pages while demo rows exist outside demo mode."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not demo_rows_present():
            self.stdout.write("No demo data in the database.")
            return
        summary = demo_data_remove()
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {summary.values} demo values, {summary.neighbours} demo neighbours, "
                f"{summary.users} demo users, {summary.import_records} demo import records and "
                f"{summary.other_rows} other demo rows (self-assessments, summits, lessons)."
            )
        )
