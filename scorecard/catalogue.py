"""The measures catalogue and balanced-scorecard domains, loaded from fixtures/domains.csv and measures.csv.

Both ASCOF frameworks are seeded, and the national measures of other publishers (framework ``national``:
workforce, money, safeguarding, demand, provider quality, CQC's assessment of the council), each under its
publisher's code where it has one (Oflog's ASC6, ASC7), so every balanced-scorecard domain has measures. ASCOF is seeded with their codes, titles, units, polarity, source, default domain and the
crosswalk (``replaces``: the old-framework code a refreshed measure continues; ``series``: the trend line).
Each measure also names the CQC quality statements it informs (``cqc_statements``: ``1;4``), which the
council's CQC page lists under each statement. Loading is idempotent and never overwrites a domain an administrator has re-assigned in the admin.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from scorecard.models import Domain, Framework, Measure
from scorecard.scoring import CQC_STATEMENTS

# Periods up to and including 2022-23 use the 2014 framework's codes; from 2023-24 the refreshed codes.
REFRESHED_FROM_START_YEAR = 2023


def framework_for_start_year(start_year: int) -> str:
    """Which ASCOF framework's codes a financial year starting in ``start_year`` was published under."""
    return Framework.ASCOF_2023 if start_year >= REFRESHED_FROM_START_YEAR else Framework.ASCOF_2014


def measure_key(framework: str, code: str) -> str:
    prefixes: dict[str, str] = {
        Framework.ASCOF_2014: "ascof-2014",
        Framework.ASCOF_2023: "ascof-2023",
        Framework.NATIONAL: "national",
    }
    prefix = prefixes.get(framework, "local")
    return f"{prefix}-{code.lower()}"


@dataclass
class CatalogueResult:
    domains_created: int = 0
    measures_created: int = 0
    measures_updated: int = 0


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def catalogue_load(
    *, fixtures_dir: Path | None = None, domain_model: Any = Domain, measure_model: Any = Measure
) -> CatalogueResult:
    """Create or update the six domains and every ASCOF measure. Idempotent.

    ``domain_model``/``measure_model`` let the data migration pass its historical models.
    """
    fixtures_dir = fixtures_dir or Path(settings.BASE_DIR) / "fixtures"
    result = CatalogueResult()
    with (fixtures_dir / "domains.csv").open(encoding="utf-8") as handle:
        domain_rows = list(csv.DictReader(handle))
    with (fixtures_dir / "measures.csv").open(encoding="utf-8") as handle:
        measure_rows = list(csv.DictReader(handle))

    with transaction.atomic():
        domains = {}
        for row in domain_rows:
            domain, created = domain_model.objects.get_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "position": int(row["position"]),
                    "description": row["description"],
                },
            )
            result.domains_created += created
            domains[row["slug"]] = domain
        by_code: dict[tuple[str, str], Any] = {}
        for position, row in enumerate(measure_rows, start=1):
            values = {
                "framework": row["framework"],
                "code": row["code"],
                "title": row["title"],
                "unit": row["unit"],
                "scale_max": _decimal(row["scale_max"]),
                "polarity": row["polarity"],
                "source": row["source"],
                "series": row["series"],
                "plausible_min": _decimal(row["plausible_min"]),
                "plausible_max": _decimal(row["plausible_max"]),
                "decimal_places": int(row["decimal_places"]),
                "position": position,
            }
            if _has_field(measure_model, "cqc_statements"):
                values["cqc_statements"] = cqc_statement_numbers(row.get("cqc_statements", ""))
            key = measure_key(row["framework"], row["code"])
            measure = measure_model.objects.filter(key=key).first()
            if measure is None:
                measure = measure_model.objects.create(key=key, domain=domains[row["domain"]], **values)
                result.measures_created += 1
            else:
                changed = [name for name, value in values.items() if getattr(measure, name) != value]
                if changed:
                    for name in changed:
                        setattr(measure, name, values[name])
                    measure.save(update_fields=changed)
                    result.measures_updated += 1
            by_code[(row["framework"], row["code"])] = measure
        for row in measure_rows:
            if row["replaces"]:
                measure = by_code[(row["framework"], row["code"])]
                old = by_code[(Framework.ASCOF_2014, row["replaces"])]
                if measure.replaces_id != old.pk:
                    measure.replaces = old
                    measure.save(update_fields=["replaces"])
        if _has_notes_fields(measure_model):
            measure_notes_load(fixtures_dir=fixtures_dir, measure_model=measure_model)
    return result


def _has_field(model: Any, name: str) -> bool:
    return name in {f.name for f in model._meta.get_fields()}


def cqc_statement_numbers(text: str) -> list[int]:
    """The ``cqc_statements`` cell ("1;4") as the statement numbers it names, in order, each once."""
    numbers: list[int] = []
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        number = int(part)
        if not 1 <= number <= len(CQC_STATEMENTS):
            raise ValueError(f"measures.csv: cqc_statements names statement {number}; CQC's are 1 to 9")
        if number not in numbers:
            numbers.append(number)
    return sorted(numbers)


def _has_notes_fields(model: Any) -> bool:
    return {"counted", "source_basis", "caveats"} <= {f.name for f in model._meta.get_fields()}


def measure_notes_load(*, fixtures_dir: Path | None = None, measure_model: Any = Measure) -> int:
    """Fill each ASCOF measure's definition, what is counted, source and survey basis and caveats from
    ``fixtures/measure_notes.csv`` (one row per series, so both frameworks' codes share the text).
    Idempotent; returns the number of measures changed. Local measures keep their own text."""
    path = (fixtures_dir or Path(settings.BASE_DIR) / "fixtures") / "measure_notes.csv"
    with path.open(encoding="utf-8") as handle:
        notes = {row["series"]: row for row in csv.DictReader(handle)}
    changed_count = 0
    for measure in measure_model.objects.exclude(framework=Framework.LOCAL).filter(series__in=list(notes)):
        row = notes[measure.series]
        wanted = {
            "description": row["definition"],
            "counted": row["counted"],
            "source_basis": row["source_basis"],
            "caveats": row["caveats"],
        }
        changed = [name for name, value in wanted.items() if getattr(measure, name) != value]
        if changed:
            for name in changed:
                setattr(measure, name, wanted[name])
            measure.save(update_fields=changed)
            changed_count += 1
    return changed_count


def demo_ranges() -> dict[tuple[str, str], tuple[float, float]]:
    """The typical council range of each ASCOF measure, used only to generate plausible demo figures."""
    with (Path(settings.BASE_DIR) / "fixtures" / "measures.csv").open(encoding="utf-8") as handle:
        return {
            (row["framework"], row["code"]): (float(row["typical_low"]), float(row["typical_high"]))
            for row in csv.DictReader(handle)
        }
