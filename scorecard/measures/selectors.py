"""One measure's values: every council in England for a period, with trends and comparators (the measure
page, its exports and the API)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from councils.models import Council, Region
from scorecard import scoring
from scorecard.catalogue import framework_for_start_year
from scorecard.figures import (
    ENGLAND,
    MISSING,
    NEAREST_NEIGHBOURS,
    REGION,
    ComparatorValue,
    EnglandCoverage,
    Figure,
    PublishedComparator,
    comparator_value,
    figure_of,
    format_figure,
    neighbour_groups,
    period_before,
    published_comparator,
    series_values,
)
from scorecard.models import Area, Framework, Measure, Period, Value


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
    # For the measure page; defaults keep older constructors working.
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
    # For the measure page: every period's comparators (aligned with ``periods``; keys as
    # ``comparators``, plus NEAREST_NEIGHBOURS when a ``council`` with a comparator group was given).
    comparator_trends: dict[str, list[ComparatorValue]] = field(default_factory=dict)
    council: Council | None = None
    series: list[Measure] = field(default_factory=list)  # the measures of the series, every framework
    # The councils with a figure for the period, which the England ranks are among: a demo install or a region's
    # own file ranks "in England" among a few, and the page says so.
    england_coverage: EnglandCoverage = field(default_factory=EnglandCoverage)
    # England's median as another publisher published it for the period (Oflog's MEDIAN column), if any
    published_median: PublishedComparator | None = None

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
        if self.measure.framework in (Framework.LOCAL, Framework.NATIONAL):
            return self.measure
        framework = framework_for_start_year(period.start_year)
        return next((m for m in self.series if m.framework == framework), self.requested_measure)


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
    if measure.framework in (Framework.LOCAL, Framework.NATIONAL):
        siblings = [measure]
    measures_by_id = {m.pk: m for m in siblings}
    all_periods = list(Period.objects.order_by("start_year"))
    periods_by_id = {p.pk: p for p in all_periods}

    raw = Value.objects.filter(
        measure_id__in=list(measures_by_id), breakdown=Value.TOTAL, area__kind=Area.Kind.COUNCIL
    ).values_list("measure_id", "period_id", "area__council__gss_code", "value", "status", "is_demo")
    by_council: dict[str, list[tuple[int, int, Figure]]] = defaultdict(list)
    own_periods: set[int] = set()
    for measure_id, period_id, gss, value, status, is_demo in raw:
        by_council[gss].append((measure_id, period_id, figure_of(value, status, is_demo)))
        if measure_id == measure.pk:
            own_periods.add(period_id)
    series_by_council = {
        gss: series_values(rows, measures_by_id=measures_by_id, periods_by_id=periods_by_id)
        for gss, rows in by_council.items()
    }
    available_ids = {period_id for rows in by_council.values() for _, period_id, _ in rows}
    periods = [p for p in all_periods if p.pk in available_ids]
    if period is None:
        own = [p for p in periods if p.pk in own_periods]
        period = own[-1] if own else (periods[-1] if periods else None)
    previous_period = period_before(all_periods, period)
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

    def figure_for(gss: str, p: Period | None) -> Figure:
        if p is None:
            return MISSING
        return series_by_council.get(gss, {}).get((series, p.pk), MISSING)

    current = {c.gss_code: figure_for(c.gss_code, period) for c in all_councils}
    polarity = used.polarity
    england_ranks = scoring.rank_values({g: f.value for g, f in current.items()}, polarity=polarity)
    result.england_coverage = EnglandCoverage(
        with_figures=next((r.rank_of for r in england_ranks.values() if r.rank is not None), 0),
        councils=sum(1 for c in all_councils if not c.is_former),
    )
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

    published, result.published_areas, result.published_median = _published_comparators(
        measure=used, measures_by_id=measures_by_id, periods_by_id=periods_by_id, period=period
    )
    neighbour_codes, demo_group = _neighbour_codes(council) if council is not None else ([], False)
    trend_periods = periods if period is None or period in periods else [*periods, period]
    for p in trend_periods:
        in_period = result.measure_in(p)
        figures = {c.gss_code: figure_for(c.gss_code, p) for c in all_councils}
        real = any(f.value is not None and not f.is_demo for f in figures.values())
        groups: list[tuple[str, tuple[str, object], list[Figure]]] = [
            (ENGLAND, (Area.Kind.ENGLAND, ""), list(figures.values()))
        ]
        if region is not None:
            in_region = [figures[c.gss_code] for c in all_councils if c.region_id == region.pk]
            groups.insert(0, (REGION, (Area.Kind.REGION, region.pk), in_region))
        for key, (kind, scope), population in groups:
            comparator = comparator_value(
                in_period, published.get((kind, scope, p.pk)), population, real_only=real
            )
            result.comparator_trends.setdefault(key, []).append(comparator)
        if neighbour_codes:
            own_figure = figures.get(council.gss_code, MISSING) if council is not None else MISSING
            own_real = own_figure.value is not None and not own_figure.is_demo
            # A synthetic group never sits beside a real figure (docs/SCORING.md, Comparators).
            group = [] if own_real and demo_group else [figures[c] for c in neighbour_codes if c in figures]
            result.comparator_trends.setdefault(NEAREST_NEIGHBOURS, []).append(
                comparator_value(in_period, None, group, real_only=own_real)
            )
    if period is not None:
        index = trend_periods.index(period)
        result.comparators = {key: line[index] for key, line in result.comparator_trends.items()}
        result.comparators.pop(NEAREST_NEIGHBOURS, None)
    else:  # no figures at all: the comparators are there, empty
        empty = comparator_value(used, None, [])
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
    figure: Figure,
    previous: Figure,
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
        formatted=format_figure(measure, figure.value, figure.status),
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
) -> tuple[dict[tuple[str, object, int], Figure], list[AreaValue], PublishedComparator | None]:
    """Published region, England and council-type figures of the series in every period (one query):
    (kind, region id or "" , period id) → figure, the period's own framework preferred; the selected
    period's published areas; and England's median as another publisher published it that period."""
    rows = (
        Value.objects.filter(
            Q(breakdown=Value.TOTAL) | Q(breakdown=Value.MEDIAN, area__kind=Area.Kind.ENGLAND),
            measure_id__in=list(measures_by_id),
        )
        .exclude(area__kind=Area.Kind.COUNCIL)
        .values_list(
            "breakdown",
            "note",
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
    published: dict[tuple[str, object, int], Figure] = {}
    own_framework: set[tuple[str, object, int]] = set()
    areas: list[AreaValue] = []
    median: PublishedComparator | None = None
    for breakdown, note, measure_id, period_id, kind, region_id, key, name, value, status, is_demo in rows:
        figure = figure_of(value, status, is_demo)
        if breakdown == Value.MEDIAN:
            if period is not None and period_id == period.pk and measure_id == measure.pk:
                median = published_comparator(measure, figure, note)
            continue
        if period is not None and period_id == period.pk and measure_id == measure.pk:
            areas.append(
                AreaValue(
                    key,
                    kind,
                    name,
                    figure.value,
                    figure.status,
                    format_figure(measure, value, status),
                    is_demo,
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
    return published, areas, median


def _neighbour_codes(council: Council) -> tuple[list[str], bool]:
    """The council's comparator group: its real nearest neighbours, else (demo mode) its demo ones; and
    whether the group is a demo one."""
    real, demo = neighbour_groups(council)
    return (real, False) if real else (demo, True)
