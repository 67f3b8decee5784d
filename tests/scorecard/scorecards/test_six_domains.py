"""A balanced scorecard in fact: a council's scorecard and the region's heat-map show all six domains with
figures, in demo mode and on a real-shaped set (the real ASCOF extract, then other publishers' files loaded
through the mapped import: Oflog's explorer layout and a Skills for Care-style table with a column per year)."""

import random

import pytest

from councils.models import Council
from scorecard.models import Domain, Period, Value
from scorecard.scorecards.selectors import council_scorecard, region_overview
from tests.files import import_real_file
from tests.mapped_helpers import OFLOG_HEADER, oflog_row, run, write

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"
# Other publishers' codes, one or more per domain the ASCOF extract leaves empty (typical council ranges).
NATIONAL = {
    "ASC7": (22, 38, 8),  # staff turnover (Oflog's code), to eight decimals as Oflog publishes
    "ASCFR-GCE-ADULT": (450, 800, 2),
    "SALT-REQ-100K": (2500, 7000, 1),
    "CQC-LA-RATING": (2, 3, 0),  # the catalogue's measure; CQC's assessments began later, shown here in the
    # extract's year so that one year carries every domain
}


def domains_with_figures(gss_code: str, period: str) -> dict[str, int]:
    card = council_scorecard(council=Council.objects.get(gss_code=gss_code), period=_period(period))
    return {
        section.domain.slug: sum(row.value is not None for row in section.rows)
        for section in card.domains
        if section.domain is not None
    }


def _period(label: str) -> Period:
    return Period.objects.get(label=label)


def assert_six_domains_on_the_pages(client, period: str) -> None:  # type: ignore[no-untyped-def]
    slugs = list(Domain.objects.order_by("position").values_list("slug", flat=True))
    assert len(slugs) == 6
    counts = domains_with_figures(BIRMINGHAM, period)
    assert all(counts.get(slug, 0) > 0 for slug in slugs), counts
    page = client.get(f"/councils/{BIRMINGHAM}/scorecard/?period={period}").content.decode()
    for domain in Domain.objects.all():
        assert f'">{domain.name}</h2>' in page
    # The heat-map, domain by domain: each shows councils' figures (its CSV is the chart's table).
    region = Council.objects.get(gss_code=BIRMINGHAM).region
    for slug in slugs:
        overview = region_overview(
            region=region, period=_period(period), domain=Domain.objects.get(slug=slug)
        )
        figures = [cell.value for row in overview.rows for cell in row.cells if cell.value is not None]
        assert overview.measures and figures, slug
        response = client.get(f"/regions/{WEST_MIDLANDS}/scorecard/?period={period}&domain={slug}")
        assert response.status_code == 200
        assert "No measures in this domain have data" not in response.content.decode()
        rows = client.get(f"/regions/{WEST_MIDLANDS}/scorecard/?period={period}&domain={slug}&format=csv")
        lines = rows.content.decode("utf-8-sig").splitlines()
        assert len(lines) > 10 and any("Birmingham" in line for line in lines), slug


def test_demo_mode_fills_every_domain(demo, client_for):
    assert_six_domains_on_the_pages(client_for("dass"), "2023-24")
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/scorecard/").content.decode()
    assert "These figures are synthetic demo data" in page


def test_a_real_shaped_set_fills_every_domain(demo, client_for, tmp_path):
    import_real_file()  # the real ASCOF extract: a real import removes every demo figure
    assert not Value.objects.filter(is_demo=True).exists()
    councils = list(
        Council.objects.filter(region__gss_code=WEST_MIDLANDS, status=Council.Status.CURRENT).order_by(
            "gss_code"
        )
    )
    lines = [OFLOG_HEADER]
    for code, (low, high, places) in NATIONAL.items():
        for council in councils:
            value = round(random.Random(f"{code}|{council.gss_code}").uniform(low, high), places)
            blank = council.gss_code == "E08000031" and code == "ASCFR-GCE-ADULT"  # a blank: a missing figure
            lines.append(oflog_row("2019-20", council.gss_code, council.name, code, "" if blank else str(value),
                                   median=""))  # fmt: skip
    status, _, err = run(write(tmp_path, "explorer.csv", lines), "--area", "Local authority code", "--value",
                           "Value", "--period", "Financial year", "--measure-column", "Code")  # fmt: skip
    assert status == 0, err
    # Skills for Care's vacancies: a column per year, councils by name.
    wide = ["Local authority,2018/19,2019/20"] + [
        f"{council.name},{7 + i % 5}.25,{8 + i % 4}.5" for i, council in enumerate(councils)
    ]
    status, _, err = run(write(tmp_path, "vacancies.csv", wide), "--area", "Local authority", "--wide",
                           "--measure", "national-sfc-vacancy")  # fmt: skip
    assert status == 0, err
    assert_six_domains_on_the_pages(client_for("dass"), "2019-20")
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/scorecard/?period=2019-20").content.decode()
    assert "These figures are synthetic demo data" not in page
    # Birmingham's challenge pack for that year: each of the six domains with figures, not "0 / 0 / 0".
    from peerchallenge.packs.selectors import pack_build_data

    pack = pack_build_data(council=Council.objects.get(gss_code=BIRMINGHAM), period=_period("2019-20"))
    figures = {
        section.domain.name: sum(row.value is not None for row in section.rows)
        for section in pack.card.domains
        if section.domain is not None
    }
    assert len(figures) == 6 and all(figures.values()), figures
    assert [line.name for line in pack.domain_lines] == list(figures)
