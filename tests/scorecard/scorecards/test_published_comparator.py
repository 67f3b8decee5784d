"""A published median imported beside the figures (``--median-column``, Oflog's MEDIAN) is kept as a
published comparator and shown on the measure page and the council's scorecard beside the computed ones,
labelled with where it was published."""

import pytest

from scorecard.models import Value
from tests.mapped_helpers import OFLOG_HEADER, oflog_row, run, write

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY = "E08000025", "E08000026"
SOURCE = "Oflog Local Authority Data Explorer, adult social care metrics (ASC1-ASC7)"


@pytest.fixture
def imported(tmp_path):
    lines = [
        OFLOG_HEADER,
        oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "31.5", median="28.75"),
        oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "27.5", median="28.75"),
    ]
    assert run(write(tmp_path, "explorer.csv", lines), "--mapping", "oflog-asc")[0] == 0
    median = Value.objects.get(breakdown=Value.MEDIAN)
    assert median.note == f"Median of England's councils, as published in {SOURCE}"


def test_the_measure_page_shows_the_published_median_beside_the_computed_comparators(imported, client_for):
    page = client_for("dass").get("/measures/national-asc7/?period=2022-23").content.decode()
    row = page[page.index('id="published-median"') :].split("</tr>")[0]
    assert "England median, as published" in row and "28.8%" in row and SOURCE in row
    # The computed England comparator is still there: the median of the two councils loaded.
    assert "Computed: median of 2 councils" in page and "29.5%" in page


def test_the_council_scorecard_shows_it_with_its_source(imported, client_for):
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/scorecard/?period=2022-23").content.decode()
    assert "England median, as published: 28.8%" in page
    assert f"(Median of England&#x27;s councils, as published in {SOURCE})" in page
    page_text = " ".join(page.split())
    assert 'England: 29.5% <span class="govuk-body-s app-muted">(computed)' in page_text, page_text[
        page_text.find("England:") :
    ][:300]


def test_without_a_published_median_nothing_is_claimed(tmp_path, client_for):
    lines = ["Local authority code,Value", f"{BIRMINGHAM},31.5", f"{COVENTRY},27.5"]
    path = write(tmp_path, "plain.csv", lines)
    assert run(path, "--area", "Local authority code", "--value", "Value", "--period", "2022-23",
               "--measure", "national-asc7")[0] == 0  # fmt: skip
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/scorecard/?period=2022-23").content.decode()
    assert "England median, as published" not in page
    measure = client_for("dass").get("/measures/national-asc7/?period=2022-23").content.decode()
    assert 'id="published-median"' not in measure
