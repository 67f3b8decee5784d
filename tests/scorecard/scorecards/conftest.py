import pytest

from tests.browser import sign_in
from tests.factories import PASSWORD


@pytest.fixture
def open_page(page, live_server, dass):
    """``open_page(path, width)``: signed in as Birmingham's DASS, at that width, page loaded."""
    # Pages load plotly.js (4.8 MB); on a busy CI machine that can take longer than Playwright's 30 s default.
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    sign_in(page, live_server.url, "dass.birmingham", PASSWORD)

    def go(path: str, width: int):  # type: ignore[no-untyped-def]
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        return page

    return go
