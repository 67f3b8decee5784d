"""Any councils side by side for a period (the compare page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from councils.models import Council, Region
from scorecard.models import Area, Measure, Period, Value
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
class ComparisonRow:
    measure: Measure
    cells: list[OverviewCell]  # one per council, in the order of Comparison.councils
    region_comparators: list[ComparatorValue]  # one per region, in the order of Comparison.regions
    england: ComparatorValue


@dataclass
class Comparison:
    """Two to four councils from any regions, measure by measure, each ranked within its own region."""

    councils: list[Council]
    period: Period | None
    periods: list[Period]  # periods with data for any of the councils, oldest first
    regions: list[Region]  # the councils' regions, in first-seen order
    rows: list[ComparisonRow]
    data_is_demo: bool
    england_coverage: EnglandCoverage = field(default_factory=EnglandCoverage)  # what England ranks are among

    @property
    def measures(self) -> list[Measure]:
        return [row.measure for row in self.rows]


def councils_comparison(*, councils: list[Council], period: Period | None = None) -> Comparison:
    """The chosen councils side by side for ``period`` (None: the latest with data for any of them).

    Each council is ranked in its own region and given its region's comparator (published, else
    computed); England is shared. Six queries whatever the councils: periods, domains, measures, the
    periods the councils have data in, and the period's council and comparator values.
    """
    all_periods, _domains, all_measures = catalogue()
    available_ids = set(
        Value.objects.filter(area__council__in=councils, breakdown=Value.TOTAL)
        .values_list("period_id", flat=True)
        .distinct()
    )
    periods = [p for p in all_periods if p.pk in available_ids]
    if period is None:
        period = periods[-1] if periods else None
    regions: list[Region] = []
    for council in councils:
        if council.region is not None and council.region not in regions:
            regions.append(council.region)
    measures = measures_for_period(all_measures, period=period, region_ids={r.pk for r in regions})
    stats = period_stats(period=period)
    rows: list[ComparisonRow] = []
    demo = False
    for measure in measures:
        measure_stats = stats.measure(measure.pk)
        population = measure_stats.figures
        if not any(council.gss_code in population for council in councils):
            continue  # nothing to compare on this measure
        real = measure_stats.real
        cells = []
        for council in councils:
            figure = population.get(council.gss_code, MISSING)
            demo = demo or figure.is_demo
            cells.append(overview_cell(measure=measure, figure=figure, stats=measure_stats, council=council))
        empty = comparator_value(measure, None, [])
        region_comparators = [
            measure_stats.comparator(Area.Kind.REGION, region.pk, real_only=real) or empty
            for region in regions
        ]
        england = measure_stats.comparator(Area.Kind.ENGLAND, "", real_only=real) or empty
        demo = demo or any(c.is_demo and c.value is not None for c in [*region_comparators, england])
        rows.append(ComparisonRow(measure, cells, region_comparators, england))
    return Comparison(
        councils=councils,
        period=period,
        periods=periods,
        regions=regions,
        rows=rows,
        data_is_demo=demo,
        england_coverage=stats.england_coverage,
    )
