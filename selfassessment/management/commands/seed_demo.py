from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from councils.services import demo_users_create
from scorecard.assurance.demo import cqc_demo_seed
from scorecard.demo import demo_values_seed
from selfassessment.demo import self_assessment_demo_seed


class Command(BaseCommand):
    help = (
        "Create demo users for every role and synthetic demo figures for a region (demo mode only), "
        "and print the users' sign-in details."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--region", help="Region GSS code (default: settings.DEFAULT_REGION, West Midlands)"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only created in demo mode (set DEMO_MODE=1).")
        region = options["region"] or settings.DEFAULT_REGION
        try:
            users = demo_users_create(region_gss_code=region)
            summary = demo_values_seed(region_gss_code=region)
            self_assessments = self_assessment_demo_seed(region_gss_code=region)
            cqc_outcomes = cqc_demo_seed(region_gss_code=region)
        except Exception as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demo users (demo mode only; all share one password):"))
        for spec, password in users:
            self.stdout.write(f"  {spec.username:<32} {password:<20} {spec.description}")
        if summary.skipped:
            self.stdout.write(self.style.WARNING(f"Demo values skipped: {summary.skipped}"))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo values: {summary.values_created} created, {summary.values_updated} updated, "
                    f"{summary.values_unchanged} unchanged ({summary.measures} measures, "
                    f"{summary.periods} years, {summary.areas} areas)."
                )
            )
        self.stdout.write(f"Demo comparator groups created: {summary.neighbour_groups_created}")
        self.stdout.write(str(self_assessments))
        self.stdout.write(str(cqc_outcomes))
