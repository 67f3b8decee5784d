from django.core.management.base import BaseCommand

from scorecard.catalogue import catalogue_load
from scorecard.imports.mappings import shipped_mappings_load


class Command(BaseCommand):
    help = (
        "Create or update the balanced-scorecard domains, the measure catalogue (ASCOF and other publishers' "
        "national measures) and the shipped import mappings (idempotent)."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = catalogue_load()
        mappings = shipped_mappings_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue: {result.domains_created} domain(s) and {result.measures_created} measure(s) created, "
                f"{result.measures_updated} measure(s) updated; {mappings} shipped mapping(s) written."
            )
        )
