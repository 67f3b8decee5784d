"""The browser tests' own checks, on pages made to fail them: axe-core reports what it should."""

import pytest

from tests.browser import axe_violations

pytestmark = pytest.mark.browser


def test_axe_reports_an_image_without_alternative_text_and_a_page_without_a_language(page):
    page.set_content("<!doctype html><title>Broken</title><main><h1>Broken</h1><img src='data:,'></main>")
    found = {violation["id"]: violation for violation in axe_violations(page)}
    assert {"image-alt", "html-has-lang"} <= set(found)
    assert found["image-alt"]["targets"] == [["img"]]
