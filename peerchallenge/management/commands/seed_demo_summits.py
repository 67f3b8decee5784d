from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peerchallenge.services import SummitError, seed_demo_summits


class Command(BaseCommand):
    help = "Demo summits (demo mode only): one past summit with pairings and lessons, one upcoming published summit."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--region", help="Region GSS code (default: settings.DEFAULT_REGION)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only created in demo mode (set DEMO_MODE=1).")
        try:
            summary = seed_demo_summits(region_gss_code=options["region"] or settings.DEFAULT_REGION)
        except (SummitError, Exception) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo summits created: {summary.created}; demo lessons created: {summary.lessons}"
            )
        )
