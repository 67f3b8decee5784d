"""The measure page reads through measure_values, with the documented rules (docs/SCORING.md):
ranked in England, the period's own framework preferred, one set of words for missing values, comparators
published else computed, and the nearest-neighbour median line on the trend chart."""

import csv
import io
from decimal import Decimal

import pytest

from councils.models import Council
from scorecard.areas import area_for_council
from scorecard.figures import NEAREST_NEIGHBOURS
from scorecard.measures.selectors import measure_values
from scorecard.models import Measure, Value
from scorecard.periods import period_get_or_create
from scorecard.scorecards.selectors import council_scorecard
from scorecard.scoring import status_words

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_measure_page_ranks_in_england_and_keeps_the_region_rank_in_downloads(demo, client_for):
    leeds = Council.objects.get(gss_code="E08000035")  # Yorkshire: outside the West Midlands
    measure = Measure.objects.get(key="ascof-2023-1a")
    Value.objects.create(
        measure=measure,
        period=period_get_or_create(start_year=2023),
        area=area_for_council(council=leeds),
        value=Decimal("24.0"),
        is_demo=True,
    )
    client = client_for("sli_lead")
    page = client.get("/measures/ascof-2023-1a/?period=2023-24").content.decode()
    assert "of 15" in page and "Leeds" not in page.split("Comparators")[0]  # England rank; region's rows only
    rows = _rows(client.get("/measures/ascof-2023-1a/?period=2023-24&_export=csv"))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert first["Rank in England"] == "2" and first["Councils ranked in England"] == "15"
    assert first["Rank in region"] == "1" and first["Councils ranked in region"] == "14"
    assert "Rank in England" in header


def test_the_period_s_own_framework_is_preferred_when_a_series_has_both(demo, birmingham):
    old, new = Measure.objects.get(key="ascof-2014-2a2"), Measure.objects.get(key="ascof-2023-2c")
    period = period_get_or_create(start_year=2023)
    own = Value.objects.get(measure=new, period=period, area__key=birmingham.gss_code)
    Value.objects.create(
        measure=old,
        period=period,
        area=area_for_council(council=birmingham),
        value=Decimal("1.0"),
        is_demo=True,
    )
    result = measure_values(measure=old, period=period)
    row = next(r for r in result.rows if r.council == birmingham)
    assert result.measure == new and row.value == own.value and row.code == "2C"


def test_one_set_of_words_for_missing_values(demo, birmingham, client_for):
    period = period_get_or_create(start_year=2023)
    Value.objects.filter(measure__key="ascof-2023-1a", period=period, area__key=birmingham.gss_code).update(
        status=Value.Status.SUPPRESSED, value=None
    )
    result = measure_values(measure=Measure.objects.get(key="ascof-2023-1a"), period=period)
    row = next(r for r in result.rows if r.council == birmingham)
    assert (
        (row.formatted, row.status_text) == ("[c]", status_words("suppressed")) == ("[c]", "[c] Suppressed")
    )
    card = council_scorecard(council=birmingham, period=period)
    assert next(r for r in card.rows if r.key == "ascof-2023-1a").formatted == "[c]"  # the same words


def test_trend_chart_has_the_council_s_nearest_neighbour_median(demo, client_for):
    rows = _rows(client_for("dass").get("/measures/ascof-2014-1a/?format=csv&chart=trend"))
    names = [row[0] for row in rows]
    assert "Birmingham's nearest neighbours (median)" in names  # the DASS's council has a (demo) group
    line = rows[names.index("Birmingham's nearest neighbours (median)")]
    assert all(cell for cell in line[1:])  # a figure every year
    rows = _rows(client_for("sli_lead").get("/measures/ascof-2014-1a/?format=csv&chart=trend"))
    assert not any("nearest neighbours" in row[0] for row in rows)  # no council, no neighbour line
    rows = _rows(
        client_for("sli_lead").get("/measures/ascof-2014-1a/?format=csv&chart=trend&council=E08000026")
    )
    assert "Coventry's nearest neighbours (median)" in [row[0] for row in rows]


def test_a_real_figure_never_gets_a_demo_neighbour_line(demo, birmingham):
    measure = Measure.objects.get(key="ascof-2014-1a")
    Value.objects.filter(measure__series=measure.series, area__key=birmingham.gss_code).update(is_demo=False)
    result = measure_values(measure=measure, council=birmingham)
    line = result.comparator_trends[NEAREST_NEIGHBOURS]
    assert all(c.value is None for c in line)  # Birmingham's figures are real, its group is a demo one
