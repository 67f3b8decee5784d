"""``?period=`` is read in one place (scorecard.periods): an unknown period is a 404 on every page and a 400
in every API route; a known one, in any spelling of a financial year, is used."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once_per_module")]

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"
PAGES = [
    f"/councils/{BIRMINGHAM}/scorecard/",
    f"/regions/{WEST_MIDLANDS}/scorecard/",
    "/compare/?councils=Birmingham&councils=Coventry",
    "/compare/",
    "/measures/ascof-2023-2c/",
    "/measures/ascof-2023-2c/?format=csv&chart=trend",
    "/measures/ascof-2023-2c/?_export=csv",
]
API = [f"/api/councils/{BIRMINGHAM}/scorecard/", "/api/measures/ascof-2023-2c/values/"]
UNKNOWN = ["1999-00", "nonsense", "2023-25", "<script>", "2030-31"]


def _with(url: str, period: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}period={period}"


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("period", UNKNOWN)
def test_unknown_period_is_404_on_every_page(demo, client_for, url, period):
    assert client_for("dass").get(_with(url, period)).status_code == 404


@pytest.mark.parametrize("url", API)
@pytest.mark.parametrize("period", UNKNOWN)
def test_unknown_period_is_400_in_every_api_route(demo, client_for, url, period):
    response = client_for("dass").get(_with(url, period))
    assert response.status_code == 400
    detail = response.json()["detail"].lower()
    assert "period" in detail or "no data" in detail


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("period", ["2022-23", "2022/23", "2022-2023"])
def test_known_period_in_any_spelling_is_used(demo, client_for, url, period):
    response = client_for("dass").get(_with(url, period))
    assert response.status_code == 200
    if "_export" not in url and "format=" not in url and url != "/compare/":
        assert "2022-23" in response.content.decode()


@pytest.mark.parametrize("url", API)
def test_known_period_in_the_api(demo, client_for, url):
    payload = client_for("dass").get(_with(url, "2022/23")).json()
    assert payload["period"] == "2022-23"
