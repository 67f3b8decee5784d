"""Reads for the balanced scorecard pages: one council's scorecard (its measures by domain, with rank,
quartile, RAG, direction, comparators and commentary: the council page, the packs and the API), a region's
overview (every council by every measure of a period: the heat-map page) and any councils side by side (the
compare page). Each runs a fixed number of queries (``scorecard/figures.py``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from councils.models import Council, Region
from scorecard import scoring
from scorecard.catalogue import framework_for_start_year
from scorecard.figures import (
    COUNCIL_TYPE,
    ENGLAND,
    GROUP_DEMO,
    GROUP_NONE,
    GROUP_REAL,
    MISSING,
    NEAREST_NEIGHBOURS,
    REGION,
    WORST_MOVERS,
    ComparatorValue,
    EnglandCoverage,
    Figure,
    MeasureStats,
    OverviewCell,
    PublishedComparator,
    catalogue,
    comparator_value,
    figure_of,
    format_figure,
    measures_for_period,
    neighbour_groups,
    overview_cell,
    period_before,
    period_stats,
    series_values,
)
from scorecard.models import Area, Domain, Measure, Period, Value


@dataclass
class ScorecardRow:
    measure: Measure
    code: str  # as published under the period's framework
    key: str
    series: str
    value: Decimal | None
    status: str  # Value.Status; "missing" when there is no row
    formatted: str
    is_demo: bool
    rank: int | None  # within the council's region
    rank_of: int
    rank_label: str  # "3rd of 14"
    quartile_england: int | None
    quartile_region: int | None
    rag: scoring.RAG | None
    direction: scoring.Direction
    previous_value: Decimal | None
    previous_formatted: str
    change: Decimal | None  # relative change from the previous period
    comparators: dict[str, ComparatorValue]  # keys: COMPARATOR_KEYS
    commentary: scoring.Commentary | None
    trend: list[tuple[str, Decimal | None]]  # (period label, value) for every available period
    published_median: PublishedComparator | None = None  # England's median as another publisher gave it
    # A measure with no polarity: its quarter of England's councils by size (1 the highest), else None
    size_quartile_england: int | None = None


@dataclass
class DomainSummary:
    green: int = 0
    amber: int = 0
    red: int = 0
    no_rag: int = 0
    improving: int = 0
    worsening: int = 0
    worst_movers: list[ScorecardRow] = field(default_factory=list)  # worsening rows, largest change first


@dataclass
class DomainSection:
    domain: Domain | None  # None: measures not assigned to a domain
    rows: list[ScorecardRow]
    summary: DomainSummary
    self_rating: object = None  # selfassessment.selectors.ScorecardSelfRating, set by the council's page


# Functions a higher app registers (in its ``AppConfig.ready()``) to set more on a council scorecard's sections
# for one viewer: the self-assessment app sets the self-ratings the viewer may read. Scorecard never imports
# the apps above it, so they hand their functions down instead.
SectionAnnotator = Callable[..., None]
_SECTION_ANNOTATORS: list[SectionAnnotator] = []


def section_annotator_register(annotator: SectionAnnotator) -> None:
    """Have the council's page call ``annotator(sections=…, council=…, period=…, viewer=…)`` (once each)."""
    if annotator not in _SECTION_ANNOTATORS:
        _SECTION_ANNOTATORS.append(annotator)


def scorecard_sections_annotate(
    *, sections: list[DomainSection], council: Council, period: Period | None, viewer: object
) -> None:
    """Let each registered annotator set what it shows on ``sections`` for ``viewer``."""
    for annotator in _SECTION_ANNOTATORS:
        annotator(sections=sections, council=council, period=period, viewer=viewer)


@dataclass
class CouncilScorecard:
    council: Council
    period: Period | None
    periods: list[Period]  # periods with data for the council, oldest first
    previous_period: Period | None
    framework: str | None
    domains: list[DomainSection]
    data_is_demo: bool
    neighbour_group: str = GROUP_NONE  # GROUP_REAL, GROUP_DEMO or GROUP_NONE
    successors: list[Council] = field(default_factory=list)  # for a former council
    england_coverage: EnglandCoverage = field(default_factory=EnglandCoverage)  # what England ranks are among

    @property
    def rows(self) -> list[ScorecardRow]:
        return [row for section in self.domains for row in section.rows]

    @property
    def lacks_real_neighbours(self) -> bool:
        """Real figures are shown but there is no real comparator group to set them beside."""
        return self.neighbour_group != GROUP_REAL and any(
            row.value is not None and not row.is_demo for row in self.rows
        )


def council_scorecard(*, council: Council, period: Period | None = None) -> CouncilScorecard:
    """The council's balanced scorecard for ``period`` (None: the latest period with data for it).

    Seven queries whatever the size of the data: periods, domains, measures, the council's own values
    in every period, its nearest neighbours, and the period's council and comparator values. The council's
    page then sets the self-ratings its viewer may read on each section (``scorecard_sections_annotate``, which
    calls ``selfassessment.selectors.attach_self_ratings``).
    """
    all_periods, domains, all_measures = catalogue()
    periods_by_id = {p.pk: p for p in all_periods}
    measures_by_id = {m.pk: m for m in all_measures}

    own_rows = [
        (measure_id, period_id, figure_of(value, status, is_demo))
        for measure_id, period_id, value, status, is_demo in Value.objects.filter(
            area__council=council, breakdown=Value.TOTAL
        ).values_list("measure_id", "period_id", "value", "status", "is_demo")
    ]
    available_ids = {period_id for _, period_id, _ in own_rows}
    periods = [p for p in all_periods if p.pk in available_ids]
    if period is None:
        period = periods[-1] if periods else (all_periods[-1] if all_periods else None)
    previous_period = period_before(all_periods, period)
    own_series = series_values(own_rows, measures_by_id=measures_by_id, periods_by_id=periods_by_id)

    stats = period_stats(period=period)
    measures = measures_for_period(
        all_measures, period=period, region_ids={council.region_id}, with_figures=set(stats.measures)
    )
    real_codes, demo_codes = neighbour_groups(council)
    neighbour_group = GROUP_REAL if real_codes else (GROUP_DEMO if demo_codes else GROUP_NONE)

    rows_by_domain: dict[int | None, list[ScorecardRow]] = defaultdict(list)
    for measure in measures:
        row = _scorecard_row(
            council=council,
            measure=measure,
            stats=stats.measure(measure.pk),
            neighbour_codes=real_codes,
            demo_neighbour_codes=demo_codes,
            own_series=own_series,
            period=period,
            previous_period=previous_period,
            periods=periods,
        )
        rows_by_domain[measure.domain_id].append(row)

    sections = [DomainSection(d, rows_by_domain.get(d.pk, []), DomainSummary()) for d in domains]
    if rows_by_domain.get(None):
        sections.append(DomainSection(None, rows_by_domain[None], DomainSummary()))
    for section in sections:
        section.summary = _domain_summary(section.rows)
    rows = [row for section in sections for row in section.rows]
    data_is_demo = any(
        row.is_demo or any(c.is_demo and c.value is not None for c in row.comparators.values())
        for row in rows
    )
    successors = list(council.successors.order_by("name")) if council.is_former else []
    return CouncilScorecard(
        council=council,
        period=period,
        periods=periods,
        previous_period=previous_period,
        framework=framework_for_start_year(period.start_year) if period else None,
        domains=sections,
        data_is_demo=data_is_demo,
        neighbour_group=neighbour_group,
        successors=successors,
        england_coverage=stats.england_coverage,
    )


def _plain_numbers(commentary: scoring.Commentary, *, name: str, formatted: str, measure: Measure) -> str:
    """What the rules cannot word is shown as the numbers alone, not as a finding."""
    return f"{name}: {formatted}; nearest neighbours' median: {format_figure(measure, commentary.median)}."


def _scorecard_row(
    *,
    council: Council,
    measure: Measure,
    stats: MeasureStats,
    neighbour_codes: list[str],
    demo_neighbour_codes: list[str],
    own_series: dict[tuple[str, int], Figure],
    period: Period | None,
    previous_period: Period | None,
    periods: list[Period],
) -> ScorecardRow:
    """One measure of the council's scorecard: its own figure looked up in the period's statistics (work in
    proportion to this council's measures and neighbours, never to the number of councils)."""
    population = stats.figures
    own = population.get(council.gss_code, MISSING)
    real = own.value is not None and not own.is_demo
    if not neighbour_codes and not real:
        # A synthetic group may sit beside synthetic figures only (demo mode, labelled).
        neighbour_codes = demo_neighbour_codes
    polarity = measure.polarity
    region_rank = (
        stats.region_rank.get(council.gss_code, scoring.Rank(None, 0))
        if council.region_id
        else scoring.Rank(None, 0)
    )
    if council.region_id and council.gss_code not in population:
        # No figure: unranked, but "of n" still counts the region's ranked figures.
        region_rank = scoring.Rank(None, stats.region_ranked.get(council.region_id, 0))
    quartile_england = stats.quartile_england.get(council.gss_code)
    quartile_region = (
        scoring.quartile_from_rank(region_rank.rank, region_rank.rank_of)
        if scoring.has_polarity(polarity)
        else None
    )
    previous = own_series.get((measure.series, previous_period.pk), MISSING) if previous_period else MISSING
    neighbour_figures = [
        population[code]
        for code in neighbour_codes
        if code in population and not (real and population[code].is_demo)
    ]
    empty = ComparatorValue(None, False, format_figure(measure, None))
    comparators = {
        REGION: (
            stats.comparator(Area.Kind.REGION, council.region_id, real_only=real) or empty
            if council.region_id
            else empty
        ),
        ENGLAND: stats.comparator(Area.Kind.ENGLAND, "", real_only=real) or empty,
        COUNCIL_TYPE: stats.comparator(Area.Kind.COUNCIL_TYPE, council.council_type, real_only=real) or empty,
        NEAREST_NEIGHBOURS: comparator_value(measure, None, neighbour_figures, real_only=real),
    }
    commentary = scoring.commentary_for(
        name=council.name,
        value=own.value,
        group_values=[f.value for f in neighbour_figures],
        polarity=polarity,
        unit=measure.unit,
        decimal_places=measure.decimal_places,
        scale_max=measure.scale_max,
    )
    if commentary is not None and commentary.needs_manual:
        commentary = replace(
            commentary,
            text=_plain_numbers(
                commentary, name=council.name, formatted=format_figure(measure, own.value), measure=measure
            ),
        )
    return ScorecardRow(
        measure=measure,
        code=measure.code,
        key=measure.key,
        series=measure.series,
        value=own.value,
        status=own.status,
        formatted=format_figure(measure, own.value, own.status),
        is_demo=own.is_demo,
        rank=region_rank.rank,
        rank_of=region_rank.rank_of,
        rank_label=region_rank.label,
        quartile_england=quartile_england,
        quartile_region=quartile_region,
        rag=scoring.rag_for_quartile(quartile_england, polarity=polarity),
        direction=scoring.direction_of_travel(
            current=own.value, previous=previous.value, polarity=polarity, unit=measure.unit
        ),
        previous_value=previous.value,
        previous_formatted=format_figure(measure, previous.value, previous.status),
        change=scoring.relative_change(current=own.value, previous=previous.value),
        comparators=comparators,
        commentary=commentary,
        trend=[(p.label, own_series.get((measure.series, p.pk), MISSING).value) for p in periods],
        published_median=stats.published_median,
        size_quartile_england=_size_quartile(stats, council.gss_code, polarity),
    )


def _size_quartile(stats: MeasureStats, gss_code: str, polarity: str) -> int | None:
    """A contextual measure's place by size among England's councils, in quarters (1: the highest)."""
    if scoring.has_polarity(polarity) or gss_code not in stats.england_rank:
        return None
    rank = stats.england_rank[gss_code]
    return scoring.quartile_from_rank(rank.rank, rank.rank_of)


def _domain_summary(rows: list[ScorecardRow]) -> DomainSummary:
    summary = DomainSummary()
    for row in rows:
        if row.rag is scoring.RAG.GREEN:
            summary.green += 1
        elif row.rag is scoring.RAG.AMBER:
            summary.amber += 1
        elif row.rag is scoring.RAG.RED:
            summary.red += 1
        else:
            summary.no_rag += 1
        summary.improving += row.direction is scoring.Direction.IMPROVING
        summary.worsening += row.direction is scoring.Direction.WORSENING
    worsening = [row for row in rows if row.direction is scoring.Direction.WORSENING]
    worsening.sort(key=lambda row: abs(row.change or Decimal(0)), reverse=True)
    summary.worst_movers = worsening[:WORST_MOVERS]
    return summary


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
    stats = period_stats(period=period)
    measures = measures_for_period(
        all_measures, period=period, region_ids={region.pk}, with_figures=set(stats.measures)
    )
    if domain is not None:
        measures = [m for m in measures if m.domain_id == domain.pk]
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
    stats = period_stats(period=period)
    measures = measures_for_period(
        all_measures, period=period, region_ids={r.pk for r in regions}, with_figures=set(stats.measures)
    )
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
