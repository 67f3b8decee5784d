"""Charts and small trend lines that show the council in question, end at the year shown and leave gaps."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from scorecard.charts import (
    DARK_BLUE,
    MUTED_LINE,
    PALE_BLUE,
    BarItem,
    ReferenceLine,
    TrendSeries,
    ranking_bar_chart,
    trend_chart,
)
from scorecard.demo import demo_values_seed
from scorecard.templatetags.scorecard_tags import sparkline

BIRMINGHAM = "E08000025"
PERIODS = ["2018-19", "2019-20", "2021-22", "2022-23"]  # no 2020-21 figures at all (the survey gap)


def _figure(bundle) -> dict:  # type: ignore[no-untyped-def]
    match = re.search(r'<script id="[^"]+-data" type="application/json">(.*?)</script>', bundle.html, re.S)
    assert match, bundle.html[:200]
    return json.loads(match.group(1))


def _lines() -> list[TrendSeries]:
    return [
        TrendSeries("Birmingham", [18.0, 18.2, None, 18.4], highlight=True),
        TrendSeries("Coventry", [19.0, 19.1, 19.2, 19.3]),
        TrendSeries("Dudley", [18.5, None, 18.6, 18.7]),
        TrendSeries("England", [18.7, 18.8, 18.9, 19.0], comparator=True, dashed=True),
    ]


def test_trend_puts_a_missing_year_back_as_a_gap_and_never_joins_it():
    bundle = trend_chart(title="1A trend", periods=PERIODS, series=_lines(), chart_id="t")
    spec = _figure(bundle)
    by_name = {trace["name"]: trace for trace in spec["data"]}
    assert by_name["Birmingham"]["x"] == ["2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]
    assert by_name["Birmingham"]["y"] == [18.0, 18.2, None, None, 18.4]
    assert all(trace["connectgaps"] is False for trace in spec["data"])
    assert bundle.table.headers == ["Area", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]
    assert bundle.table.rows[0] == ["Birmingham", "18", "18.2", "–", "–", "18.4"]
    assert "gaps" in bundle.summary and "Birmingham is highlighted" in bundle.summary
    assert "<script>" not in bundle.html  # drawn by static/src/charts.js, not an inline script


def test_trend_on_an_older_year_ends_at_that_year():
    bundle = trend_chart(title="t", periods=PERIODS, series=_lines(), end_period="2019-20", chart_id="t")
    spec = _figure(bundle)
    assert {tuple(trace["x"]) for trace in spec["data"]} == {("2018-19", "2019-20")}
    assert bundle.table.csv_headers == ["Area", "2018-19", "2019-20"]
    assert bundle.table.csv_rows[0] == ["Birmingham", 18.0, 18.2]


def test_trend_highlights_the_council_and_mutes_the_others():
    spec = _figure(trend_chart(title="t", periods=PERIODS, series=_lines(), chart_id="t"))
    roles = {trace["meta"]: trace for trace in spec["data"]}
    assert roles["focus"]["line"]["color"] == DARK_BLUE and roles["focus"]["line"]["width"] == 4
    others = [trace for trace in spec["data"] if trace["meta"] == "secondary"]
    assert len(others) == 2 and {trace["line"]["color"] for trace in others} == {MUTED_LINE}
    assert [trace.get("showlegend", True) for trace in others].count(True) == 1  # one legend entry for all
    assert roles["comparator"]["name"] == "England"
    assert spec["data"][-1]["meta"] != "secondary"  # grey lines drawn first, underneath
    # Without a focus council every council keeps its own colour.
    plain = [TrendSeries(line.label, line.values, comparator=line.comparator) for line in _lines()]
    spec = _figure(trend_chart(title="t", periods=PERIODS, series=plain, chart_id="t"))
    assert "secondary" not in {trace["meta"] for trace in spec["data"]}
    assert len({trace["line"]["color"] for trace in spec["data"]}) == 4


def test_every_comparator_line_has_a_legend_swatch_of_its_own():
    """The region, England and the nearest neighbours' median are told apart by colour, dash or marker."""
    series = [
        TrendSeries("Birmingham", [18.0, 18.2, 18.3, 18.4], highlight=True),
        TrendSeries("West Midlands", [18.7, 18.8, 18.9, 19.0], comparator=True),
        TrendSeries("England", [18.6, 18.7, 18.8, 18.9], comparator=True),
        TrendSeries("Birmingham's nearest neighbours (median)", [18.1, 18.3, 18.5, 18.6], comparator=True),
    ]
    spec = _figure(trend_chart(title="t", periods=PERIODS, series=series, chart_id="t"))
    styles = {
        (trace["line"]["color"], trace["line"]["dash"], trace["marker"]["symbol"])
        for trace in spec["data"]
        if trace["meta"] == "comparator"
    }
    assert len(styles) == 3


def _bars(*, axis_from_zero: bool = True) -> dict:
    items = [
        BarItem("Birmingham", 18.3, "18.3", highlight=True),
        BarItem("Coventry", 19.3, "19.3"),
        BarItem("Dudley", 18.6, "18.6"),
        BarItem("Sandwell", None, "[c] Suppressed"),
    ]
    refs = [ReferenceLine("West Midlands", 18.7, "18.7"), ReferenceLine("England", 18.8, "18.8")]
    return _figure(
        ranking_bar_chart(
            title="1A",
            items=items,
            higher_is_better=True,
            reference_lines=refs,
            value_label="Score out of 24",
            chart_id="r",
            axis_from_zero=axis_from_zero,
        )
    )


def test_ranking_bars_highlight_the_council_and_keep_comparator_lines_under_the_labels():
    spec = _bars()
    bar = spec["data"][0]
    assert bar["type"] == "bar"
    assert bar["y"] == ["Coventry", "Dudley", "<b>Birmingham</b>"]
    assert bar["marker"]["color"] == [PALE_BLUE, PALE_BLUE, DARK_BLUE]
    assert bar["insidetextfont"]["color"][2] == "#ffffff"
    lines = [shape for shape in spec["layout"]["shapes"] if shape["type"] == "line"]
    assert len(lines) == 2 and all(shape["layer"] == "below" for shape in lines)
    assert spec["layout"]["xaxis"]["range"][0] == 0


def test_scores_out_of_n_get_a_dot_plot_on_an_axis_that_shows_the_differences():
    spec = _bars(axis_from_zero=False)
    dots = spec["data"][0]
    assert dots["type"] == "scatter" and dots["mode"] == "markers"
    low, high = spec["layout"]["xaxis"]["range"]
    assert 17.5 < low < 18.3 and 19.3 < high < 20.5  # not 0 to 24: a 1-point spread is visible
    assert "not 0" in spec["layout"]["xaxis"]["title"]["text"]
    assert dots["y"][-1] == "<b>Birmingham  18.3</b>"  # values in the labels, clear of the lines


def test_sparkline_ends_at_the_year_shown_and_breaks_at_a_gap():
    points = [("2018-19", 1), ("2019-20", 2), ("2021-22", 3), ("2022-23", 4), ("2023-24", 5)]
    svg = str(sparkline(points))
    assert svg.count("<polyline") == 2  # 2018-20 and 2021-24, not joined across 2020-21
    assert "no figure for 2020-21" in svg
    older = str(sparkline(points, until="2021-22"))
    assert "2022-23" not in older and "2023-24" not in older and "2021-22: 3" in older
    assert "Not enough years" in str(sparkline(points, until="2018-19"))
    assert "Not enough years" in str(sparkline([("2019-20", 1), ("2020-21", None)]))


def test_no_template_has_a_multi_line_hash_comment():
    """Django's {# #} is one line only: a multi-line one prints as text."""
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "{#" in line and "#}" not in line[line.index("{#") :]:
                offenders.append(f"{path}:{number}")
    assert offenders == []


@pytest.mark.django_db
def test_sign_in_error_page_prints_no_template_comment(client, dass):
    page = client.post(
        reverse("login"), {"username": "dass.birmingham", "password": "wrong"}
    ).content.decode()
    assert "There is a problem" in page
    assert "{#" not in page and "GOV.UK error summary" not in page


@pytest.mark.django_db
def test_region_headings_say_what_the_code_means_and_the_unit(client_for, sli_lead):
    demo_values_seed()
    page = client_for("sli_lead").get("/regions/E12000005/scorecard/?period=2023-24").content.decode()
    assert '<abbr title="Social care-related quality of life">1A</abbr>' in page
    assert '<span class="app-table-unit">out of 24</span>' in page
    assert '<span class="app-table-unit">per 100,000</span>' in page
    assert 'aria-label="Councils by measure: figure, RAG and rank in the region"' in page
    # The export keeps the bare codes (one row per figure, its code in the "Code" column) and no markup.
    csv = client_for("sli_lead").get("/regions/E12000005/scorecard/?period=2023-24&_export=csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    code = lines[0].split(",").index("Code")
    assert "1A" in {line.split(",")[code] for line in lines[1:]}
    assert "abbr" not in csv.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_measure_page_highlights_the_council_it_was_opened_from(client_for, sli_lead):
    demo_values_seed()
    url = reverse("scorecard:measure-detail", kwargs={"key": "ascof-2023-1a"})
    response = client_for("sli_lead").get(url, {"council": BIRMINGHAM, "period": "2021-22"})
    ranking = _figure(response.context["ranking_chart"])
    assert ranking["data"][0]["type"] == "scatter"  # a score out of 24: dot plot
    assert [label for label in ranking["data"][0]["y"] if label.startswith("<b>")] == [
        next(label for label in ranking["data"][0]["y"] if "Birmingham" in label)
    ]
    trend = _figure(response.context["trend_chart"])
    focus = next(trace for trace in trend["data"] if trace["meta"] == "focus")
    assert focus["name"] == "Birmingham"
    assert focus["x"][-1] == "2021-22"  # ends at the year shown
    assert "to 2021-22" in response.context["trend_chart"].title
    # A council from outside the region (or nonsense) is ignored rather than an error.
    response = client_for("sli_lead").get(url, {"council": "<script>"})
    assert response.status_code == 200
    trend = _figure(response.context["trend_chart"])
    assert "focus" not in {trace["meta"] for trace in trend["data"]}


@pytest.mark.django_db
def test_scorecard_links_measures_with_the_council_and_keeps_the_self_rating_slot(client_for, dass):
    demo_values_seed()
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/scorecard/?period=2022-23").content.decode()
    assert f"?period=2022-23&amp;council={BIRMINGHAM}" in page
    assert page.count('class="app-domain-panel"') == 6
    # The trend sparkline ends at the year shown.
    assert "2023-24:" not in page.split('class="app-domain-panel"', 1)[1]
