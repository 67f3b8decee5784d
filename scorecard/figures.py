"""What every scorecard read shares: the shapes of a figure and a comparator, the bulk reads of a period's
values, and ``PeriodStats`` (every council's figures, ranks, quartiles and comparators for a period), computed
once per data version. The reads themselves live with their pages: ``scorecards/selectors.py`` (a council, a
region, compare) and ``measures/selectors.py`` (one measure); the rules are in ``docs/SCORING.md``.

Every read here runs a fixed number of queries whatever the number of councils or measures: values for
a period are fetched in bulk (all council areas in one query, all comparator areas in another), and
the ranking, quartiles, RAG, direction of travel, comparators and commentary are computed in Python
by :mod:`scorecard.scoring`, the rules stated in ``docs/SCORING.md``. What depends only on a period's
data (``PeriodStats``: every council's figures, ranks, England quartiles, comparators) and the catalogue
(periods, domains, measures) are computed once per data version and kept (``core.cache``), so a
council's scorecard then does work in proportion to its own measures. ``measure_values`` (one measure,
every council and year) is read afresh each time.

Conventions:

- Only the headline figure of a measure is read (``Value.breakdown == ""``).
- A value counts only when its status is "ok" and it has a number; suppressed [c], not applicable [x]
  and missing values are shown with their status but never ranked or used in a comparator.
- A period's measures are those of the ASCOF framework its codes were published under (2014 framework
  to 2022-23, refreshed from 2023-24), other publishers' national measures with figures in the period, plus local measures (national ones and the council's region's).
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
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from core.cache import cached_read
from councils.models import Council, NearestNeighbour
from scorecard import scoring
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

    @property
    def rank_label(self) -> str:
        """ "12th of 14", as every page words a rank ("" when unranked; "12th highest of 14" when the
        measure has no polarity)."""
        return scoring.ordinal_of(
            self.rank, self.rank_of, by_size=not scoring.has_polarity(self.measure.polarity)
        )


@dataclass(frozen=True)
class PublishedComparator:
    """A comparator another publisher gives beside its figures (Oflog's median of England's councils), kept as
    published and shown beside the computed comparators with where it came from."""

    value: Decimal | None
    formatted: str
    is_demo: bool
    source: str  # in words: "Median of England's councils as published in …"
    label: str = "England median, as published"


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    status: str
    is_demo: bool


def figure_of(value: Decimal | None, status: str, is_demo: bool) -> Figure:
    usable = value if value is not None and status == Value.Status.OK else None
    return Figure(usable, status, is_demo)


MISSING = Figure(None, Value.Status.MISSING, False)


@dataclass
class PeriodValues:
    """Every council and comparator-area headline value for one period, from two queries."""

    # measure id → council GSS code → figure
    councils: dict[int, dict[str, Figure]]
    council_region: dict[str, int | None]
    council_type: dict[str, str]
    # (measure id, kind, region id or council type or "") → figure
    comparators: dict[tuple[int, str, object], Figure]
    areas: list[tuple[int, str, str, str, Figure]]  # (measure id, key, kind, name, figure)
    # measure id → England's median as another publisher published it, and its note (where from)
    medians: dict[int, tuple[Figure, str]] = field(default_factory=dict)


def period_values(*, period: Period | None, measure_ids: list[int] | None) -> PeriodValues:
    """Two queries. ``measure_ids`` None: every measure's values of the period."""
    result = PeriodValues(defaultdict(dict), {}, {}, {}, [])
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
        result.councils[measure_id][gss] = figure_of(value, status, is_demo)
        result.council_region[gss] = region_id
        result.council_type[gss] = council_type
    comparator_rows = (
        Value.objects.filter(
            Q(breakdown=Value.TOTAL) | Q(breakdown=Value.MEDIAN, area__kind=Area.Kind.ENGLAND),
            period=period,
            **which,
        )
        .exclude(area__kind=Area.Kind.COUNCIL)
        .values_list(
            "breakdown",
            "note",
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
    for (
        breakdown,
        note,
        measure_id,
        kind,
        region_id,
        council_type,
        key,
        name,
        value,
        status,
        is_demo,
    ) in comparator_rows:
        figure = figure_of(value, status, is_demo)
        if breakdown == Value.MEDIAN:
            result.medians[measure_id] = (figure, note)
            continue
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
        measure.domain = by_id.get(measure.domain_id) if measure.domain_id is not None else None
    return measures


def catalogue() -> tuple[list[Period], list[Domain], list[Measure]]:
    """Every period (oldest first), domain and measure (its domain attached), once per data version: every
    save of these rows bumps it (core/cache.py). Shared between requests: never changed by callers."""

    def compute() -> tuple[list[Period], list[Domain], list[Measure]]:
        domains = list(Domain.objects.all())
        measures = _attach_domains(list(Measure.objects.all()), domains)
        return list(Period.objects.order_by("start_year")), domains, measures

    return cached_read("catalogue", compute=compute)


def periods_with_figures() -> list[Period]:
    """The years with at least one figure, oldest first (once per data version): what year lists offer."""

    def compute() -> list[Period]:
        return list(Period.objects.filter(values__isnull=False).distinct().order_by("start_year"))

    return cached_read("periods_with_figures", compute=compute)


def measures_for_period(
    measures: list[Measure],
    *,
    period: Period | None,
    region_ids: set[int | None],
    with_figures: set[int] | frozenset[int] = frozenset(),
) -> list[Measure]:
    """The period's ASCOF framework's measures, other publishers' national measures that have figures in the
    period (``with_figures``: the ids of ``PeriodStats.measures``; a region that loads none is not shown a
    row of blanks for each), then the national local measures and those of ``region_ids``."""
    framework = framework_for_start_year(period.start_year) if period else None
    chosen = [
        m
        for m in measures
        if m.framework == framework
        or (m.framework == Framework.NATIONAL and m.pk in with_figures)
        or (m.framework == Framework.LOCAL and (m.owner_region_id is None or m.owner_region_id in region_ids))
    ]
    return sorted(chosen, key=lambda m: (m.framework == Framework.LOCAL, m.position, m.code))


def period_before(periods: list[Period], period: Period | None) -> Period | None:
    if period is None:
        return None
    earlier = [p for p in periods if p.start_year < period.start_year]
    return max(earlier, key=lambda p: p.start_year) if earlier else None


def neighbour_groups(council: Council) -> tuple[list[str], list[str]]:
    """GSS codes of the council's nearest neighbours in order: (the real group, the demo group)."""
    neighbours = list(
        NearestNeighbour.objects.filter(council=council)
        .order_by("position")
        .values_list("neighbour_gss_code", "is_demo")
    )
    return [c for c, demo in neighbours if not demo], [c for c, demo in neighbours if demo]


def format_figure(measure: Measure, value: Decimal | None, status: str | None = None) -> str:
    return scoring.format_value(
        value,
        unit=measure.unit,
        decimal_places=measure.decimal_places,
        scale_max=measure.scale_max,
        status=status,
    )


def comparator_value(
    measure: Measure,
    published: Figure | None,
    population: list[Figure],
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
            published.value, True, format_figure(measure, published.value), is_demo=published.is_demo
        )
    present = [f for f in population if f.value is not None]
    value = scoring.computed_comparator(f.value for f in present)
    return ComparatorValue(
        value,
        False,
        format_figure(measure, value),
        is_demo=any(f.is_demo for f in present),
        count=len(present),
    )


def series_values(
    rows: list[tuple[int, int, Figure]],
    *,
    measures_by_id: dict[int, Measure],
    periods_by_id: dict[int, Period],
) -> dict[tuple[str, int], Figure]:
    """(series, period id) → figure, preferring the measure of the period's own framework."""
    result: dict[tuple[str, int], Figure] = {}
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


@dataclass
class MeasureStats:
    """One measure in one period, over every council: figures, ranks, quartiles and comparators."""

    figures: dict[str, Figure] = field(default_factory=dict)  # council GSS code → figure
    region_rank: dict[str, scoring.Rank] = field(default_factory=dict)  # within the council's region
    region_ranked: dict[int, int] = field(default_factory=dict)  # region id → figures ranked there ("of n")
    england_rank: dict[str, scoring.Rank] = field(default_factory=dict)
    quartile_england: dict[str, int | None] = field(default_factory=dict)
    real: bool = False  # any real (non-demo) figure
    # (kind, region id / council type / "", real_only) → the comparator (published, else computed)
    comparators: dict[tuple[str, object, bool], ComparatorValue] = field(default_factory=dict)
    published_median: PublishedComparator | None = None

    def comparator(self, kind: str, scope: object, *, real_only: bool) -> ComparatorValue | None:
        return self.comparators.get((kind, scope, real_only))


NO_STATS = MeasureStats()


@dataclass(frozen=True)
class EnglandCoverage:
    """How many of England's councils have figures for a period: what England ranks and quartiles are among."""

    with_figures: int = 0
    councils: int = 0  # in England today (not former)

    @property
    def partial(self) -> bool:
        """Fewer than half of England's councils have figures: England ranks, quartiles and RAG are then
        places among those few (a demo install, or only a region's own file loaded). Pages say so."""
        return 0 < self.with_figures < self.councils / 2


@dataclass
class PeriodStats:
    """Every council's figures of a period with what follows from them alone (``period_stats``)."""

    council_region: dict[str, int | None]
    council_type: dict[str, str]
    measures: dict[int, MeasureStats]
    areas: list[
        tuple[int, str, str, str, Figure]
    ]  # published comparator areas: (measure id, key, kind, name)
    england_councils: int = 0  # councils in England today (not former): how many "in England" could mean

    @property
    def england_coverage(self) -> EnglandCoverage:
        return EnglandCoverage(with_figures=len(self.council_region), councils=self.england_councils)

    def measure(self, measure_id: int) -> MeasureStats:
        return self.measures.get(measure_id, NO_STATS)


def _measure_stats(measure: Measure, data: PeriodValues) -> MeasureStats:
    population = data.councils.get(measure.pk, {})
    polarity = measure.polarity
    stats = MeasureStats(figures=dict(population))
    if measure.pk in data.medians:
        stats.published_median = published_comparator(measure, *data.medians[measure.pk])
    stats.real = any(f.value is not None and not f.is_demo for f in population.values())
    stats.england_rank = scoring.rank_values({g: f.value for g, f in population.items()}, polarity=polarity)
    stats.quartile_england = {
        g: (scoring.quartile_from_rank(r.rank, r.rank_of) if scoring.has_polarity(polarity) else None)
        for g, r in stats.england_rank.items()
    }
    by_region: dict[int, list[str]] = defaultdict(list)
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
    groups: list[tuple[str, object, list[Figure]]] = [(Area.Kind.ENGLAND, "", list(population.values()))]
    groups += [(Area.Kind.REGION, rid, [population[g] for g in m]) for rid, m in by_region.items()]
    groups += [(Area.Kind.COUNCIL_TYPE, t, [population[g] for g in m]) for t, m in by_type.items()]
    scopes = {(kind, scope) for kind, scope, _ in groups}
    # A published area with no council figures in its group (e.g. a region whose councils are missing).
    scopes |= {(kind, scope) for (mid, kind, scope) in data.comparators if mid == measure.pk}
    members_of = {(kind, scope): figures for kind, scope, figures in groups}
    for kind, scope in scopes:
        for real_only in (False, True):
            stats.comparators[(kind, scope, real_only)] = comparator_value(
                measure,
                data.comparators.get((measure.pk, kind, scope)),
                members_of.get((kind, scope), []),
                real_only=real_only,
            )
    return stats


def published_comparator(measure: Measure, figure: Figure, note: str) -> PublishedComparator:
    """England's median as another publisher published it, formatted, with where it came from."""
    return PublishedComparator(
        value=figure.value,
        formatted=format_figure(measure, figure.value, figure.status),
        is_demo=figure.is_demo,
        source=note or "Median of England's councils, as published",
    )


def period_stats(*, period: Period | None) -> PeriodStats:
    """The period's statistics for every measure that has figures in it, from the cache when the data has
    not changed since they were computed (``core.cache``); else two queries and the arithmetic."""
    if period is None:
        return PeriodStats({}, {}, {}, [])

    def compute() -> PeriodStats:
        data = period_values(period=period, measure_ids=None)
        by_id = {m.pk: m for m in catalogue()[2]}
        with_figures = set(data.councils) | {mid for mid, *_ in data.areas}
        return PeriodStats(
            council_region=data.council_region,
            council_type=data.council_type,
            measures={mid: _measure_stats(by_id[mid], data) for mid in with_figures if mid in by_id},
            areas=data.areas,
            england_councils=Council.objects.exclude(status=Council.Status.FORMER).count(),
        )

    return cached_read("period-stats", period.pk, compute=compute)


def overview_cell(*, measure: Measure, figure: Figure, stats: MeasureStats, council: Council) -> OverviewCell:
    """One council's cell of a measure: its figure, rank in its region, England quartile and RAG."""
    unranked = scoring.Rank(None, stats.region_ranked.get(council.region_id, 0) if council.region_id else 0)
    rank = stats.region_rank.get(council.gss_code, unranked)
    quartile = stats.quartile_england.get(council.gss_code)
    return OverviewCell(
        measure=measure,
        value=figure.value,
        status=figure.status,
        formatted=format_figure(measure, figure.value, figure.status),
        is_demo=figure.is_demo,
        rank=rank.rank,
        rank_of=rank.rank_of,
        quartile_england=quartile,
        rag=scoring.rag_for_quartile(quartile, polarity=measure.polarity),
    )
