"""Reads and small calculations for the measure pages.

Private to the measure pages. Ranking and formatting come from ``scorecard.scoring`` (the shared rules),
reached only through the small adapters below (``rank_positions``, ``rank_text``, ``value_text``).
Every read uses a fixed number of queries whatever the number of councils or years.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from councils.models import Council, Region
from scorecard import scoring
from scorecard.areas import ENGLAND_CODE
from scorecard.catalogue import framework_for_start_year
from scorecard.models import Area, Measure, Period, Unit, Value

# --- ranking and formatting (one place; see module docstring) ------------------------------------------


def rank_positions(values: dict[object, Decimal | None], polarity: str) -> dict[object, int]:
    """Competition ranks ("1224"), best first by polarity; keys with no number (or no polarity) get none."""
    return {
        key: rank.rank for key, rank in scoring.rank_values(values, polarity=polarity).items() if rank.rank
    }


def ordinal(number: int) -> str:
    return scoring.ordinal(number)


def rank_text(rank: int | None, out_of: int, *, tied: bool = False) -> str:
    """ "3rd of 14", "joint 3rd of 14", or "Not ranked"."""
    return scoring.ordinal_of(rank, out_of, tied=tied) or "Not ranked"


def number_text(value: Decimal | float | None, places: int) -> str:
    if value is None:
        return ""
    return scoring.format_number(value, decimal_places=places)


def value_text(value: Decimal | float | None, measure: Measure) -> str:
    """A value with its unit: "72.4%", "19.1 out of 24", "512.3 per 100,000", "£1,234"."""
    if value is None:
        return ""
    return scoring.format_value(
        value, unit=measure.unit, decimal_places=measure.decimal_places, scale_max=measure.scale_max
    )


def short_value_text(value: Decimal | float | None, measure: Measure) -> str:
    """A value for a chart label, where the axis names the unit: "72.4%", "512.3", "£1,234"."""
    if value is None:
        return ""
    text = number_text(value, measure.decimal_places)
    if measure.unit == Unit.PERCENT:
        return f"{text}%"
    if measure.unit == Unit.CURRENCY:
        return f"£{text}"
    return text


def unit_label(measure: Measure) -> str:
    if measure.unit == Unit.SCORE and measure.scale_max is not None:
        return f"Score out of {measure.scale_max.normalize():f}"
    return measure.get_unit_display()


STATUS_TEXT = {
    Value.Status.SUPPRESSED: "[c] Suppressed",
    Value.Status.NOT_APPLICABLE: "[x] Not applicable",
    Value.Status.MISSING: "Missing",
}


# --- the read -----------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One area's figure for the selected period."""

    area: Area
    value: Decimal | None = None
    status: str = Value.Status.MISSING
    is_demo: bool = False
    computed: bool = False  # the median of council figures, calculated because none was published
    computed_from: int = 0
    rank: int | None = None
    tied: bool = False
    text: str = ""
    status_text: str = ""
    code: str = ""  # the measure code the figure was published under
    measure_id: int | None = None  # … and that measure (a series spans frameworks)


@dataclass
class MeasureData:
    measure: Measure
    series: list[Measure]
    region: Region | None
    periods: list[Period]  # every period with a figure for this series, oldest first
    period: Period | None  # the selected one
    councils: list[Figure] = field(default_factory=list)  # sorted by rank, then name
    region_figure: Figure | None = None
    england_figure: Figure | None = None
    # trend[area_key][period_pk] = value (numbers only; region/England published or computed)
    trend: dict[str, dict[int, Decimal | None]] = field(default_factory=dict)
    trend_computed: dict[str, set[int]] = field(default_factory=dict)
    council_areas: list[Area] = field(default_factory=list)
    any_demo: bool = False

    @property
    def ranked_count(self) -> int:
        return sum(1 for figure in self.councils if figure.rank is not None)


def region_for_measure_page(*, user, gss_code: str | None) -> Region | None:  # type: ignore[no-untyped-def]
    """?region= if given and known, else the user's home region, else the default region."""
    from councils.selectors import region_for_user

    return region_for_user(user=user, gss_code=gss_code)


def measure_data(*, measure: Measure, region: Region | None, period_label: str | None = None) -> MeasureData:
    """Everything the measure page shows, in five queries (series, areas, values, England means, periods)."""
    series = list(Measure.objects.filter(series=measure.series, owner_region=measure.owner_region))
    series_ids = [m.pk for m in series]
    region_q = (Q(council__region=region) | Q(region=region)) if region is not None else Q(pk__in=[])
    areas = list(
        Area.objects.select_related("council", "region")
        .filter(kind__in=[Area.Kind.COUNCIL, Area.Kind.REGION, Area.Kind.ENGLAND])
        .filter(region_q | Q(key=ENGLAND_CODE))
        .order_by("name")
    )
    council_areas = [a for a in areas if a.kind == Area.Kind.COUNCIL]
    region_area = next((a for a in areas if a.kind == Area.Kind.REGION), None)
    england_area = next((a for a in areas if a.kind == Area.Kind.ENGLAND), None)

    values = list(
        Value.objects.filter(measure_id__in=series_ids, area__in=areas, breakdown=Value.TOTAL).select_related(
            "period", "measure"
        )
    )
    # England computed figures (the median of every council's published number, as scoring.py defines
    # computed comparators), per period: one query.
    england_numbers: dict[int, list[Decimal]] = {}
    for period_id, number in Value.objects.filter(
        measure_id__in=series_ids,
        breakdown=Value.TOTAL,
        area__kind=Area.Kind.COUNCIL,
        value__isnull=False,
        status=Value.Status.OK,
    ).values_list("period_id", "value"):
        england_numbers.setdefault(period_id, []).append(number)
    england_means = {
        period_id: (scoring.computed_comparator(numbers), len(numbers))
        for period_id, numbers in england_numbers.items()
    }
    periods_by_pk = {v.period_id: v.period for v in values}
    for period in Period.objects.filter(pk__in=list(england_means)):
        periods_by_pk.setdefault(period.pk, period)
    periods = sorted(periods_by_pk.values(), key=lambda p: p.start_year)

    # The selected period: as asked; else the latest with a figure for this measure itself; else latest.
    period = next((p for p in periods if p.label == period_label), None)
    if period is None:
        own = [v.period for v in values if v.measure_id == measure.pk]
        period = max(own, key=lambda p: p.start_year) if own else (periods[-1] if periods else None)

    by_area_period: dict[tuple[int, int], Value] = {(v.area_id, v.period_id): v for v in values}
    # A former (abolished) council is shown only where it has figures: they are its history.
    with_values = {v.area_id for v in values}
    council_areas = [
        a for a in council_areas if a.pk in with_values or a.council is None or not a.council.is_former
    ]
    data = MeasureData(
        measure=measure,
        series=series,
        region=region,
        periods=periods,
        period=period,
        council_areas=council_areas,
    )
    data.any_demo = any(v.is_demo for v in values)

    # Trend lines: councils as published; region and England published, else computed.
    for area in council_areas:
        data.trend[area.key] = {p.pk: _number(by_area_period.get((area.pk, p.pk))) for p in periods}
    region_key = region_area.key if region_area else (region.gss_code if region else "")
    for comparator, key in ((region_area, region_key), (england_area, ENGLAND_CODE)):
        if not key:
            continue
        line: dict[int, Decimal | None] = {}
        computed: set[int] = set()
        for p in periods:
            published = by_area_period.get((comparator.pk, p.pk)) if comparator else None
            if published is not None and _number(published) is not None:
                line[p.pk] = _number(published)
                continue
            mean = _computed_mean(key, p.pk, council_areas, by_area_period, england_means)
            line[p.pk] = mean[0]
            if mean[0] is not None:
                computed.add(p.pk)
        data.trend[key] = line
        data.trend_computed[key] = computed

    if period is None:
        return data

    # The selected period's council figures, ranked by polarity.
    figures = []
    for area in council_areas:
        value = by_area_period.get((area.pk, period.pk))
        if value is None and area.council is not None and area.council.is_former:
            continue  # abolished before this period
        figures.append(_figure(area, value, measure))
    ranks = scoring.rank_values(
        {f.area.pk: (f.value if f.status == Value.Status.OK else None) for f in figures},
        polarity=measure.polarity,
    )
    for figure in figures:
        figure.rank = ranks[figure.area.pk].rank
        figure.tied = ranks[figure.area.pk].tied
    figures.sort(key=lambda f: (f.rank is None, f.rank or 0, f.area.name))
    data.councils = figures

    data.region_figure = _comparator_figure(
        region_area or Area(key=region_key, kind=Area.Kind.REGION, name=str(region or "Region")),
        by_area_period.get((region_area.pk, period.pk)) if region_area else None,
        _computed_mean(region_key, period.pk, council_areas, by_area_period, england_means),
        measure,
    )
    data.england_figure = _comparator_figure(
        england_area or Area(key=ENGLAND_CODE, kind=Area.Kind.ENGLAND, name="England"),
        by_area_period.get((england_area.pk, period.pk)) if england_area else None,
        _computed_mean(ENGLAND_CODE, period.pk, council_areas, by_area_period, england_means),
        measure,
    )
    return data


def _number(value: Value | None) -> Decimal | None:
    if value is None or value.status != Value.Status.OK:
        return None
    return value.value


def _computed_mean(
    key: str,
    period_pk: int,
    council_areas: list[Area],
    by_area_period: dict[tuple[int, int], Value],
    england_means: dict[int, tuple[Decimal | None, int]],
) -> tuple[Decimal | None, int]:
    if key == ENGLAND_CODE:
        return england_means.get(period_pk, (None, 0))
    numbers = [
        n for n in (_number(by_area_period.get((a.pk, period_pk))) for a in council_areas) if n is not None
    ]
    if not numbers:
        return None, 0
    return scoring.computed_comparator(numbers), len(numbers)


def _figure(area: Area, value: Value | None, measure: Measure) -> Figure:
    figure = Figure(area=area)
    if value is None:
        figure.status_text = "No figure"
        return figure
    figure.status = value.status
    figure.is_demo = value.is_demo
    figure.code = value.measure.code
    figure.measure_id = value.measure_id
    if value.status == Value.Status.OK and value.value is not None:
        figure.value = value.value
        figure.text = value_text(value.value, measure)
    else:
        figure.status = value.status if value.status != Value.Status.OK else Value.Status.MISSING
        figure.status_text = STATUS_TEXT.get(figure.status, "Missing")
    return figure


def _comparator_figure(
    area: Area, published: Value | None, mean: tuple[Decimal | None, int], measure: Measure
) -> Figure:
    figure = _figure(area, published, measure)
    if figure.value is None and mean[0] is not None:
        figure.value = mean[0]
        figure.status = Value.Status.OK
        figure.status_text = ""
        figure.computed = True
        figure.computed_from = mean[1]
        figure.text = value_text(mean[0], measure)
    return figure


def council_for_user(*, user) -> Council | None:  # type: ignore[no-untyped-def]
    from councils.selectors import home_council_for_user

    return home_council_for_user(user=user)


# --- exports (columns in views_measures.MEASURE_COLUMNS and tables_scorecards.FIGURE_COLUMNS) ----------


def _area_type(area: Area) -> str:
    return {Area.Kind.COUNCIL: "council", Area.Kind.REGION: "region", Area.Kind.ENGLAND: "england"}.get(
        area.kind, str(area.kind)
    )


def _basis(figure: Figure) -> str:
    if figure.value is None:
        return ""
    return f"computed (median of {figure.computed_from})" if figure.computed else "published"


def export_rows(data: MeasureData) -> list[dict]:
    """The measure page's figures for the selected year: councils ranked, then the region and England."""
    period = data.period.label if data.period else ""
    rows = []
    for figure in [*data.councils, data.region_figure, data.england_figure]:
        if figure is None:
            continue
        is_council = figure.area.kind == Area.Kind.COUNCIL
        rows.append(
            {
                "period": period,
                "area_gss_code": figure.area.key,
                "area": figure.area.name,
                "area_type": _area_type(figure.area),
                "code": figure.code or data.measure.code,
                "measure_key": data.measure.key,
                "measure": data.measure.title,
                "value": figure.value,
                "unit": unit_label(data.measure),
                "status": figure.status,
                "rank": figure.rank if is_council else None,
                "rank_of": data.ranked_count if is_council and figure.rank is not None else None,
                "basis": _basis(figure),
                "demo": "yes" if figure.is_demo else "",
            }
        )
    return rows


def figure_rows(data: MeasureData) -> list[dict]:
    """Every figure the page shows, one per row: the year's table and every year of the trend chart."""
    rows = [{**row, "rag": ""} for row in export_rows(data)]
    selected = data.period.pk if data.period else None
    names = {area.key: area.name for area in data.council_areas}
    kinds = {area.key: "council" for area in data.council_areas}
    if data.region is not None:
        names[data.region.gss_code], kinds[data.region.gss_code] = data.region.name, "region"
    names[ENGLAND_CODE], kinds[ENGLAND_CODE] = "England", "england"

    def published_as(period: Period) -> Measure:  # the series' measure in that year's framework
        framework = framework_for_start_year(period.start_year)
        return next((m for m in data.series if m.framework == framework), data.measure)

    for key, line in data.trend.items():
        computed = data.trend_computed.get(key, set())
        for period in data.periods:
            value = line.get(period.pk)
            if period.pk == selected or value is None:
                continue
            rows.append(
                {
                    "period": period.label,
                    "area_gss_code": key,
                    "area": names.get(key, key),
                    "area_type": kinds.get(key, ""),
                    "code": published_as(period).code,
                    "measure_key": published_as(period).key,
                    "measure": published_as(period).title,
                    "value": value,
                    "unit": unit_label(data.measure),
                    "status": "ok",
                    "basis": "computed" if period.pk in computed else "published",
                    "demo": "yes" if data.any_demo else "",
                }
            )
    return rows
