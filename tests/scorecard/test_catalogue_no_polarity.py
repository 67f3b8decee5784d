"""Measures with no polarity (turnover, spend, demand: "better" is contested) show their value, a place by size
and comparators, but no RAG, no quartile and no better/worse wording: in the scoring module, on the council's
scorecard, the region's heat-map, the measure page and in the API. A national measure with no figures in a year
adds no row of blanks."""

import pytest

from councils.models import Council
from scorecard import scoring
from scorecard.models import Period
from scorecard.scorecards.selectors import council_scorecard, region_overview
from tests.mapped_helpers import run, write

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"


def test_scoring_places_by_size_and_never_says_better():
    values = {"a": 30, "b": 25, "c": 25, "d": None}
    ranks = scoring.rank_values(values, polarity="none")
    assert ranks["a"].label == "1st highest of 3"
    assert ranks["b"].label == "joint 2nd highest of 3"
    assert ranks["d"].label == ""
    assert set(scoring.quartile_values(values, polarity="none").values()) == {None}
    assert scoring.rag_for_quartile(4, polarity="none") is None
    assert scoring.direction_of_travel(current=30, previous=20, polarity="none", unit="percent") is (
        scoring.Direction.INCREASING
    )
    comment = scoring.commentary_for(
        name="Birmingham", value=40, group_values=[20, 22, 24, 26], polarity="none", unit="percent"
    )
    assert comment is not None and comment.comparison == "higher"
    assert "better" not in comment.text and "worse" not in comment.text


@pytest.fixture
def turnover(tmp_path, west_midlands):
    """Turnover (ASC7, no polarity) for every West Midlands council in two years."""
    councils = list(Council.objects.filter(region=west_midlands).order_by("gss_code"))
    lines = ["Council,2021-22,2022-23"]
    for i, council in enumerate(councils):
        lines.append(f"{council.name},{20 + i},{22 + i * 1.5}")
    status, _, err = run(
        write(tmp_path, "turnover.csv", lines), "--area", "Council", "--wide", "--measure", "ASC7"
    )
    assert status == 0, err
    return councils


def test_the_scorecard_row_has_a_place_by_size_and_no_rag(turnover):
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    card = council_scorecard(council=birmingham, period=Period.objects.get(label="2022-23"))
    section = next(
        s for s in card.domains if s.domain and s.domain.slug == "resources-and-workforce-management"
    )
    row = next(r for r in section.rows if r.code == "ASC7")
    assert row.rank == 10 and row.rank_label == "10th highest of 14"  # 5th of 14 by code: 9 higher
    assert row.rag is None and row.quartile_england is None and row.quartile_region is None
    assert row.direction is scoring.Direction.INCREASING
    assert row.comparators["region"].value is not None  # comparators still shown
    assert section.summary.worsening == 0


def test_the_heat_map_cells_have_no_rag(turnover, west_midlands):
    overview = region_overview(region=west_midlands, period=Period.objects.get(label="2022-23"))
    index = [m.code for m in overview.measures].index("ASC7")
    cells = [row.cells[index] for row in overview.rows]
    assert all(cell.rag is None and cell.quartile_england is None for cell in cells)
    assert sorted(cell.rank_label for cell in cells)[0].endswith("highest of 14")


def test_pages_and_api_word_it_without_better_or_worse(turnover, client_for):
    client = client_for("sli_lead")
    page = client.get("/measures/national-asc7/?period=2022-23").content.decode()
    assert "Neither: higher or lower is not in itself better" in page
    assert "highest first" in page and "best first" not in page
    region = client.get("/regions/E12000005/scorecard/?period=2022-23").content.decode()
    assert "highest of 14" in region
    api = client_for("dass").get(f"/api/councils/{BIRMINGHAM}/scorecard/", {"period": "2022-23"}).json()
    row = next(m for m in api["measures"] if m["code"] == "ASC7")
    assert (row["rank"], row["rank_by_size"], row["rag"], row["quartile_england"]) == (10, True, None, None)


def test_a_national_measure_without_figures_in_a_year_adds_no_row(turnover):
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    card = council_scorecard(council=birmingham, period=Period.objects.get(label="2022-23"))
    codes = {row.code for row in card.rows}
    assert "ASC7" in codes
    assert not codes & {"SFC-VACANCY", "CQC-LA-RATING", "ASCFR-GCE-ADULT"}
