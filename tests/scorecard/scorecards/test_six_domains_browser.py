"""In headless Chromium, demo mode: Birmingham's scorecard and the West Midlands heat-map show Governance and
Leadership and Resources and Workforce Management with figures, at 1280 and 390 px, passing axe. Screenshots
land in test-artifacts/."""

import pytest

from tests.browser import axe_violations, clipped, screenshot, sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

BIRMINGHAM = "E08000025"
SCORECARD = f"/councils/{BIRMINGHAM}/scorecard/"
REGION = "/regions/E12000005/scorecard/"
NEW_DOMAINS = {
    "governance-and-leadership": ("Governance and Leadership", "CQC-LA-RATING"),
    "resources-and-workforce-management": ("Resources and Workforce Management", "ASC7"),
}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_scorecard_shows_governance_and_resources_with_figures(open_page, width):
    page = open_page(SCORECARD, width)
    for name, code in NEW_DOMAINS.values():
        panel = page.locator("section.app-domain-panel", has=page.locator(f"h2:text-is('{name}')"))
        assert panel.count() == 1
        row = panel.locator(".app-measure-row", has_text=code).first
        row.scroll_into_view_if_needed()
        assert row.is_visible()
        assert row.locator(".app-measure-row__value").inner_text().strip() not in ("", "–")
    screenshot(page, f"six-domains-scorecard-{width}")
    assert clipped(page, ".app-measure-row__value, .app-measure-row__rank") == []
    assert sideways_scroll(page) == []
    if width == 1280:
        assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_heat_map_shows_each_new_domain_with_figures(open_page, width):
    for slug, (_, code) in NEW_DOMAINS.items():
        page = open_page(f"{REGION}?period=2023-24&domain={slug}", width)
        main = page.inner_text("main")
        assert "No measures in this domain have data" not in main
        assert code in main and "Birmingham" in main
        screenshot(page, f"six-domains-heatmap-{slug}-{width}")
        assert sideways_scroll(page) == []
        if width == 1280:
            assert axe_violations(page) == []
