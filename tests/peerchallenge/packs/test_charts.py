"""The pack's static SVG charts: drawn from the numbers, escaped, gaps left as gaps."""

from dataclasses import dataclass
from decimal import Decimal as D
from xml.etree import ElementTree

from peerchallenge.packs.charts import (
    RANKING_ROW_MM,
    RANKING_RULE_MM,
    TrendLine,
    ranking_bars_svg,
    ranking_widths,
    trend_figure,
    trend_svg,
)


@dataclass
class Bar:
    name: str
    value: D | None
    formatted: str
    rank: int | None
    is_subject: bool


def test_a_trend_is_valid_svg_with_a_gap_where_a_figure_is_missing_and_an_escaped_title():
    figure = trend_figure(
        ["2021-22", "2022-23", "2023-24"], [TrendLine("<b>A & B</b>", (D("10"), None, D("12.5")))]
    )
    svg = str(trend_svg(figure, title="<b>2C & co</b>"))
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    assert root.get("aria-label") == "<b>2C & co</b>" and "<b>" not in svg
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 2
    assert not root.findall("{http://www.w3.org/2000/svg}polyline")  # no line joins across the gap
    labels = [t.text for t in root.findall("{http://www.w3.org/2000/svg}text")]
    assert {"2021-22", "2022-23", "2023-24", "<b>A & B</b>", "0", "10"} <= set(labels)
    assert "No figures" in str(trend_svg(trend_figure(["2023-24"], [TrendLine("A", (None,))]), title="x"))


def test_the_ranking_bars_are_to_scale_from_zero_one_per_row_and_the_subject_is_dark():
    bars = [
        Bar("A & B", D("5"), "5.0%", 1, False),
        Bar("Birmingham", D("2.5"), "2.5%", 2, True),
        Bar("C", None, "[c]", None, False),
        Bar("D", D("0"), "0.0%", 3, False),
    ]
    assert [width for _, width in ranking_widths(bars)] == [100.0, 50.0, None, 1.0]
    root = ElementTree.fromstring(str(ranking_bars_svg(bars, title="<Ranking>")))  # noqa: S314 (our own output)
    assert root.get("aria-label") == "<Ranking>"
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert [r.get("width") for r in rects] == ["100.0", "50.0", "1.0"]  # no bar where there is no figure
    assert [r.get("fill") for r in rects] == ["#b1b4b6", "#003078", "#b1b4b6"]
    pitch = RANKING_ROW_MM + RANKING_RULE_MM
    # Each bar sits inside its own table row (the SVG spans the rows, one pitch each).
    for rect, row in zip(rects, (0, 1, 3), strict=True):
        top, height = float(rect.get("y")), float(rect.get("height"))
        assert row * pitch < top and top + height < (row + 1) * pitch
    assert root.get("height") == f"{4 * pitch:.2f}mm"
    assert not root.findall("{http://www.w3.org/2000/svg}text")  # names and values are the table's cells


def test_negative_values_scale_from_the_smallest():
    bars = [Bar("A", D("-2"), "-2", 1, False), Bar("B", D("2"), "2", 2, False)]
    assert [width for _, width in ranking_widths(bars)] == [1.0, 100.0]
