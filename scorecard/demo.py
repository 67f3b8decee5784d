"""Synthetic demo figures for one region, so the service can be shown without real data.

Every figure is generated from a ``random.Random`` seeded with a stable string (never Python's
``hash()``, which changes between processes), so a re-run produces exactly the same numbers and
changes nothing. Each council keeps a persistent offset per trend line (series), plus a slow
per-council trend and a little year-to-year noise, so charts look plausible across years and across
the 2023-24 renumbering. Values stay inside each measure's typical council range (``demo_ranges()``),
which lies inside its plausible range. Every domain of the balanced scorecard gets figures: ASCOF's measures,
and the national measures of other publishers (workforce, money, demand, safeguarding, provider quality each
year; CQC's assessment of the council, from each council's demo CQC outcome, in 2023-24 only).

Demo values are marked ``is_demo=True`` and linked to one ``ImportRecord`` of kind DEMO. Real
(non-demo) figures are never touched: if any exist, value seeding is skipped altogether.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import ProtectedError

from core.cache import rows_written
from core.demo import demo_models
from councils.models import Council, NearestNeighbour, Region, User
from scorecard.areas import area_for_council, area_for_england, area_for_region
from scorecard.assurance.demo import demo_scores
from scorecard.catalogue import demo_ranges, framework_for_start_year
from scorecard.models import Framework, ImportRecord, Measure, Period, Value
from scorecard.periods import period_get_or_create
from scorecard.scoring import CqcRating, cqc_rating

DEMO_START_YEARS = (2019, 2020, 2021, 2022, 2023)
# The carers' survey (SACE) is biennial: of the demo years it ran in 2021-22 and 2023-24.
SACE_START_YEARS = frozenset({2021, 2023})
# Delayed transfers of care were last published for 2019-20.
DTOC_START_YEARS = frozenset({2019})
# CQC began assessing councils in 2023-24: of the demo years, its measures have figures in that one only. A
# council's demo figures are those of its demo CQC outcome (``assurance.demo``): the rating CQC's rule gives
# its nine scores (1 inadequate to 4 outstanding), and its scores for statements 8 and 9.
CQC_ASSESSED_START_YEARS = frozenset({2023})
CQC_RATING_SCORES = {
    CqcRating.INADEQUATE: 1,
    CqcRating.REQUIRES_IMPROVEMENT: 2,
    CqcRating.GOOD: 3,
    CqcRating.OUTSTANDING: 4,
}
CQC_DEMO_FIGURES: dict[str, Callable[[tuple[int, ...]], int]] = {
    "CQC-LA-RATING": lambda scores: CQC_RATING_SCORES[cqc_rating(scores)],
    "CQC-LA-GOV": lambda scores: scores[7],  # Governance, management and sustainability
    "CQC-LA-LEARN": lambda scores: scores[8],  # Learning, improvement and innovation
}
DEMO_FILE_NAME = "demo data"


@dataclass
class DemoSeedSummary:
    values_created: int = 0
    values_updated: int = 0
    values_unchanged: int = 0
    measures: int = 0
    periods: int = 0
    areas: int = 0
    neighbour_groups_created: int = 0
    skipped: str = ""
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.skipped:
            text = f"Demo values skipped: {self.skipped}"
        else:
            text = (
                f"Demo values: {self.values_created} created, {self.values_updated} updated, "
                f"{self.values_unchanged} unchanged ({self.measures} measures, {self.periods} years, "
                f"{self.areas} areas)"
            )
        return f"{text}; demo comparator groups created: {self.neighbour_groups_created}"


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(part) for part in parts))


def _is_sace(measure: Measure) -> bool:
    return measure.source.upper().startswith("SACE")


def _is_dtoc(measure: Measure) -> bool:
    return measure.source.upper().startswith("DTOC") or measure.series.startswith("dtoc")


def _is_cqc_assessment(measure: Measure) -> bool:
    return measure.framework == Framework.NATIONAL and measure.code in CQC_DEMO_FIGURES


def measure_published_in(measure: Measure, start_year: int) -> bool:
    """Whether a demo figure exists for ``measure`` in the year starting ``start_year``: the ASCOF framework
    of the year's measures, and every other publisher's national measure (CQC's assessment of the council
    from 2023-24), so every domain of the balanced scorecard has demo figures."""
    if measure.framework == Framework.NATIONAL:
        return not _is_cqc_assessment(measure) or start_year in CQC_ASSESSED_START_YEARS
    if measure.framework != framework_for_start_year(start_year):
        return False
    if _is_sace(measure) and start_year not in SACE_START_YEARS:
        return False
    return not (_is_dtoc(measure) and start_year not in DTOC_START_YEARS)


def _quantise(value: float, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _council_value(gss: str, measure: Measure, year: int, low: float, high: float) -> float:
    """A council's figure: persistent offset + slow trend + yearly noise, kept inside [low, high]."""
    mid, half = (low + high) / 2, (high - low) / 2
    offset = _rng(gss, measure.series, "offset").uniform(-0.8, 0.8)
    trend = _rng(gss, measure.series, "trend").uniform(-0.06, 0.06)
    noise = _rng(gss, measure.key, year).gauss(0, 0.07)
    return _clamp(mid + half * (offset + trend * (year - 2021) + noise), low, high)


def _comparator_value(code: str, measure: Measure, year: int, base: float, low: float, high: float) -> float:
    """A region or England figure: ``base`` plus a little noise, kept inside [low, high]."""
    noise = _rng(code, measure.key, year).gauss(0, 0.03) * (high - low) / 2
    return _clamp(base + noise, low, high)


def _plausible_bounds(measure: Measure, low: float, high: float) -> tuple[float, float]:
    """Narrow the typical range to the plausible range where both are set."""
    if measure.plausible_min is not None:
        low = max(low, float(measure.plausible_min))
    if measure.plausible_max is not None:
        high = min(high, float(measure.plausible_max))
    return low, high


def demo_values_seed(*, region_gss_code: str = "E12000005") -> DemoSeedSummary:
    """Create (or leave unchanged) the region's demo values and demo comparator groups. Idempotent."""
    region = Region.objects.get(gss_code=region_gss_code)
    councils = list(region.councils.exclude(status="former").order_by("gss_code"))
    summary = DemoSeedSummary()
    with transaction.atomic():
        if Value.objects.filter(is_demo=False).exists():
            # Real figures are never compared with a synthetic group: no demo groups either.
            summary.skipped = "real (non-demo) figures are loaded, so no demo figures were added."
            return summary
        summary.neighbour_groups_created = demo_neighbours_seed(councils=councils)
        _seed_values(region=region, councils=councils, summary=summary)
        rows_written(Value, NearestNeighbour)
    return summary


def _seed_values(*, region: Region, councils: list[Council], summary: DemoSeedSummary) -> None:
    ranges = demo_ranges()
    council_areas = [(council.gss_code, area_for_council(council=council)) for council in councils]
    region_area = area_for_region(region=region)
    england_area = area_for_england()
    periods: dict[int, Period] = {year: period_get_or_create(start_year=year) for year in DEMO_START_YEARS}
    measures = [
        measure
        for measure in Measure.objects.filter(owner_region__isnull=True).order_by("framework", "position")
        if (measure.framework, measure.code) in ranges
    ]

    wanted: dict[tuple[int, int, int], Decimal] = {}
    used_measures: set[int] = set()
    for year, period in periods.items():
        for measure in measures:
            if not measure_published_in(measure, year):
                continue
            used_measures.add(measure.pk)
            low, high = _plausible_bounds(measure, *ranges[(measure.framework, measure.code)])
            places = measure.decimal_places
            council_values = []
            for gss, area in council_areas:
                raw = (
                    float(CQC_DEMO_FIGURES[measure.code](demo_scores(gss)))
                    if _is_cqc_assessment(measure)
                    else _council_value(gss, measure, year, low, high)
                )
                council_values.append(raw)
                wanted[(measure.pk, period.pk, area.pk)] = _quantise(raw, places)
            mean = sum(council_values) / len(council_values) if council_values else (low + high) / 2
            region_raw = _comparator_value(region.gss_code, measure, year, mean, low, high)
            wanted[(measure.pk, period.pk, region_area.pk)] = _quantise(region_raw, places)
            # England sits near the middle of the typical range, with its own persistent lean.
            lean = _rng(england_area.key, measure.series, "offset").uniform(-0.2, 0.2) * (high - low) / 2
            england_raw = _comparator_value(
                england_area.key, measure, year, (low + high) / 2 + lean, low, high
            )
            wanted[(measure.pk, period.pk, england_area.pk)] = _quantise(england_raw, places)

    area_ids = [area.pk for _, area in council_areas] + [region_area.pk, england_area.pk]
    existing = {
        (v.measure_id, v.period_id, v.area_id): v
        for v in Value.objects.filter(
            is_demo=True,
            breakdown=Value.TOTAL,
            area_id__in=area_ids,
            period_id__in=[p.pk for p in periods.values()],
        )
    }
    to_create: list[Value] = []
    to_update: list[Value] = []
    for key, number in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(Value(measure_id=key[0], period_id=key[1], area_id=key[2], value=number))
        elif current.value != number or current.status != Value.Status.OK:
            current.value, current.status = number, Value.Status.OK
            to_update.append(current)
        else:
            summary.values_unchanged += 1

    summary.measures = len(used_measures)
    summary.periods = len(periods)
    summary.areas = len(area_ids)
    if not to_create and not to_update:
        return
    record = (
        ImportRecord.objects.filter(kind=ImportRecord.Kind.DEMO, file_name=DEMO_FILE_NAME)
        .order_by("pk")
        .first()
    )
    if record is None:
        record = ImportRecord.objects.create(
            kind=ImportRecord.Kind.DEMO,
            status=ImportRecord.Status.APPLIED,
            file_name=DEMO_FILE_NAME,
            summary={"region": region.gss_code, "years": [p.label for p in periods.values()]},
        )
    for value in to_create:
        value.is_demo = True
        value.breakdown = Value.TOTAL
        value.status = Value.Status.OK
        value.source_import = record
    Value.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Value.objects.bulk_update(to_update, ["value", "status"], batch_size=500)
    summary.values_created = len(to_create)
    summary.values_updated = len(to_update)
    record.rows_read = len(wanted)
    record.created += summary.values_created
    record.updated += summary.values_updated
    record.unchanged = summary.values_unchanged
    record.save(update_fields=["rows_read", "created", "updated", "unchanged"])


def demo_neighbours_seed(*, councils: list[Council]) -> int:
    """Give each council without a comparator group a demo one: the region's other councils, same type first.

    Councils that already have a group (real or demo) are left alone. Returns the number of groups made.
    """
    with_group = set(
        NearestNeighbour.objects.filter(council__in=councils).values_list("council_id", flat=True)
    )
    rows: list[NearestNeighbour] = []
    made = 0
    for council in councils:
        if council.pk in with_group:
            continue
        others = sorted(
            (other for other in councils if other.pk != council.pk),
            key=lambda other: (other.council_type != council.council_type, other.name),
        )
        rows += [
            NearestNeighbour(
                council=council, position=position, neighbour_gss_code=other.gss_code, is_demo=True
            )
            for position, other in enumerate(others, start=1)
        ]
        made += bool(others)
    NearestNeighbour.objects.bulk_create(rows)
    return made


@dataclass
class DemoRemovalSummary:
    values: int = 0
    neighbours: int = 0
    users: int = 0
    import_records: int = 0
    other_rows: int = 0


def demo_data_remove() -> DemoRemovalSummary:
    """Delete every demo row (values, neighbours, users, the demo import record and every other model's demo
    rows), in one transaction.

    Real rows are never touched: a row is real when ``is_demo`` is false, whatever its import.
    """
    summary = DemoRemovalSummary()
    with transaction.atomic():
        # Dependants before what they protect (e.g. a summit before the self-assessment cycle it uses).
        pending = [model for model in demo_models() if model not in (Value, NearestNeighbour)]
        while pending:
            blocked = []
            for model in pending:
                try:
                    with transaction.atomic():
                        summary.other_rows += model._base_manager.filter(is_demo=True).delete()[0]
                except ProtectedError:
                    blocked.append(model)
            if len(blocked) == len(pending):
                raise ProtectedError(f"demo rows of {blocked} are protected by real rows", set())
            pending = blocked
        summary.values, _ = Value.objects.filter(is_demo=True).delete()
        summary.neighbours, _ = NearestNeighbour.objects.filter(is_demo=True).delete()
        summary.users = User.objects.filter(is_demo=True).count()
        User.objects.filter(is_demo=True).delete()
        records = ImportRecord.objects.filter(kind=ImportRecord.Kind.DEMO).exclude(values__is_demo=False)
        summary.import_records = records.count()
        records.delete()
        rows_written(Value, NearestNeighbour)
    return summary
