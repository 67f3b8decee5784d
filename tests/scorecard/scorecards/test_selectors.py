"""Scorecard reads: the worked example of docs/SCORING.md through the database, and a constant query count."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import data_version_bump
from councils.models import Council, NearestNeighbour, Region
from scorecard.catalogue import framework_for_start_year
from scorecard.measures.selectors import measure_values
from scorecard.models import Area, Domain, Framework, Measure, Polarity, Unit, Value
from scorecard.periods import period_get_or_create
from scorecard.scorecards.selectors import CouncilScorecard, ScorecardRow, council_scorecard, region_overview
from scorecard.scoring import RAG, Band, Direction
from tests.worked_example import (
    EXAMPLE_COUNCILS,
    REGION_PUBLISHED_2C,
    build_example,
    measure,
)


def row_for(scorecard: CouncilScorecard, code: str) -> ScorecardRow:
    (row,) = [row for row in scorecard.rows if row.code == code]
    return row


# --- The worked example, one row at a time ----------------------------------------------------------


def test_higher_is_better_row_matches_worked_example(example):
    card = council_scorecard(council=example["birmingham"])
    assert card.period == example["current"]
    row = row_for(card, "2A")
    assert row.value == Decimal("85.0")
    assert row.formatted == "85.0%"
    assert (row.rank, row.rank_of, row.rank_label) == (1, 6, "1st of 6")
    assert row.quartile_england == 1
    assert row.quartile_region == 1
    assert row.rag is RAG.GREEN
    assert row.direction is Direction.NO_CHANGE  # 84.8 → 85.0 under 2D in 2022-23
    assert row.previous_value == Decimal("84.8")
    assert row.comparators["england"].value == Decimal("79.8")
    assert row.comparators["england"].published is False
    assert row.comparators["england"].count == 6
    assert row.comparators["region"].value == Decimal("79.8")
    assert row.comparators["council_type"].value == Decimal("79.8")
    assert row.comparators["nearest_neighbours_median"].value == Decimal("78.4")
    assert row.commentary.band is Band.CLEARLY
    assert row.commentary.text == "Birmingham is better than its nearest neighbours (median 78.4%)."
    assert row.trend == [("2022-23", Decimal("84.8")), ("2023-24", Decimal("85.0"))]


def test_lower_is_better_row_matches_worked_example(example):
    card = council_scorecard(council=example["birmingham"], period=example["current"])
    row = row_for(card, "2C")
    assert row.key == "ascof-2023-2c"
    assert (row.rank, row.rank_of) == (2, 7)
    assert row.quartile_england == 1
    assert row.rag is RAG.GREEN
    assert row.direction is Direction.IMPROVING  # 2A2 530.0 → 2C 512.0, by series
    assert row.comparators["region"].published is True
    assert row.comparators["region"].value == REGION_PUBLISHED_2C
    assert row.comparators["england"].published is False
    assert row.comparators["england"].value == Decimal("598.3")
    # Birmingham's neighbours B–G: 455.1, 598.3, 598.3, 640.5, 702.9, 810.0 → (598.3 + 640.5) / 2
    assert row.comparators["nearest_neighbours_median"].value == Decimal("619.4")
    assert row.formatted == "512.0 per 100,000"


def test_worst_quartile_and_worst_movers(example):
    wolverhampton = Council.objects.get(gss_code=EXAMPLE_COUNCILS["G"])
    card = council_scorecard(council=wolverhampton)
    admissions = row_for(card, "2C")
    assert (admissions.rank, admissions.quartile_england, admissions.rag) == (7, 4, RAG.RED)
    assert admissions.direction is Direction.WORSENING
    sequel = row_for(card, "2A")
    assert sequel.status == Value.Status.SUPPRESSED
    assert sequel.formatted == "[c]"
    assert sequel.rank is None and sequel.rag is None
    assert sequel.direction is Direction.NOT_COMPARABLE
    assert sequel.commentary is None  # no neighbours loaded for Wolverhampton
    (outcomes,) = [s for s in card.domains if s.domain and s.domain.slug == "performance-and-outcomes"]
    assert outcomes.summary.red == 1
    assert outcomes.summary.worst_movers == [admissions]


def test_codes_follow_the_periods_framework(example):
    old = council_scorecard(council=example["birmingham"], period=example["previous"])
    assert old.framework == Framework.ASCOF_2014
    assert row_for(old, "2A2").value == Decimal("530.0")
    assert all(row.measure.framework == Framework.ASCOF_2014 for row in old.rows)
    new = council_scorecard(council=example["birmingham"], period=example["current"])
    assert {row.code for row in new.rows} >= {"2C", "2A", "2D1"}
    assert "2A2" not in {row.code for row in new.rows}
    assert all(row.measure.framework == Framework.ASCOF_2023 for row in new.rows)


def test_every_domain_is_listed_in_order_with_summary(example):
    card = council_scorecard(council=example["birmingham"])
    assert [s.domain for s in card.domains] == list(Domain.objects.order_by("position"))
    governance = card.domains[1]
    assert governance.domain.slug == "governance-and-leadership"
    assert governance.rows == []
    outcomes = card.domains[0]
    assert (outcomes.summary.green, outcomes.summary.amber, outcomes.summary.red) == (2, 0, 0)
    assert outcomes.summary.improving == 1
    assert card.periods == [example["previous"], example["current"]]
    assert card.previous_period == example["previous"]
    assert card.data_is_demo is False


def test_local_measures_of_the_councils_region_only(example):
    governance = Domain.objects.get(slug="governance-and-leadership")
    ours = Measure.objects.create(
        key="local-wm-vacancies",
        code="WM1",
        framework=Framework.LOCAL,
        title="Social worker vacancy rate",
        unit=Unit.PERCENT,
        polarity=Polarity.LOWER,
        domain=governance,
        series="wm-vacancies",
        owner_region=example["region"],
    )
    Measure.objects.create(
        key="local-nw-x",
        code="NW1",
        framework=Framework.LOCAL,
        title="Another region's measure",
        unit=Unit.COUNT,
        polarity=Polarity.NONE,
        domain=governance,
        series="nw-x",
        owner_region=Region.objects.exclude(pk=example["region"].pk).first(),
    )
    card = council_scorecard(council=example["birmingham"])
    assert [row.measure for row in card.domains[1].rows] == [ours]


def test_demo_values_are_flagged(db):
    data = build_example(is_demo=True)
    assert council_scorecard(council=data["birmingham"]).data_is_demo is True


def test_council_without_data(db):
    council = Council.objects.get(gss_code="E06000019")
    card = council_scorecard(council=council)
    assert card.periods == []
    assert all(row.value is None for row in card.rows)


def test_region_overview_matrix(example):
    overview = region_overview(region=example["region"])
    assert overview.period == example["current"]
    assert len(overview.rows) == 14
    index = [m.code for m in overview.measures].index("2C")
    cells = {row.council.gss_code: row.cells[index] for row in overview.rows}
    assert (cells[EXAMPLE_COUNCILS["F"]].rank, cells[EXAMPLE_COUNCILS["F"]].rag) == (1, RAG.GREEN)
    assert (cells[EXAMPLE_COUNCILS["C"]].rank, cells[EXAMPLE_COUNCILS["D"]].rank) == (3, 3)
    assert cells[EXAMPLE_COUNCILS["G"]].rag is RAG.RED
    assert cells["E06000019"].value is None
    assert overview.region_comparators[index].published is True
    outcomes = Domain.objects.get(slug="performance-and-outcomes")
    filtered = region_overview(region=example["region"], domain=outcomes)
    assert {m.domain_id for m in filtered.measures} == {outcomes.pk}


def test_measure_values_ranked_with_trend(example):
    old_measure = measure("ascof_2014", "2A2")
    # One default for the page and the API: without a period, the measure's own latest year.
    assert measure_values(measure=old_measure).period == example["previous"]
    result = measure_values(measure=old_measure, region=example["region"], period=example["current"])
    assert result.measure.code == "2C"  # latest period's counterpart of 2A2
    assert result.period == example["current"]
    assert [row.council.gss_code for row in result.rows[:3]] == [
        EXAMPLE_COUNCILS["F"],
        EXAMPLE_COUNCILS["A"],
        EXAMPLE_COUNCILS["C"],
    ]
    top = result.rows[0]
    assert (top.rank, top.rank_of, top.quartile_england, top.rag) == (1, 7, 1, RAG.GREEN)
    assert top.trend == [("2022-23", Decimal("455.1")), ("2023-24", Decimal("455.1"))]
    assert result.comparators["region"].value == REGION_PUBLISHED_2C
    assert result.comparators["england"].value == Decimal("598.3")
    assert len(result.rows) == 14
    older = measure_values(measure=old_measure, period=example["previous"])
    assert older.measure.code == "2A2"
    assert older.rows[0].value == Decimal("455.1")


# --- Query count ------------------------------------------------------------------------------------


def add_national_councils(count: int) -> None:
    """Fictional councils spread over the other regions, with areas and values in both periods."""
    regions = list(Region.objects.exclude(gss_code="E12000005"))
    councils = Council.objects.bulk_create(
        Council(
            name=f"Testshire {i}",
            slug=f"testshire-{i}",
            gss_code=f"E06{800000 + i:06d}",
            cassr_code=5000 + i,
            council_type=Council.CouncilType.UNITARY,
            region=regions[i % len(regions)],
        )
        for i in range(count)
    )
    councils = list(Council.objects.filter(slug__startswith="testshire-"))
    areas = Area.objects.bulk_create(
        Area(key=c.gss_code, kind=Area.Kind.COUNCIL, name=c.name, council=c) for c in councils
    )
    periods = [period_get_or_create(start_year=2022), period_get_or_create(start_year=2023)]
    values = []
    for period in periods:
        framework = framework_for_start_year(period.start_year)
        for position, m in enumerate(Measure.objects.filter(framework=framework)):
            for index, area in enumerate(areas):
                values.append(
                    Value(
                        measure=m, period=period, area=area, value=Decimal(40 + (index * 7 + position) % 50)
                    )
                )
    Value.objects.bulk_create(values, batch_size=2000)
    data_version_bump()  # a set-based write, as the import services do (core/cache.py)
    for c in councils[:20]:
        NearestNeighbour.objects.bulk_create(
            NearestNeighbour(council=c, position=p, neighbour_gss_code=n.gss_code)
            for p, n in enumerate(councils[20:35], start=1)
        )


def count_queries(func, **kwargs) -> int:
    with CaptureQueriesContext(connection) as context:
        func(**kwargs)
    return len(context.captured_queries)


def test_query_count_is_small_and_constant(example, django_assert_max_num_queries):
    birmingham, region = example["birmingham"], example["region"]
    m = measure("ascof_2023", "2C")
    with django_assert_max_num_queries(12):
        council_scorecard(council=birmingham)
    with django_assert_max_num_queries(12):
        region_overview(region=region)
    with django_assert_max_num_queries(12):
        measure_values(measure=m, region=region)
    small = [
        count_queries(council_scorecard, council=birmingham),
        count_queries(region_overview, region=region),
        count_queries(measure_values, measure=m, region=region),
    ]

    add_national_councils(138)
    assert Council.objects.count() == 161 + 138
    for c in Council.objects.filter(slug__startswith="testshire-")[:15]:
        NearestNeighbour.objects.create(
            council=birmingham, position=100 + c.pk, neighbour_gss_code=c.gss_code
        )
    with django_assert_max_num_queries(12):
        card = council_scorecard(council=birmingham)
        assert {row.measure.domain.slug for row in card.rows}  # domains come with the measures
    with django_assert_max_num_queries(12):
        overview = region_overview(region=region)
    with django_assert_max_num_queries(12):
        values = measure_values(measure=m)
    large = [
        count_queries(council_scorecard, council=birmingham),
        count_queries(region_overview, region=region),
        count_queries(measure_values, measure=m, region=region),
    ]
    assert large == small
    # England is now 152 councils: Birmingham's 2C 512.0 is no longer in the top quarter of England.
    assert row_for(card, "2C").comparators["england"].count == 145
    assert row_for(card, "2C").quartile_england == 4
    assert row_for(card, "2C").rag is RAG.RED
    assert row_for(card, "2C").rank_of == 7  # still ranked within its region
    assert len(overview.rows) == 14
    assert len(values.rows) == 153 + 138  # current councils; former ones have no figures here
    assert any(row.rank_england == 1 for row in values.rows)
