from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peerchallenge.models import Summit
from peerchallenge.services import SummitError, seed_demo_summits
from peerchallenge.themes.demo import seed_demo_themes


class Command(BaseCommand):
    help = "Demo summits (demo mode only): one past summit with pairings and lessons, one upcoming published summit."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--region", help="Region GSS code (default: settings.DEFAULT_REGION)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only created in demo mode (set DEMO_MODE=1).")
        region = options["region"] or settings.DEFAULT_REGION
        try:
            summary = seed_demo_summits(region_gss_code=region)
            past = (
                Summit.objects.filter(region__gss_code=region, is_demo=True, state=Summit.State.HELD)
                .order_by("-date")
                .first()
            )
            themes = seed_demo_themes(summit=past) if past else None
        except (SummitError, Exception) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo summits created: {summary.created}; demo lessons created: {summary.lessons}"
            )
        )
        if themes is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo themes created: {themes.themes}; work-programme items: {themes.items}; "
                    f"findings: {themes.findings}"
                )
            )
