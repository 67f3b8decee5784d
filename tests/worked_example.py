"""The worked example of docs/SCORING.md: seven West Midlands councils' figures for two measures in two years,
as pure numbers (checked by the scoring rules) and in the database (read back through the selectors, the API)."""

from decimal import Decimal

from councils.models import Council, NearestNeighbour, Region
from scorecard.areas import area_for_council, area_for_council_type, area_for_england, area_for_region
from scorecard.models import Area, Measure, Period, Value
from scorecard.periods import period_get_or_create

# docs/SCORING.md worked example; council A–G are these West Midlands councils.
EXAMPLE_COUNCILS = {
    "A": "E08000025",  # Birmingham
    "B": "E08000026",  # Coventry
    "C": "E08000027",  # Dudley
    "D": "E08000028",  # Sandwell
    "E": "E08000029",  # Solihull
    "F": "E08000030",  # Walsall
    "G": "E08000031",  # Wolverhampton
}
HIGHER = {"A": "85.0", "B": "81.2", "C": "81.2", "D": "78.4", "E": "74.0", "F": "69.5", "G": None}
HIGHER_PREVIOUS = {"A": "84.8", "B": "79.0", "C": "81.7", "D": None, "E": "76.0", "F": "69.5", "G": "70.0"}
LOWER = {"A": "512.0", "B": "640.5", "C": "598.3", "D": "598.3", "E": "702.9", "F": "455.1", "G": "810.0"}
LOWER_PREVIOUS = {
    "A": "530.0",
    "B": "650.0",
    "C": "560.0",
    "D": None,
    "E": "690.0",
    "F": "455.1",
    "G": "700.0",
}
REGION_PUBLISHED_2C = Decimal("600.0")


def measure(framework: str, code: str) -> Measure:
    return Measure.objects.get(framework=framework, code=code)


def add_values(measure_obj: Measure, period: Period, values: dict[str, str | None], *, is_demo=False) -> None:
    rows = []
    for letter, text in values.items():
        area = Area.objects.get(key=EXAMPLE_COUNCILS[letter])
        rows.append(
            Value(
                measure=measure_obj,
                period=period,
                area=area,
                value=Decimal(text) if text is not None else None,
                status=Value.Status.OK if text is not None else Value.Status.SUPPRESSED,
                is_demo=is_demo,
            )
        )
    Value.objects.bulk_create(rows)


def build_example(*, is_demo: bool = False) -> dict:
    """The worked example in 2023-24 (2A higher, 2C lower) and 2022-23 (2D, 2A2), with Birmingham's
    nearest neighbours = the other six example councils, and a published region figure for 2C."""
    for council in Council.objects.all():
        area_for_council(council=council)
    west_midlands = Region.objects.get(gss_code="E12000005")
    region_area = area_for_region(region=west_midlands)
    area_for_england()
    area_for_council_type(name="Metropolitan Districts")
    previous = period_get_or_create(start_year=2022)
    current = period_get_or_create(start_year=2023)
    add_values(measure("ascof_2023", "2A"), current, HIGHER, is_demo=is_demo)
    add_values(measure("ascof_2014", "2D"), previous, HIGHER_PREVIOUS, is_demo=is_demo)
    add_values(measure("ascof_2023", "2C"), current, LOWER, is_demo=is_demo)
    add_values(measure("ascof_2014", "2A2"), previous, LOWER_PREVIOUS, is_demo=is_demo)
    Value.objects.create(
        measure=measure("ascof_2023", "2C"),
        period=current,
        area=region_area,
        value=REGION_PUBLISHED_2C,
        is_demo=is_demo,
    )
    birmingham = Council.objects.get(gss_code=EXAMPLE_COUNCILS["A"])
    NearestNeighbour.objects.bulk_create(
        NearestNeighbour(council=birmingham, position=i, neighbour_gss_code=EXAMPLE_COUNCILS[letter])
        for i, letter in enumerate("BCDEFG", start=1)
    )
    return {"previous": previous, "current": current, "birmingham": birmingham, "region": west_midlands}
