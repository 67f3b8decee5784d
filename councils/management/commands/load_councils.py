from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from councils.services import ImportFailed, reference_data_load


class Command(BaseCommand):
    help = "Load the English regions and councils (default: fixtures/regions.csv and fixtures/councils.csv)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--councils", type=Path, help="CSV: name,gss_code,cassr_code,council_type,region_gss_code"
        )
        parser.add_argument("--regions", type=Path, help="CSV: gss_code,name")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            result = reference_data_load(regions_path=options["regions"], councils_path=options["councils"])
        except ImportFailed as exc:
            for problem in exc.problems[:50]:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was loaded: {len(exc.problems)} problem(s).") from exc
        self.stdout.write(self.style.SUCCESS(f"Regions and councils: {result.summary()}."))
