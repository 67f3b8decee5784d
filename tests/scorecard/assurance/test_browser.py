"""CQC outcome pages in headless Chromium at desktop and phone widths and in print: no axe-core violations,
nothing scrolled sideways outside a labelled table region, the region's table within A4; a screenshot of each
(test-artifacts/, and copied to $SCREENSHOT_COPY_DIR when set)."""

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.browser import axe_violations, click_and_load, screenshot, sideways_scroll, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = ((1280, "desktop"), (390, "phone"))
A4_WIDTH = 794
BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"
COPY_TO = os.environ.get("SCREENSHOT_COPY_DIR", "")  # also copy the screenshots there, when set


@pytest.fixture
def cqc_world(transactional_db, demo, request):  # type: ignore[no-untyped-def]
    """The West Midlands' demo figures and demo CQC outcomes, and a real outcome (with an earlier
    one) for Birmingham."""
    from councils.models import Council
    from scorecard.assurance.demo import cqc_demo_seed
    from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
    from scorecard.scoring import CqcRating

    cqc_demo_seed(region_gss_code=WEST_MIDLANDS)
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    for month, scores, rating in (
        (date(2024, 2, 1), (2, 2, 2, 3, 2, 2, 2, 2, 2), CqcRating.REQUIRES_IMPROVEMENT),
        (date(2025, 5, 1), (3, 3, 3, 3, 3, 3, 3, 4, 4), CqcRating.GOOD),
    ):
        cqc_assessment_save(
            outcome=CqcOutcome(
                council=birmingham,
                assessed_on=month,
                scores=scores,
                rating=rating,
                report_url="https://www.cqc.org.uk/care-services/local-authority-assessment-reports/birmingham",
            )
        )
    request.getfixturevalue("sli_lead")


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    path = screenshot(page, name)
    if path and COPY_TO and Path(COPY_TO).is_dir():
        shutil.copy(path, Path(COPY_TO) / path.name)


def check(page, name: str) -> None:  # type: ignore[no-untyped-def]
    for width, suffix in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert page.locator("h1").count() == 1
        shoot(page, f"cqc-{name}-{suffix}")
        assert axe_violations(page) == [], (name, suffix)
        assert (problems := sideways_scroll(page)) == [], "\n".join(problems)


def test_cqc_pages_pass_axe_at_desktop_and_phone_widths_and_print_within_a4(page, live_server, cqc_world):
    page.set_default_timeout(120_000)
    sign_in(page, live_server.url, "sli.lead", PASSWORD)
    page.goto(f"{live_server.url}/regions/{WEST_MIDLANDS}/cqc/")
    main = page.locator("main").inner_text()
    assert "Birmingham" in main and "80.6" in main and "Demo" in main
    check(page, "region")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.emulate_media(media="print")
    shoot(page, "cqc-region-print-a4")
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
    assert not page.locator(".app-export-links").is_visible()
    page.emulate_media(media="screen")

    click_and_load(page, "a:has-text('Birmingham')")
    assert "Earlier assessments" in page.locator("main").inner_text()
    # Under each statement, the measures that inform it with Birmingham's figure, RAG in words and rank.
    safeguarding = page.locator("#statement-7-measures + p + dl")
    assert "feel safe" in safeguarding.inner_text() and "Rank in region" in safeguarding.inner_text()
    assert safeguarding.locator(".govuk-summary-list__row").count() >= 2
    check(page, "council")

    click_and_load(page, "a:has-text('Record an assessment')")
    page.fill("#id_assessed", "Maytime")
    click_and_load(page, "button:has-text('Save the assessment')")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, "form-errors")
