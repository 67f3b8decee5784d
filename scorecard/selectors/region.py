"""A region's overview: every council by every measure of a period (the heat-map page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from councils.models import Council, Region
from scorecard.models import Area, Domain, Measure, Period, Value
from scorecard.selectors.base import (
    MISSING,
    ComparatorValue,
    EnglandCoverage,
    OverviewCell,
    catalogue,
    comparator_value,
    measures_for_period,
    overview_cell,
    period_stats,
)


@dataclass
class OverviewRow:
    council: Council
    cells: list[OverviewCell]  # in the order of RegionOverview.measures


@dataclass
class RegionOverview:
    region: Region
    period: Period | None
    periods: list[Period]
    domain: Domain | None
    domains: list[Domain]
    measures: list[Measure]
    rows: list[OverviewRow]
    region_comparators: list[ComparatorValue]  # aligned with measures
    england_comparators: list[ComparatorValue]
    data_is_demo: bool
    england_coverage: EnglandCoverage = field(default_factory=EnglandCoverage)  # what England ranks are among


def region_overview(
    *, region: Region, period: Period | None = None, domain: Domain | None = None
) -> RegionOverview:
    """Councils × measures for a heat-map table: value, RAG (England quartile) and rank in the region."""
    all_periods, domains, all_measures = catalogue()
    councils = list(Council.objects.filter(region=region).order_by("name"))
    available_ids = set(
        Value.objects.filter(area__council__region=region, breakdown=Value.TOTAL)
        .values_list("period_id", flat=True)
        .distinct()
    )
    periods = [p for p in all_periods if p.pk in available_ids]
    if period is None:
        period = periods[-1] if periods else (all_periods[-1] if all_periods else None)
    measures = measures_for_period(all_measures, period=period, region_ids={region.pk})
    if domain is not None:
        measures = [m for m in measures if m.domain_id == domain.pk]
    stats = period_stats(period=period)
    # A former council is listed only for the years it has figures (its history).
    with_figures = {gss for m in measures for gss in stats.measure(m.pk).figures}
    councils = [c for c in councils if not c.is_former or c.gss_code in with_figures]

    cells: dict[int, list[OverviewCell]] = {c.pk: [] for c in councils}
    region_comparators: list[ComparatorValue] = []
    england_comparators: list[ComparatorValue] = []
    demo = False
    for measure in measures:
        measure_stats = stats.measure(measure.pk)
        population = measure_stats.figures
        for council in councils:
            figure = population.get(council.gss_code, MISSING)
            demo = demo or figure.is_demo
            cells[council.pk].append(
                overview_cell(measure=measure, figure=figure, stats=measure_stats, council=council)
            )
        real = measure_stats.real
        empty = comparator_value(measure, None, [])
        region_comparators.append(
            measure_stats.comparator(Area.Kind.REGION, region.pk, real_only=real) or empty
        )
        england_comparators.append(measure_stats.comparator(Area.Kind.ENGLAND, "", real_only=real) or empty)
    demo = demo or any(c.is_demo and c.value is not None for c in [*region_comparators, *england_comparators])
    return RegionOverview(
        region=region,
        period=period,
        periods=periods,
        domain=domain,
        domains=domains,
        measures=measures,
        rows=[OverviewRow(council, cells[council.pk]) for council in councils],
        region_comparators=region_comparators,
        england_comparators=england_comparators,
        data_is_demo=demo,
        england_coverage=stats.england_coverage,
    )
