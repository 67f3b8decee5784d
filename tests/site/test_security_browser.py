"""Browser checks for sign-in security: the lockout page, and that a CSP violation fails a browser test."""

import pytest

from tests.browser import axe_violations, csp_violations_in_page, screenshot, watch_csp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_locked_out_sign_in_page_is_clear_and_accessible(page, live_server, dass, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "dass.birmingham")
        page.fill("#id_password", "not-the-password")
        page.click("button:has-text('Sign in')")
    assert page.locator("h1").inner_text() == "Too many attempts to sign in"
    assert "paused for 15 minutes" in page.content()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"sign-in-locked-out-{width}")
    assert axe_violations(page) == []


def test_the_csp_hook_catches_an_inline_script(browser, live_server):
    """The `page` fixture fails any browser test on a CSP violation; show that it sees one."""
    page = browser.new_page()
    violations = watch_csp(page)
    page.route(
        f"{live_server.url}/csp-probe",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
            body="<!DOCTYPE html><title>probe</title><script>document.title = 'ran';</script>",
        ),
    )
    page.goto(f"{live_server.url}/csp-probe")
    page.wait_for_timeout(200)
    violations.extend(csp_violations_in_page(page))
    assert page.title() == "probe"  # the inline script was blocked
    assert violations and any("script-src" in v or "Content Security Policy" in v for v in violations)
    page.close()
