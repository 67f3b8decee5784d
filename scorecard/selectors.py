"""Reads for the scorecard pages, the challenge packs and the API.

Every read here runs a fixed number of queries whatever the number of councils or measures: values for
a period are fetched in bulk (all council areas in one query, all comparator areas in another), and
the ranking, quartiles, RAG, direction of travel, comparators and commentary are computed in Python
by :mod:`scorecard.scoring`, the rules stated in ``docs/SCORING.md``. What depends only on a period's
data (``PeriodStats``: every council's figures, ranks, England quartiles, comparators) and the catalogue
(periods, domains, measures) are computed once per data version and kept (``scorecard.cache``), so a
council's scorecard then does work in proportion to its own measures. ``measure_values`` (one measure,
every council and year) is read afresh each time.

Conventions:

- Only the headline figure of a measure is read (``Value.breakdown == ""``).
- A value counts only when its status is "ok" and it has a number; suppressed [c], not applicable [x]
  and missing values are shown with their status but never ranked or used in a comparator.
- A period's measures are those of the ASCOF framework its codes were published under (2014 framework
  to 2022-23, refreshed from 2023-24) plus local measures (national ones and the council's region's).
- Trends and direction of travel join periods by ``Measure.series``, so 2022-23 2A2 → 2023-24 2C.
- "Previous period" is the latest Period row before the period.
- Comparators: a published Value for the region, England or council-type area is used when there is
  one; otherwise the figure is computed as the median of the council values (``published=False``).
  The nearest-neighbour median is always computed.
- A real figure is compared only with real comparators: demo figures and a demo comparator group
  (``NearestNeighbour.is_demo``) are never used beside a real value. A council with no real group gets
  no nearest-neighbour median and no commentary; the page says how to load one (``import_neighbours``).
- Commentary the rules cannot word (beyond 7.5 MADs) is shown as the plain numbers, never as a finding.
- Former councils (abolished, ``Council.status``) are listed only in periods where they have figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from councils.models import Council, NearestNeighbour, Region
from scorecard import scoring
from scorecard.cache import cached_read
from scorecard.catalogue import framework_for_start_year
from scorecard.models import Area, Domain, Framework, Measure, Period, Value

REGION = "region"
ENGLAND = "england"
COUNCIL_TYPE = "council_type"
NEAREST_NEIGHBOURS = "nearest_neighbours_median"
COMPARATOR_KEYS = (REGION, ENGLAND, COUNCIL_TYPE, NEAREST_NEIGHBOURS)
WORST_MOVERS = 3

# The council's comparator group: a real one (import_neighbours), a synthetic demo one, or none.
GROUP_REAL = "real"
GROUP_DEMO = "demo"
GROUP_NONE = "none"


# --- Shapes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparatorValue:
    """A comparator figure. ``published`` is False when it was computed (or is missing)."""

    value: Decimal | None
    published: bool
    formatted: str
    is_demo: bool = False
    count: int = 0  # how many council values a computed figure is taken over; 0 when published

    @property
    def computed(self) -> bool:
        return self.value is not None and not self.published

    @property
    def computed_from(self) -> int:
        """How many council figures a computed comparator is the median of (0 when published)."""
        return self.count if self.computed else 0


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
    self_rating: object = None  # selfassessment.selectors.ScorecardSelfRating, when a viewer may see it


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

    @property
    def rows(self) -> list[ScorecardRow]:
        return [row for section in self.domains for row in section.rows]

    @property
    def lacks_real_neighbours(self) -> bool:
        """Real figures are shown but there is no real comparator group to set them beside."""
        return self.neighbour_group != GROUP_REAL and any(
            row.value is not None and not row.is_demo for row in self.rows
        )


@dataclass
class OverviewCell:
    measure: Measure
    value: Decimal | None
    status: str
    formatted: str
    is_demo: bool
    rank: int | None  # within the region
    rank_of: int
    quartile_england: int | None
    rag: scoring.RAG | None


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


@dataclass
class MeasureValueRow:
    council: Council
    value: Decimal | None
    status: str
    formatted: str
    is_demo: bool
    rank: int | None  # within the council's region
    rank_of: int
    rank_label: str
    rank_england: int | None
    rank_england_of: int
    quartile_england: int | None
    quartile_region: int | None
    rag: scoring.RAG | None
    direction: scoring.Direction
    previous_value: Decimal | None
    trend: list[tuple[str, Decimal | None]]
    # Added for the measure page (issue 8); defaults keep older constructors working.
    tied_england: bool = False
    rank_england_label: str = ""  # "joint 3rd of 152"; "" when unranked
    status_text: str = ""  # why there is no figure: scoring.status_words
    code: str = ""  # the code the figure was published under in the period


@dataclass
class AreaValue:
    """A published figure for a region, England or a council type."""

    key: str
    kind: str
    name: str
    value: Decimal | None
    status: str
    formatted: str
    is_demo: bool


@dataclass
class MeasureValues:
    measure: Measure  # the measure published for the period (same series as the one asked for)
    requested_measure: Measure
    period: Period | None
    periods: list[Period]  # periods with council data for the series
    previous_period: Period | None
    region: Region | None
    rows: list[MeasureValueRow]  # ranked best first (missing last), then by name
    comparators: dict[str, ComparatorValue]  # region (when a region is given) and england
    published_areas: list[AreaValue]
    data_is_demo: bool
    # Added for the measure page (issue 8): every period's comparators (aligned with ``periods``; keys as
    # ``comparators``, plus NEAREST_NEIGHBOURS when a ``council`` with a comparator group was given).
    comparator_trends: dict[str, list[ComparatorValue]] = field(default_factory=dict)
    council: Council | None = None
    series: list[Measure] = field(default_factory=list)  # the measures of the series, every framework
    ranked_in_england: int = 0  # figures ranked in England in the period ("of n")

    @property
    def councils(self) -> list[MeasureValueRow]:
        return self.rows

    @property
    def region_figure(self) -> ComparatorValue | None:
        return self.comparators.get(REGION)

    @property
    def england_figure(self) -> ComparatorValue | None:
        return self.comparators.get(ENGLAND)

    def measure_in(self, period: Period) -> Measure:
        """The series' measure as published in ``period``'s framework."""
        if self.measure.framework == Framework.LOCAL:
            return self.measure
        framework = framework_for_start_year(period.start_year)
        return next((m for m in self.series if m.framework == framework), self.requested_measure)


# --- Bulk reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    value: Decimal | None
    status: str
    is_demo: bool


def _figure(value: Decimal | None, status: str, is_demo: bool) -> _Figure:
    usable = value if value is not None and status == Value.Status.OK else None
    return _Figure(usable, status, is_demo)


MISSING = _Figure(None, Value.Status.MISSING, False)


@dataclass
class _PeriodValues:
    """Every council and comparator-area headline value for one period, from two queries."""

    # measure id → council GSS code → figure
    councils: dict[int, dict[str, _Figure]]
    council_region: dict[str, int | None]
    council_type: dict[str, str]
    # (measure id, kind, region id or council type or "") → figure
    comparators: dict[tuple[int, str, object], _Figure]
    areas: list[tuple[int, str, str, str, _Figure]]  # (measure id, key, kind, name, figure)


def _period_values(*, period: Period | None, measure_ids: list[int] | None) -> _PeriodValues:
    """Two queries. ``measure_ids`` None: every measure's values of the period."""
    result = _PeriodValues(defaultdict(dict), {}, {}, {}, [])
    if period is None or measure_ids == []:
        return result
    which = {"measure_id__in": measure_ids} if measure_ids is not None else {}
    rows = Value.objects.filter(
        period=period, breakdown=Value.TOTAL, area__kind=Area.Kind.COUNCIL, **which
    ).values_list(
        "measure_id",
        "area__council__gss_code",
        "area__council__region_id",
        "area__council__council_type",
        "value",
        "status",
        "is_demo",
    )
    for measure_id, gss, region_id, council_type, value, status, is_demo in rows:
        result.councils[measure_id][gss] = _figure(value, status, is_demo)
        result.council_region[gss] = region_id
        result.council_type[gss] = council_type
    comparator_rows = (
        Value.objects.filter(period=period, breakdown=Value.TOTAL, **which)
        .exclude(area__kind=Area.Kind.COUNCIL)
        .values_list(
            "measure_id",
            "area__kind",
            "area__region_id",
            "area__council_type",
            "area__key",
            "area__name",
            "value",
            "status",
            "is_demo",
        )
        .order_by("area__kind", "area__name")
    )
    for measure_id, kind, region_id, council_type, key, name, value, status, is_demo in comparator_rows:
        figure = _figure(value, status, is_demo)
        result.areas.append((measure_id, key, kind, name, figure))
        if kind == Area.Kind.ENGLAND:
            scope: object = ""
        elif kind == Area.Kind.REGION and region_id is not None:
            scope = region_id
        elif kind == Area.Kind.COUNCIL_TYPE and council_type:
            scope = council_type
        else:
            continue
        lookup = (measure_id, kind, scope)
        if lookup not in result.comparators or result.comparators[lookup].value is None:
            result.comparators[lookup] = figure
    return result


def _attach_domains(measures: list[Measure], domains: list[Domain]) -> list[Measure]:
    """Set each measure's domain from the list already read, so ``measure.domain`` costs no query."""
    by_id = {d.pk: d for d in domains}
    for measure in measures:
        measure.domain = by_id.get(measure.domain_id)  # type: ignore[assignment]
    return measures


def _catalogue() -> tuple[list[Period], list[Domain], list[Measure]]:
    """Every period (oldest first), domain and measure (its domain attached), once per data version: every
    save of these rows bumps it (scorecard/cache.py). Shared between requests: never changed by callers."""

    def compute() -> tuple[list[Period], list[Domain], list[Measure]]:
        domains = list(Domain.objects.all())
        measures = _attach_domains(list(Measure.objects.all()), domains)
        return list(Period.objects.order_by("start_year")), domains, measures

    return cached_read("catalogue", compute=compute)


def _measures_for_period(
    measures: list[Measure], *, period: Period | None, region_id: int | None
) -> list[Measure]:
    framework = framework_for_start_year(period.start_year) if period else None
    chosen = [
        m
        for m in measures
        if m.framework == framework
        or (m.framework == Framework.LOCAL and m.owner_region_id in (None, region_id))
    ]
    return sorted(chosen, key=lambda m: (m.framework == Framework.LOCAL, m.position, m.code))


def _previous(periods: list[Period], period: Period | None) -> Period | None:
    if period is None:
        return None
    earlier = [p for p in periods if p.start_year < period.start_year]
    return max(earlier, key=lambda p: p.start_year) if earlier else None


def _format(measure: Measure, value: Decimal | None, status: str | None = None) -> str:
    return scoring.format_value(
        value,
        unit=measure.unit,
        decimal_places=measure.decimal_places,
        scale_max=measure.scale_max,
        status=status,
    )


def _comparator(
    measure: Measure,
    published: _Figure | None,
    population: list[_Figure],
    *,
    real_only: bool = False,
) -> ComparatorValue:
    """The published figure, else the median of ``population``. ``real_only`` (the figure compared is
    real) leaves out every synthetic demo figure, so a real figure never sits beside a synthetic one."""
    if real_only:
        published = published if published is not None and not published.is_demo else None
        population = [f for f in population if not f.is_demo]
    if published is not None and published.value is not None:
        return ComparatorValue(
            published.value, True, _format(measure, published.value), is_demo=published.is_demo
        )
    present = [f for f in population if f.value is not None]
    value = scoring.computed_comparator(f.value for f in present)
    return ComparatorValue(
        value,
        False,
        _format(measure, value),
        is_demo=any(f.is_demo for f in present),
        count=len(present),
    )


def _series_values(
    rows: list[tuple[int, int, _Figure]],
    *,
    measures_by_id: dict[int, Measure],
    periods_by_id: dict[int, Period],
) -> dict[tuple[str, int], _Figure]:
    """(series, period id) → figure, preferring the measure of the period's own framework."""
    result: dict[tuple[str, int], _Figure] = {}
    preferred: set[tuple[str, int]] = set()
    for measure_id, period_id, figure in rows:
        measure = measures_by_id.get(measure_id)
        period = periods_by_id.get(period_id)
        if measure is None or period is None:
            continue
        lookup = (measure.series, period_id)
        own = measure.framework == framework_for_start_year(period.start_year)
        if lookup in preferred and not own:
            continue
        if own:
            preferred.add(lookup)
        result[lookup] = figure
    return result


# --- What depends only on a period's data: computed once per data version ---------------------------


@dataclass
class _MeasureStats:
    """One measure in one period, over every council: figures, ranks, quartiles and comparators."""

    figures: dict[str, _Figure] = field(default_factory=dict)  # council GSS code → figure
    region_rank: dict[str, scoring.Rank] = field(default_factory=dict)  # within the council's region
    region_ranked: dict[int, int] = field(default_factory=dict)  # region id → figures ranked there ("of n")
    england_rank: dict[str, scoring.Rank] = field(default_factory=dict)
    quartile_england: dict[str, int | None] = field(default_factory=dict)
    real: bool = False  # any real (non-demo) figure
    # (kind, region id / council type / "", real_only) → the comparator (published, else computed)
    comparators: dict[tuple[str, object, bool], ComparatorValue] = field(default_factory=dict)

    def comparator(self, kind: str, scope: object, *, real_only: bool) -> ComparatorValue | None:
        return self.comparators.get((kind, scope, real_only))


_NO_STATS = _MeasureStats()


@dataclass
class PeriodStats:
    """Every council's figures of a period with what follows from them alone (``_period_stats``)."""

    council_region: dict[str, int | None]
    council_type: dict[str, str]
    measures: dict[int, _MeasureStats]
    areas: list[
        tuple[int, str, str, str, _Figure]
    ]  # published comparator areas: (measure id, key, kind, name)

    def measure(self, measure_id: int) -> _MeasureStats:
        return self.measures.get(measure_id, _NO_STATS)


def _measure_stats(measure: Measure, data: _PeriodValues) -> _MeasureStats:
    population = data.councils.get(measure.pk, {})
    polarity = measure.polarity
    stats = _MeasureStats(figures=dict(population))
    stats.real = any(f.value is not None and not f.is_demo for f in population.values())
    stats.england_rank = scoring.rank_values({g: f.value for g, f in population.items()}, polarity=polarity)
    stats.quartile_england = {
        g: (scoring.quartile_from_rank(r.rank, r.rank_of) if scoring.has_polarity(polarity) else None)
        for g, r in stats.england_rank.items()
    }
    by_region: dict[object, list[str]] = defaultdict(list)
    by_type: dict[str, list[str]] = defaultdict(list)
    for gss in population:
        region_id = data.council_region.get(gss)
        if region_id:
            by_region[region_id].append(gss)
        by_type[data.council_type.get(gss, "")].append(gss)
    for region_id, members in by_region.items():
        ranks = scoring.rank_values({g: population[g].value for g in members}, polarity=polarity)
        stats.region_rank.update(ranks)
        stats.region_ranked[region_id] = sum(1 for g in members if population[g].value is not None)
    groups: list[tuple[str, object, list[_Figure]]] = [(Area.Kind.ENGLAND, "", list(population.values()))]
    groups += [(Area.Kind.REGION, rid, [population[g] for g in m]) for rid, m in by_region.items()]
    groups += [(Area.Kind.COUNCIL_TYPE, t, [population[g] for g in m]) for t, m in by_type.items()]
    scopes = {(kind, scope) for kind, scope, _ in groups}
    # A published area with no council figures in its group (e.g. a region whose councils are missing).
    scopes |= {(kind, scope) for (mid, kind, scope) in data.comparators if mid == measure.pk}
    members_of = {(kind, scope): figures for kind, scope, figures in groups}
    for kind, scope in scopes:
        for real_only in (False, True):
            stats.comparators[(kind, scope, real_only)] = _comparator(
                measure,
                data.comparators.get((measure.pk, kind, scope)),
                members_of.get((kind, scope), []),
                real_only=real_only,
            )
    return stats


def _period_stats(*, period: Period | None, measures: list[Measure]) -> PeriodStats:
    """The period's statistics for every measure that has figures in it, from the cache when the data has
    not changed since they were computed (``scorecard.cache``); else two queries and the arithmetic."""
    if period is None:
        return PeriodStats({}, {}, {}, [])

    def compute() -> PeriodStats:
        data = _period_values(period=period, measure_ids=None)
        by_id = {m.pk: m for m in measures}
        with_figures = set(data.councils) | {mid for mid, *_ in data.areas}
        return PeriodStats(
            council_region=data.council_region,
            council_type=data.council_type,
            measures={mid: _measure_stats(by_id[mid], data) for mid in with_figures if mid in by_id},
            areas=data.areas,
        )

    return cached_read("period-stats", period.pk, compute=compute)


# --- Council scorecard ------------------------------------------------------------------------------


def council_scorecard(
    *, council: Council, period: Period | None = None, viewer: object = None
) -> CouncilScorecard:
    """The council's balanced scorecard for ``period`` (None: the latest period with data for it).

    Seven queries whatever the size of the data: periods, domains, measures, the council's own values
    in every period, its nearest neighbours, and the period's council and comparator values. With a
    ``viewer`` (a user), one more: the council's submitted self-ratings for the period, set on each
    section's ``self_rating`` when the viewer may read them.
    """
    all_periods, domains, all_measures = _catalogue()
    periods_by_id = {p.pk: p for p in all_periods}
    measures_by_id = {m.pk: m for m in all_measures}

    own_rows = [
        (measure_id, period_id, _figure(value, status, is_demo))
        for measure_id, period_id, value, status, is_demo in Value.objects.filter(
            area__council=council, breakdown=Value.TOTAL
        ).values_list("measure_id", "period_id", "value", "status", "is_demo")
    ]
    available_ids = {period_id for _, period_id, _ in own_rows}
    periods = [p for p in all_periods if p.pk in available_ids]
    if period is None:
        period = periods[-1] if periods else (all_periods[-1] if all_periods else None)
    previous_period = _previous(all_periods, period)
    own_series = _series_values(own_rows, measures_by_id=measures_by_id, periods_by_id=periods_by_id)

    measures = _measures_for_period(all_measures, period=period, region_id=council.region_id)
    neighbours = list(
        NearestNeighbour.objects.filter(council=council)
        .order_by("position")
        .values_list("neighbour_gss_code", "is_demo")
    )
    real_codes = [code for code, is_demo in neighbours if not is_demo]
    demo_codes = [code for code, is_demo in neighbours if is_demo]
    neighbour_group = GROUP_REAL if real_codes else (GROUP_DEMO if demo_codes else GROUP_NONE)
    stats = _period_stats(period=period, measures=all_measures)

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
    if viewer is not None:
        from scorecard.selfassessment.selectors import attach_self_ratings

        attach_self_ratings(sections=sections, council=council, period=period, viewer=viewer)
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
    )


def _plain_numbers(commentary: scoring.Commentary, *, name: str, formatted: str, measure: Measure) -> str:
    """What the rules cannot word is shown as the numbers alone, not as a finding."""
    return f"{name}: {formatted}; nearest neighbours' median: {_format(measure, commentary.median)}."


def _scorecard_row(
    *,
    council: Council,
    measure: Measure,
    stats: _MeasureStats,
    neighbour_codes: list[str],
    demo_neighbour_codes: list[str],
    own_series: dict[tuple[str, int], _Figure],
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
    empty = ComparatorValue(None, False, _format(measure, None))
    comparators = {
        REGION: (
            stats.comparator(Area.Kind.REGION, council.region_id, real_only=real) or empty
            if council.region_id
            else empty
        ),
        ENGLAND: stats.comparator(Area.Kind.ENGLAND, "", real_only=real) or empty,
        COUNCIL_TYPE: stats.comparator(Area.Kind.COUNCIL_TYPE, council.council_type, real_only=real) or empty,
        NEAREST_NEIGHBOURS: _comparator(measure, None, neighbour_figures, real_only=real),
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
                commentary, name=council.name, formatted=_format(measure, own.value), measure=measure
            ),
        )
    return ScorecardRow(
        measure=measure,
        code=measure.code,
        key=measure.key,
        series=measure.series,
        value=own.value,
        status=own.status,
        formatted=_format(measure, own.value, own.status),
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
        previous_formatted=_format(measure, previous.value, previous.status),
        change=scoring.relative_change(current=own.value, previous=previous.value),
        comparators=comparators,
        commentary=commentary,
        trend=[(p.label, own_series.get((measure.series, p.pk), MISSING).value) for p in periods],
    )


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
    worsening.sort(key=lambda row: abs(row.change or 0), reverse=True)
    summary.worst_movers = worsening[:WORST_MOVERS]
    return summary


# --- Region overview --------------------------------------------------------------------------------


def _overview_cell(
    *, measure: Measure, figure: _Figure, stats: _MeasureStats, council: Council
) -> OverviewCell:
    """One council's cell of a measure: its figure, rank in its region, England quartile and RAG."""
    unranked = scoring.Rank(None, stats.region_ranked.get(council.region_id, 0))
    rank = stats.region_rank.get(council.gss_code, unranked)
    quartile = stats.quartile_england.get(council.gss_code)
    return OverviewCell(
        measure=measure,
        value=figure.value,
        status=figure.status,
        formatted=_format(measure, figure.value, figure.status),
        is_demo=figure.is_demo,
        rank=rank.rank,
        rank_of=rank.rank_of,
        quartile_england=quartile,
        rag=scoring.rag_for_quartile(quartile, polarity=measure.polarity),
    )


def region_overview(
    *, region: Region, period: Period | None = None, domain: Domain | None = None
) -> RegionOverview:
    """Councils × measures for a heat-map table: value, RAG (England quartile) and rank in the region."""
    all_periods, domains, all_measures = _catalogue()
    councils = list(Council.objects.filter(region=region).order_by("name"))
    available_ids = set(
        Value.objects.filter(area__council__region=region, breakdown=Value.TOTAL)
        .values_list("period_id", flat=True)
        .distinct()
    )
    periods = [p for p in all_periods if p.pk in available_ids]
    if period is None:
        period = periods[-1] if periods else (all_periods[-1] if all_periods else None)
    measures = _measures_for_period(all_measures, period=period, region_id=region.pk)
    if domain is not None:
        measures = [m for m in measures if m.domain_id == domain.pk]
    stats = _period_stats(period=period, measures=all_measures)
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
                _overview_cell(measure=measure, figure=figure, stats=measure_stats, council=council)
            )
        real = measure_stats.real
        empty = _comparator(measure, None, [])
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
    )


# --- One measure's values ---------------------------------------------------------------------------


def measure_values(
    *,
    measure: Measure,
    period: Period | None = None,
    region: Region | None = None,
    council: Council | None = None,
) -> MeasureValues:
    """A measure's council values in ``period``: the one read behind the measure page, the API and exports.

    ``period`` None: the latest period with a figure for ``measure`` itself, else the latest for its series.
    ``region`` limits the rows to that region's councils (None: every council) and adds the region's
    comparator. Councils are ranked in England (``rank_england``) and in their region (``rank``). When the
    measure was not published under the period's framework its series' counterpart is used (2A2 ↔ 2C); when a
    series has figures under both in one period, the period's own framework's are used. Comparators are
    published, else computed (medians; docs/SCORING.md), for every period (``comparator_trends``); with a
    ``council``, its nearest neighbours' median too. Five queries (six with a council), whatever the size.
    """
    siblings = list(Measure.objects.filter(series=measure.series).select_related("domain"))
    if measure not in siblings:
        siblings.append(measure)
    if measure.framework == Framework.LOCAL:
        siblings = [measure]
    measures_by_id = {m.pk: m for m in siblings}
    all_periods = list(Period.objects.order_by("start_year"))
    periods_by_id = {p.pk: p for p in all_periods}

    raw = Value.objects.filter(
        measure_id__in=list(measures_by_id), breakdown=Value.TOTAL, area__kind=Area.Kind.COUNCIL
    ).values_list("measure_id", "period_id", "area__council__gss_code", "value", "status", "is_demo")
    by_council: dict[str, list[tuple[int, int, _Figure]]] = defaultdict(list)
    own_periods: set[int] = set()
    for measure_id, period_id, gss, value, status, is_demo in raw:
        by_council[gss].append((measure_id, period_id, _figure(value, status, is_demo)))
        if measure_id == measure.pk:
            own_periods.add(period_id)
    series_by_council = {
        gss: _series_values(rows, measures_by_id=measures_by_id, periods_by_id=periods_by_id)
        for gss, rows in by_council.items()
    }
    available_ids = {period_id for rows in by_council.values() for _, period_id, _ in rows}
    periods = [p for p in all_periods if p.pk in available_ids]
    if period is None:
        own = [p for p in periods if p.pk in own_periods]
        period = own[-1] if own else (periods[-1] if periods else None)
    previous_period = _previous(all_periods, period)
    result = MeasureValues(
        measure=measure,
        requested_measure=measure,
        period=period,
        periods=periods,
        previous_period=previous_period,
        region=region,
        rows=[],
        comparators={},
        published_areas=[],
        data_is_demo=False,
        council=council,
        series=siblings,
    )
    used = result.measure_in(period) if period is not None else measure
    result.measure = used

    all_councils = list(Council.objects.select_related("region").order_by("name"))
    shown = [c for c in all_councils if region is None or c.region_id == region.pk]
    series = used.series

    def figure_for(gss: str, p: Period | None) -> _Figure:
        if p is None:
            return MISSING
        return series_by_council.get(gss, {}).get((series, p.pk), MISSING)

    current = {c.gss_code: figure_for(c.gss_code, period) for c in all_councils}
    polarity = used.polarity
    england_ranks = scoring.rank_values({g: f.value for g, f in current.items()}, polarity=polarity)
    result.ranked_in_england = sum(1 for f in current.values() if f.value is not None)
    region_of = {c.gss_code: c.region_id for c in all_councils}
    region_ranks: dict[str, scoring.Rank] = {}
    for region_id in {c.region_id for c in shown}:
        members = {g: f.value for g, f in current.items() if region_of[g] == region_id and region_id}
        region_ranks.update(scoring.rank_values(members, polarity=polarity))

    for council_row in shown:
        figure = current[council_row.gss_code]
        if council_row.is_former and figure.status == Value.Status.MISSING:
            continue  # abolished before this period: its figures are history
        result.rows.append(
            _measure_value_row(
                council=council_row,
                measure=used,
                figure=figure,
                previous=figure_for(council_row.gss_code, previous_period),
                rank=region_ranks.get(council_row.gss_code, scoring.Rank(None, 0)),
                england_rank=england_ranks[council_row.gss_code],
                trend=[(p.label, figure_for(council_row.gss_code, p).value) for p in periods],
            )
        )
    result.rows.sort(key=lambda r: (r.rank_england is None, r.rank_england or 0, r.council.name))

    published, result.published_areas = _published_comparators(
        measure=used, measures_by_id=measures_by_id, periods_by_id=periods_by_id, period=period
    )
    neighbour_codes, demo_group = _neighbour_codes(council) if council is not None else ([], False)
    trend_periods = periods if period is None or period in periods else [*periods, period]
    for p in trend_periods:
        in_period = result.measure_in(p)
        figures = {c.gss_code: figure_for(c.gss_code, p) for c in all_councils}
        real = any(f.value is not None and not f.is_demo for f in figures.values())
        groups: list[tuple[str, tuple[str, object], list[_Figure]]] = [
            (ENGLAND, (Area.Kind.ENGLAND, ""), list(figures.values()))
        ]
        if region is not None:
            members = [figures[c.gss_code] for c in all_councils if c.region_id == region.pk]
            groups.insert(0, (REGION, (Area.Kind.REGION, region.pk), members))
        for key, (kind, scope), population in groups:
            comparator = _comparator(
                in_period, published.get((kind, scope, p.pk)), population, real_only=real
            )
            result.comparator_trends.setdefault(key, []).append(comparator)
        if neighbour_codes:
            own = figures.get(council.gss_code, MISSING) if council is not None else MISSING
            own_real = own.value is not None and not own.is_demo
            # A synthetic group never sits beside a real figure (docs/SCORING.md, Comparators).
            group = [] if own_real and demo_group else [figures[c] for c in neighbour_codes if c in figures]
            result.comparator_trends.setdefault(NEAREST_NEIGHBOURS, []).append(
                _comparator(in_period, None, group, real_only=own_real)
            )
    if period is not None:
        index = trend_periods.index(period)
        result.comparators = {key: line[index] for key, line in result.comparator_trends.items()}
        result.comparators.pop(NEAREST_NEIGHBOURS, None)
    else:  # no figures at all: the comparators are there, empty
        empty = _comparator(used, None, [])
        result.comparators = {REGION: empty, ENGLAND: empty} if region is not None else {ENGLAND: empty}
    for line in result.comparator_trends.values():
        del line[len(periods) :]  # the selected period without figures is not part of the trend
    result.data_is_demo = any(r.is_demo for r in result.rows) or any(
        a.is_demo for a in result.published_areas
    )
    return result


def _measure_value_row(
    *,
    council: Council,
    measure: Measure,
    figure: _Figure,
    previous: _Figure,
    rank: scoring.Rank,
    england_rank: scoring.Rank,
    trend: list[tuple[str, Decimal | None]],
) -> MeasureValueRow:
    polarity = measure.polarity
    ranked = scoring.has_polarity(polarity)
    quartile_england = scoring.quartile_from_rank(england_rank.rank, england_rank.rank_of) if ranked else None
    return MeasureValueRow(
        council=council,
        value=figure.value,
        status=figure.status,
        formatted=_format(measure, figure.value, figure.status),
        is_demo=figure.is_demo,
        rank=rank.rank,
        rank_of=rank.rank_of,
        rank_label=rank.label,
        rank_england=england_rank.rank,
        rank_england_of=england_rank.rank_of,
        quartile_england=quartile_england,
        quartile_region=scoring.quartile_from_rank(rank.rank, rank.rank_of) if ranked else None,
        rag=scoring.rag_for_quartile(quartile_england, polarity=polarity),
        direction=scoring.direction_of_travel(
            current=figure.value, previous=previous.value, polarity=polarity, unit=measure.unit
        ),
        previous_value=previous.value,
        trend=trend,
        tied_england=england_rank.tied,
        rank_england_label=england_rank.label,
        status_text=(
            ""
            if figure.value is not None
            else scoring.status_words(
                Value.Status.MISSING if figure.status == Value.Status.OK else figure.status
            )
        ),
        code=measure.code,
    )


def _published_comparators(
    *,
    measure: Measure,
    measures_by_id: dict[int, Measure],
    periods_by_id: dict[int, Period],
    period: Period | None,
) -> tuple[dict[tuple[str, object, int], _Figure], list[AreaValue]]:
    """Published region, England and council-type figures of the series in every period (one query):
    (kind, region id or "" , period id) → figure, the period's own framework preferred; and the selected
    period's published areas."""
    rows = (
        Value.objects.filter(measure_id__in=list(measures_by_id), breakdown=Value.TOTAL)
        .exclude(area__kind=Area.Kind.COUNCIL)
        .values_list(
            "measure_id",
            "period_id",
            "area__kind",
            "area__region_id",
            "area__key",
            "area__name",
            "value",
            "status",
            "is_demo",
        )
        .order_by("area__kind", "area__name")
    )
    published: dict[tuple[str, object, int], _Figure] = {}
    own_framework: set[tuple[str, object, int]] = set()
    areas: list[AreaValue] = []
    for measure_id, period_id, kind, region_id, key, name, value, status, is_demo in rows:
        figure = _figure(value, status, is_demo)
        if period is not None and period_id == period.pk and measure_id == measure.pk:
            areas.append(
                AreaValue(
                    key, kind, name, figure.value, figure.status, _format(measure, value, status), is_demo
                )
            )
        scope: object = region_id if kind == Area.Kind.REGION else ""
        if kind not in (Area.Kind.REGION, Area.Kind.ENGLAND) or (kind == Area.Kind.REGION and not region_id):
            continue
        lookup = (kind, scope, period_id)
        p = periods_by_id.get(period_id)
        own = p is not None and measures_by_id[measure_id].framework == framework_for_start_year(p.start_year)
        if lookup in own_framework and not own:
            continue
        if lookup in published and published[lookup].value is not None and not own:
            continue
        if own and figure.value is not None:
            own_framework.add(lookup)
        published[lookup] = figure
    return published, areas


def _neighbour_codes(council: Council) -> tuple[list[str], bool]:
    """The council's comparator group: its real nearest neighbours, else (demo mode) its demo ones; and
    whether the group is a demo one."""
    neighbours = list(
        NearestNeighbour.objects.filter(council=council)
        .order_by("position")
        .values_list("neighbour_gss_code", "is_demo")
    )
    real = [code for code, is_demo in neighbours if not is_demo]
    if real:
        return real, False
    return [code for code, is_demo in neighbours if is_demo], True


# --- Compare any councils ---------------------------------------------------------------------------


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

    @property
    def measures(self) -> list[Measure]:
        return [row.measure for row in self.rows]


def councils_comparison(*, councils: list[Council], period: Period | None = None) -> Comparison:
    """The chosen councils side by side for ``period`` (None: the latest with data for any of them).

    Each council is ranked in its own region and given its region's comparator (published, else
    computed); England is shared. Six queries whatever the councils: periods, domains, measures, the
    periods the councils have data in, and the period's council and comparator values.
    """
    all_periods, _domains, all_measures = _catalogue()
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
    framework = framework_for_start_year(period.start_year) if period else None
    region_ids = {r.pk for r in regions}
    measures = sorted(
        (
            m
            for m in all_measures
            if m.framework == framework
            or (
                m.framework == Framework.LOCAL
                and (m.owner_region_id is None or m.owner_region_id in region_ids)
            )
        ),
        key=lambda m: (m.framework == Framework.LOCAL, m.position, m.code),
    )
    stats = _period_stats(period=period, measures=all_measures)
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
            cells.append(_overview_cell(measure=measure, figure=figure, stats=measure_stats, council=council))
        empty = _comparator(measure, None, [])
        region_comparators = [
            measure_stats.comparator(Area.Kind.REGION, region.pk, real_only=real) or empty
            for region in regions
        ]
        england = measure_stats.comparator(Area.Kind.ENGLAND, "", real_only=real) or empty
        demo = demo or any(c.is_demo and c.value is not None for c in [*region_comparators, england])
        rows.append(ComparisonRow(measure, cells, region_comparators, england))
    return Comparison(
        councils=councils, period=period, periods=periods, regions=regions, rows=rows, data_is_demo=demo
    )
