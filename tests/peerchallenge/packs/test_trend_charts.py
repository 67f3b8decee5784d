"""Trend charts that do not mislead: a value axis from zero unless the figures' differences would vanish (and
then a note saying so), the council with its region and England in a legend, every period labelled, and the
same figures in the table beside the chart. Asserted on the figure's data and the SVG's elements, not pixels."""

from decimal import Decimal as D
from xml.etree import ElementTree

import pytest

from councils.models import Council
from peerchallenge.packs import selectors
from peerchallenge.packs.charts import LINE_STYLES, TrendLine, trend_figure, trend_svg
from peerchallenge.templatetags.packs import block_trend_figure, trend_table
from scorecard.axes import VISIBLE_SHARE, ZOOM_MIN_SHARE, value_axis
from scorecard.figures import ENGLAND, REGION
from tests.pack_helpers import BIRMINGHAM

SVG = "{http://www.w3.org/2000/svg}"
PERIODS = ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]

# The tests of the pack read the demo figures and self-assessments, seeded once for them all (the others
# use no database).
pytestmark = pytest.mark.usefixtures("self_assessed_demo_once_per_module")


def svg_root(figure, title="Trend"):  # type: ignore[no-untyped-def]
    return ElementTree.fromstring(str(trend_svg(figure, title=title)))  # noqa: S314 (our own output)


def texts(root) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.text or "" for t in root.iter(f"{SVG}text")]


# --- The value axis (scorecard/axes.py) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "unit", "top"),
    [
        ([D("5.1"), D("7.0"), D("6.2")], "percent", 8),  # employment of adults with a learning disability
        ([D("512.3"), D("650.0"), D("560.4")], "rate_100k", 800),  # admissions per 100,000
        ([D("0.35"), D("0.44")], "score", 0.5),  # a quality-of-life impact score
        ([D("80.1"), D("80.1")], "percent", 100),  # a flat line is drawn flat, from zero
    ],
)
def test_an_axis_starts_at_zero_when_the_differences_show_on_it(values, unit, top):
    axis = value_axis(values, unit=unit)
    assert axis.low == 0 and axis.starts_at_zero and axis.note == ""
    assert axis.high == top and axis.ticks[0] == 0 and axis.ticks[-1] == top
    assert all(axis.low <= float(v) <= axis.high for v in values)


def test_a_percentage_axis_is_raised_only_when_the_change_would_vanish_and_says_so():
    """80.1% → 80.3% beside England's 79.4%: on a zero-based axis the lines would be one line (under a tenth
    of the height); the raised axis still spans a quarter of it, so the 0.2-point change is a small step, not
    a collapse, and the note names where it starts."""
    values = [D("80.1"), D("80.3"), D("79.4")]
    zero_based_top = 100
    spread = 80.3 - 79.4
    assert spread < VISIBLE_SHARE * zero_based_top
    axis = value_axis(values, unit="percent", label=lambda v: f"{v:g}%")
    assert not axis.starts_at_zero and axis.low > 0
    assert axis.note == f"The axis starts at {axis.low:g}%, not zero"
    assert axis.high - axis.low >= ZOOM_MIN_SHARE * zero_based_top
    assert axis.high <= 100  # never past what a percentage can reach
    assert (80.3 - 80.1) / (axis.high - axis.low) < 0.02  # the change is under 2% of the chart's height
    assert axis.ticks[0] == axis.low and axis.ticks[-1] == axis.high


def test_a_score_axis_keeps_within_its_scale_and_negative_figures_keep_zero_on_the_axis():
    axis = value_axis([D("18.9"), D("19.4")], unit="score", scale_max=D("24"))
    assert not axis.starts_at_zero and axis.high <= 24 and axis.low <= 18.9
    assert value_axis([D("-2.5"), D("3")], unit="ratio").ticks.count(0.0) == 1
    empty = value_axis([None, None], unit="percent")
    assert empty.low == 0 and empty.starts_at_zero


# --- The pack's trend chart (peerchallenge/packs/charts.py) ---------------------------------------------


def three_lines(council, region, england):  # type: ignore[no-untyped-def]
    return [
        TrendLine("Birmingham", tuple(council), "council"),
        TrendLine("West Midlands", tuple(region), "region"),
        TrendLine("England", tuple(england), "england"),
    ]


def test_the_trend_draws_the_region_and_england_with_a_legend_and_labels_every_period():
    lines = three_lines(
        [D("40"), D("42"), None, D("45"), D("47")],
        [D("38"), D("39"), D("40"), D("41"), D("42")],
        [D("44"), D("44"), D("45"), D("45"), D("46")],
    )
    figure = trend_figure(PERIODS, lines, unit="percent", label=lambda v: f"{v:g}%")
    assert figure.axis.starts_at_zero and figure.tick_labels[0] == "0%"
    root = svg_root(figure)
    words = texts(root)
    assert set(PERIODS) <= set(words)  # every period on the axis
    assert set(figure.tick_labels) <= set(words)  # every tick labelled, not only the minimum and maximum
    assert len(figure.tick_labels) >= 3
    assert {"Birmingham", "West Midlands", "England"} <= set(words)  # the legend
    assert not any("not zero" in w for w in words)
    dashes = {line.get("stroke-dasharray") for line in root.iter(f"{SVG}polyline")}
    assert {LINE_STYLES["region"][1], LINE_STYLES["england"][1]} <= dashes  # told apart without colour
    # The council's line breaks at its gap: two runs; the comparators' are whole.
    council_runs = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == LINE_STYLES["council"][0]]
    assert len(council_runs) == 2


def test_a_raised_axis_is_noted_on_the_chart_and_points_sit_where_the_axis_says():
    lines = three_lines([D("80.1"), D("80.3")], [D("79.9"), D("80.0")], [D("79.4"), D("79.6")])
    figure = trend_figure(PERIODS[:2], lines, unit="percent", label=lambda v: f"{v:g}%")
    assert not figure.axis.starts_at_zero
    root = svg_root(figure)
    assert figure.axis.note in texts(root)
    # The grid lines for the lowest and highest ticks bound the plot: a point's height is in proportion.
    grid = sorted(
        (float(line.get("y1")), tick)
        for line, tick in zip(
            [e for e in root.iter(f"{SVG}line") if e.get("x1") == "34"][: len(figure.axis.ticks)],
            figure.axis.ticks,
            strict=True,
        )
    )
    (bottom_y, _), (top_y, _) = grid[-1], grid[0]
    dots = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    expected = [bottom_y - (bottom_y - top_y) * figure.axis.position(v) for v in (80.1, 80.3)]
    assert dots == pytest.approx(expected, abs=0.1)


# --- In the pack ------------------------------------------------------------------------------------------


def test_each_charted_measure_is_drawn_with_the_scorecards_region_and_england_figures(demo_summit):
    """The chart's last point of each line is the figure the scorecard's table prints; its table has a row for
    every period drawn and a column for every line."""
    birmingham = Council.objects.select_related("region").get(gss_code=BIRMINGHAM)
    pack = selectors.pack_build_data(council=birmingham, summit=demo_summit)
    assert pack.blocks
    until = pack.period.start_year
    for block in pack.blocks:
        row = block.row
        assert block.trend_periods == [p.label for p in pack.card.periods if p.start_year <= until]
        assert [line.kind for line in block.trend_lines] == ["council", "region", "england"]
        assert [line.label for line in block.trend_lines] == ["Birmingham", "West Midlands", "England"]
        council, region, england = block.trend_lines
        assert council.values[-1] == row.value
        assert region.values[-1] == row.comparators[REGION].value
        assert england.values[-1] == row.comparators[ENGLAND].value
        figure = block_trend_figure(block)
        values = [float(v) for line in block.trend_lines for v in line.values if v is not None]
        assert figure.axis.low <= min(values) and max(values) <= figure.axis.high
        assert bool(figure.axis.note) is not figure.axis.starts_at_zero
        table = trend_table(block)
        assert [cells[0] for cells in table] == block.trend_periods
        assert all(len(cells) == 1 + len(block.trend_lines) for cells in table)


def test_charting_more_measures_costs_no_more_queries(demo_summit, monkeypatch):
    """The comparators' trends come from the period statistics kept per data version: with them kept, a pack
    with six charts runs the same queries as a pack with one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    birmingham = Council.objects.select_related("region").get(gss_code=BIRMINGHAM)
    selectors.pack_build_data(council=birmingham, summit=demo_summit)  # the period statistics kept
    counts = {}
    for charts in (1, 6):
        monkeypatch.setattr(selectors, "CHARTS_MAX", charts)
        with CaptureQueriesContext(connection) as queries:
            pack = selectors.pack_build_data(council=birmingham, summit=demo_summit)
        assert len(pack.blocks) == charts
        counts[charts] = len(queries.captured_queries)
    assert counts[1] == counts[6]


# --- The measure page's trend (scorecard/charts.py) follows the same rule -----------------------------------


def _plotly_spec(bundle) -> dict:  # type: ignore[no-untyped-def]
    import json
    import re

    match = re.search(r'<script id="[^"]+-data" type="application/json">(.*?)</script>', bundle.html, re.S)
    assert match
    return json.loads(match.group(1))


def test_the_measure_pages_trend_axis_starts_at_zero_or_says_where_it_starts():
    from scorecard.charts import TrendSeries, trend_chart

    wide = [
        TrendSeries("Birmingham", [40.0, 55.0, 61.0], highlight=True),
        TrendSeries("England", [50.0, 52.0, 53.0], comparator=True),
    ]
    spec = _plotly_spec(
        trend_chart(title="t", periods=PERIODS[:3], series=wide, unit="percent", chart_id="t")
    )
    assert spec["layout"]["yaxis"]["range"][0] == 0
    assert "not zero" not in str(spec["layout"]["yaxis"]["title"])
    close = [
        TrendSeries("Birmingham", [80.1, 80.3, 80.2], highlight=True),
        TrendSeries("England", [79.4, 79.6, 79.5], comparator=True),
    ]
    bundle = trend_chart(
        title="t",
        periods=PERIODS[:3],
        series=close,
        unit="percent",
        chart_id="t",
        tick_text=lambda v: f"{v:g}%",
    )
    spec = _plotly_spec(bundle)
    low, high = spec["layout"]["yaxis"]["range"]
    assert 0 < low <= 79.4 and 80.3 <= high <= 100 and high - low >= ZOOM_MIN_SHARE * 100
    assert f"The axis starts at {low:g}%, not zero" in spec["layout"]["yaxis"]["title"]["text"]
    assert "not zero" in bundle.summary
    assert spec["layout"]["yaxis"]["tickvals"][0] == low


# --- Building the PDF ---------------------------------------------------------------------------------------


def test_the_pdf_is_laid_out_with_the_cycle_collector_paused_and_resumed_after(demo_summit, monkeypatch):
    """The collector is paused while WeasyPrint lays the pack out (a sixth of its build time went on it) and
    resumed as it was found, even when the build fails; every pack of a process shares one font set-up."""
    import gc

    from peerchallenge.packs import pdf

    seen = []
    original = pdf._pack_html_class()

    class Recording(original):  # type: ignore[misc,valid-type]
        def write_pdf(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append((gc.isenabled(), kwargs.get("font_config")))
            return super().write_pdf(*args, **kwargs)

    monkeypatch.setattr(pdf, "_pack_html_class", lambda: Recording)
    birmingham = Council.objects.select_related("region").get(gss_code=BIRMINGHAM)
    pack = selectors.pack_build_data(council=birmingham, summit=demo_summit)
    assert pdf.pack_pdf(pack=pack).startswith(b"%PDF") and pdf.pack_pdf(pack=pack)
    assert gc.isenabled()
    assert [enabled for enabled, _ in seen] == [False, False]
    assert seen[0][1] is seen[1][1] is not None
    with pytest.raises(RuntimeError), pdf.collector_paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with pdf.collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
