"""The pack's static SVG charts: drawn from the numbers, escaped, gaps left as gaps."""

from dataclasses import dataclass
from decimal import Decimal as D
from xml.etree import ElementTree

from peerchallenge.packs.charts import ranking_svg, trend_svg


@dataclass
class Bar:
    name: str
    value: D | None
    formatted: str
    rank: int | None
    is_subject: bool


def test_a_trend_is_valid_svg_with_a_gap_where_a_figure_is_missing_and_an_escaped_title():
    svg = str(
        trend_svg([("2021-22", D("10")), ("2022-23", None), ("2023-24", D("12.5"))], title="<b>2C & co</b>")
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    assert root.get("aria-label") == "<b>2C & co</b>" and "<b>" not in svg
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 2
    assert not root.findall("{http://www.w3.org/2000/svg}polyline")  # no line joins across the gap
    labels = [t.text for t in root.findall("{http://www.w3.org/2000/svg}text")]
    assert {"2021-22", "2022-23", "2023-24", "12.5", "10"} <= set(labels)
    assert "No figures" in str(trend_svg([("2023-24", None)], title="x"))


def test_a_ranking_draws_every_council_and_marks_the_subject():
    bars = [
        Bar("A & B", D("5"), "5.0%", 1, False),
        Bar("Birmingham", D("3"), "3.0%", 2, True),
        Bar("C", None, "[c]", None, False),
    ]
    root = ElementTree.fromstring(str(ranking_svg(bars, title="Ranking")))  # noqa: S314 (our own output)
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == 2 and rects[1].get("fill") == "#003078"
    texts = [t.text for t in root.findall("{http://www.w3.org/2000/svg}text")]
    assert "A & B" in texts and "[c]" in texts and "3.0%" in texts
