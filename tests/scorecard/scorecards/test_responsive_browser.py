"""Readable where people read it: scorecard, compare and region pages at 1280 and 390 px wide, and on A4.

Each check fails when a figure a reader needs (value, RAG, rank, direction) is hidden, off screen, cut by
overflow or only reachable by scrolling sideways, or when the page scrolls sideways outside a labelled
table scroll area (role="region" + aria-label + tabindex="0"). Screenshots land in test-artifacts/.
"""

import re

import pytest

from tests.browser import axe_violations, clipped, screenshot, sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

BIRMINGHAM = "E08000025"
SCORECARD = f"/councils/{BIRMINGHAM}/scorecard/"
REGION = "/regions/E12000005/scorecard/"
COMPARE = "/compare/?councils=E08000025&councils=E08000026&councils=E10000034&councils=E08000027"
WIDTHS = [1280, 390]
A4_WIDTH = 794  # 210 mm at 96 px per inch
# The four things a reader needs from each measure row of a council's scorecard.
KEY_CELLS = ", ".join(f".app-measure-row__{part}" for part in ("value", "rag", "rank", "direction"))


@pytest.mark.parametrize("width", WIDTHS)
def test_scorecard_shows_value_rag_rank_and_direction_at_every_width(open_page, width):
    page = open_page(SCORECARD, width)
    screenshot(page, f"responsive-scorecard-{width}")
    rows = page.locator(".app-measure-row")
    assert rows.count() > 20
    assert clipped(page, KEY_CELLS) == []
    assert clipped(page, ".app-domain-summary tbody td") == []
    assert sideways_scroll(page) == []
    # What each figure is stays said: on a phone every cell carries its column's name.
    if width == 390:
        label = page.evaluate(
            "getComputedStyle(document.querySelector('.app-measure-row__rank'), '::before').content"
        )
        assert label == '"Rank in region"'
        value = page.locator(".app-measure-row__value").first
        assert "out of 24" in value.inner_text()  # not "18.3 o"
    assert axe_violations(page) == []


def test_the_checks_catch_a_clipped_figure_and_a_sideways_page(open_page):
    """The layout checks can fail: cut a value and widen the page, and both are reported."""
    page = open_page(SCORECARD, 390)
    page.add_style_tag(
        content=".app-measure-row__value { overflow: hidden; white-space: nowrap; max-width: 20px; }"
    )
    assert any("cut by its own overflow" in problem for problem in clipped(page, KEY_CELLS))
    page.add_style_tag(content=".govuk-main-wrapper { min-width: 900px; }")
    assert any("scrolls sideways" in problem for problem in sideways_scroll(page))
    assert any("off screen" in problem for problem in clipped(page, KEY_CELLS))


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_shows_every_council_at_every_width(open_page, width):
    page = open_page(COMPARE, width)
    screenshot(page, f"responsive-compare-{width}")
    first_row = page.locator(".app-compare-table tbody tr").first
    cells = first_row.locator(".app-compare-cell")
    assert cells.count() == 4  # every chosen council, not one
    assert clipped(page, ".app-compare-table tbody tr:first-child .app-compare-cell") == []
    assert clipped(page, ".app-compare-cell .govuk-tag, .app-compare-cell__value") == []
    assert sideways_scroll(page) == []
    if width == 390:
        labels = page.evaluate(
            "[...document.querySelectorAll('.app-compare-table tbody tr:first-child .app-compare-cell')]"
            ".map(td => getComputedStyle(td, '::before').content)"
        )
        # In the order the user entered them (compare keeps it).
        assert labels == ['"Birmingham"', '"Coventry"', '"Worcestershire"', '"Dudley"']
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_region_page_summary_fits_and_the_heatmap_table_scrolls_in_a_labelled_area(open_page, width):
    page = open_page(REGION, width)
    screenshot(page, f"responsive-region-{width}")
    assert sideways_scroll(page) == []
    assert clipped(page, ".app-region-comparators tbody td") == []
    # Headings say what the code means and the unit.
    heading = page.locator(".app-heatmap thead th").nth(1)
    assert heading.locator("abbr").get_attribute("title")
    assert heading.locator(".app-table-unit").inner_text().strip()
    units = page.locator(".app-heatmap thead .app-table-unit").all_inner_texts()
    assert "%" in units and "out of 24" in units and "per 100,000" in units
    if width == 390:
        # The wide table scrolls inside its labelled region, and the council names stay in view.
        region = page.locator("[role=region]:has(table.app-heatmap)")
        assert region.get_attribute("aria-label")
        assert region.get_attribute("tabindex") == "0"
        region.evaluate("el => { el.scrollLeft = 1200; }")
        assert region.evaluate("el => el.scrollLeft") > 1000
        name = page.locator(".app-heatmap tbody th").first
        box, area = name.bounding_box(), region.bounding_box()
        assert box is not None and area is not None
        assert abs(box["x"] - area["x"]) < 2, (box, area)
        outside = region.evaluate(
            """el => { const box = el.getBoundingClientRect();
                 return [...el.querySelectorAll('tbody th')].filter(th => { const r = th.getBoundingClientRect();
                   return r.left < box.left - 1 || r.right > box.right + 1 || r.right > window.innerWidth; })
                 .map(th => th.innerText); }"""
        )
        assert outside == []  # every council name still in view
        # The plotly heat-map gives way to its table on a phone, and says so.
        assert not page.locator("#region-heatmap").is_visible()
        assert page.locator(".app-chart__narrow-note").is_visible()
        screenshot(page, "responsive-region-390-scrolled")
    else:
        assert page.locator("#region-heatmap .main-svg").count() > 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_measure_page_trend_keeps_the_council_and_its_comparators(open_page, width):
    page = open_page(f"/measures/ascof-2023-1a/?council={BIRMINGHAM}", width)
    page.wait_for_function("document.querySelector('#chart-trend .main-svg') !== null")
    screenshot(page, f"responsive-measure-{width}")
    traces = page.evaluate(
        "document.getElementById('chart-trend').data.map(t => [t.name, t.meta, t.visible !== false])"
    )
    shown = {name for name, _, visible in traces if visible}
    assert {"Birmingham", "West Midlands", "England"} <= shown
    others = [visible for _, meta, visible in traces if meta == "secondary"]
    assert len(others) == 13
    if width == 390:
        assert not any(others)  # 13 grey lines dropped on a phone; the table has them
        assert page.locator(".app-chart__phone-note").is_visible()
    else:
        assert all(others)
    assert sideways_scroll(page) == []
    assert axe_violations(page) == []


@pytest.mark.pdf
def test_scorecard_prints_within_a4_width(open_page, page):
    open_page(SCORECARD, A4_WIDTH)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    screenshot(page, "responsive-scorecard-print-a4")
    wider = page.evaluate(
        """(width) => [...document.body.querySelectorAll('*')]
             .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5; })
             .map(el => el.tagName + '.' + el.className).slice(0, 10)""",
        A4_WIDTH,
    )
    assert wider == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
    assert clipped(page, KEY_CELLS) == []
    # No cell's text runs on into the next column (e.g. "– Not comparable" over the trend line).
    spilling = page.evaluate(
        """() => [...document.querySelectorAll('.app-measure-table td')]
             .filter(td => td.scrollWidth > td.clientWidth + 1)
             .map(td => td.className + ': ' + td.innerText.slice(0, 40)).slice(0, 10)"""
    )
    assert spilling == []
    # Navigation, filters and download links are not printed; the measure table keeps its columns.
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".app-filter").is_visible()
    assert not page.locator(".app-export-links").is_visible()
    assert page.locator(".app-measure-table thead").first.is_visible()
    # Printed to A4 the scorecard takes a handful of pages: 7 with all six domains' 64 measures (it took 8 with
    # the 51 ASCOF measures alone and columns cut off, before the print styles).
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 < pages <= 7, pages
    page.emulate_media(media="screen")


def test_the_sign_out_button_stays_within_the_page_margins_on_a_phone(open_page):
    """GOV.UK buttons are full width on a phone: no space before it may push it past the right margin."""
    page = open_page(SCORECARD, 390)
    button = page.locator("button:has-text('Sign out')").bounding_box()
    main = page.locator("main").bounding_box()
    assert main["x"] - 0.5 <= button["x"]
    assert button["x"] + button["width"] <= main["x"] + main["width"] + 0.5


@pytest.mark.parametrize("path", [SCORECARD, REGION])
def test_a_wide_pages_header_and_footer_line_up_with_its_content(open_page, path):
    page = open_page(path, 1280)
    left = {
        selector: page.locator(selector).first.bounding_box()["x"]
        for selector in ("main", ".govuk-service-navigation__service-name", ".govuk-footer__inline-list")
    }
    assert max(left.values()) - min(left.values()) < 1, left
