"""The balanced-scorecard pages: council scorecard, regional overview, compare; exports; real data."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.cache import page_version_bump
from councils.models import Council
from scorecard.areas import area_for_council
from scorecard.models import Measure, Period, Value
from tests.factories import PERSONAS, CouncilFactory

# Every test here reads the demo figures, seeded once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once_per_module")]

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"
COMPARE = f"/compare/?region={WEST_MIDLANDS}&councils=E08000025&councils=E08000026&councils=E10000028"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url", "text"),
    [
        (f"/councils/{BIRMINGHAM}/scorecard/", "These figures are synthetic demo data"),
        (f"/councils/{BIRMINGHAM}/scorecard/?period=2021-22", "These figures are synthetic demo data"),
        (f"/regions/{WEST_MIDLANDS}/scorecard/", "These figures are synthetic demo data"),
        (
            f"/regions/{WEST_MIDLANDS}/scorecard/?period=2019-20&domain=culture-and-change&sort=-m0",
            "These figures are synthetic demo data",
        ),
        ("/compare/", "Enter 2, 3 or 4 English councils from any region"),
        (COMPARE, "These figures are synthetic demo data"),
    ],
)
def test_scorecard_pages_open_for_every_role(demo, client_for, persona, url, text):
    response = client_for(persona).get(url)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_anonymous_users_are_sent_to_sign_in(client, demo):
    for url in (f"/councils/{BIRMINGHAM}/scorecard/", f"/regions/{WEST_MIDLANDS}/scorecard/", COMPARE):
        assert client.get(url)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url",
    [
        "/councils/E99999999/scorecard/",
        f"/councils/{BIRMINGHAM}/scorecard/?period=1999-00",
        f"/councils/{BIRMINGHAM}/scorecard/?period=banana",
        "/regions/E12000099/scorecard/",
        f"/regions/{WEST_MIDLANDS}/scorecard/?domain=nonsense",
    ],
)
def test_unknown_things_are_404_not_500(demo, client_for, url):
    assert client_for("dass").get(url).status_code == 404


def test_council_scorecard_shows_six_domains_rows_and_method(demo, client_for):
    response = client_for("other_dass").get(f"/councils/{BIRMINGHAM}/scorecard/?period=2023-24")
    page = response.content.decode()
    scorecard = response.context["scorecard"]
    assert [s.domain.name for s in scorecard.domains if s.domain] == [
        "Performance and Outcomes",
        "Governance and Leadership",
        "Resources and Workforce Management",
        "Commissioning and Quality",
        "National Priorities and Partnerships",
        "Culture and Change",
    ]
    codes = {row.code for row in scorecard.rows}
    assert "2C" in codes and "2A2" not in codes  # the refreshed framework's codes in 2023-24
    row = next(row for row in scorecard.rows if row.code == "2C")
    assert row.formatted in page and row.rank_label in page
    assert all(section.rows for section in scorecard.domains)  # demo figures in every domain
    assert 'class="app-sparkline"' in page
    # Before CQC assessed councils (2023-24) Governance and Leadership has no figures: it still appears.
    earlier = client_for("other_dass").get(f"/councils/{BIRMINGHAM}/scorecard/?period=2022-23")
    governance = next(
        s for s in earlier.context["scorecard"].domains if s.domain.slug == "governance-and-leadership"
    )
    assert governance.rows == []
    assert "carries Birmingham's self-assessed rating" in earlier.content.decode()


def test_council_scorecard_exports_csv_and_xlsx(demo, client_for):
    client = client_for("dass")
    response = client.get(f"/councils/{BIRMINGHAM}/scorecard/?period=2023-24&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"].endswith('scorecard-birmingham-2023-24.csv"')
    row = next(r for r in rows if r["Code"] == "2C")
    stored = Value.objects.get(
        measure__key="ascof-2023-2c", period__label="2023-24", area__key=BIRMINGHAM, breakdown=""
    )
    assert Decimal(row["Value"]) == stored.value
    assert row["Demo data"] == "yes"
    assert (row["Period"], row["GSS code"], row["Region GSS code"]) == ("2023-24", BIRMINGHAM, WEST_MIDLANDS)
    assert row["Unit"] == "Rate per 100,000" and row["RAG"] in ("green", "amber", "red")
    assert int(row["Rank in region"]) >= 1 and int(row["Councils ranked in region"]) == 14
    xlsx = client.get(f"/councils/{BIRMINGHAM}/scorecard/?period=2023-24&_export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Period", "GSS code", "Council"] and sheet.max_row == len(rows) + 1
    values = [dict(zip(headers, [c.value for c in line], strict=True)) for line in sheet.iter_rows(min_row=2)]
    two_c = next(v for v in values if v["Code"] == "2C")
    assert isinstance(two_c["Value"], int | float) and Decimal(str(two_c["Value"])) == stored.value
    assert isinstance(two_c["Rank in region"], int)
    assert isinstance(two_c["England comparator"], int | float)
    assert all(v["Period"] == "2023-24" and v["GSS code"] == BIRMINGHAM for v in values)


def test_region_overview_sorts_filters_and_exports(demo, client_for):
    client = client_for("sli_lead")
    response = client.get(
        f"/regions/{WEST_MIDLANDS}/scorecard/?period=2023-24&domain=culture-and-change&sort=m0"
    )
    overview = response.context["overview"]
    assert {m.domain.slug for m in overview.measures} == {"culture-and-change"}
    table = response.context["table"]
    ranks = [row.record["sort_0"] for row in table.rows]
    assert ranks == sorted(ranks)  # sorted by rank on the first measure, best first
    page = response.content.decode()
    assert "build/plotly.min.js" in page and "cdn.plot.ly" not in page
    assert 'id="table-scroll-hint"' not in page  # one domain's few columns fit
    every = client.get(f"/regions/{WEST_MIDLANDS}/scorecard/?period=2023-24")
    count = len(every.context["overview"].measures)
    assert (
        f"{count} measure columns: where they do not fit, the table scrolls sideways"
        in every.content.decode()
    )
    assert "Show the data in this chart as a table" in page
    export = client.get(f"/regions/{WEST_MIDLANDS}/scorecard/?period=2023-24&_export=csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 14 * len(response.context["overview"].measures) or len(rows) > 14
    assert {r["GSS code"] for r in rows} == {
        c.gss_code for c in Council.objects.filter(region__gss_code=WEST_MIDLANDS)
    }
    assert {r["Period"] for r in rows} == {"2023-24"} and {r["Region GSS code"] for r in rows} == {
        WEST_MIDLANDS
    }
    heatmap_csv = client.get(f"/regions/{WEST_MIDLANDS}/scorecard/?period=2023-24&format=csv")
    assert heatmap_csv["Content-Type"].startswith("text/csv")
    assert heatmap_csv.content.decode("utf-8-sig").splitlines()[0].startswith("Council,1A")


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("councils=E08000025", "Enter 2, 3 or 4 different councils"),
        (
            "councils=E08000025&councils=E08000026&councils=E08000027&councils=E08000028&councils=E08000029",
            "Enter 2, 3 or 4 different councils",
        ),
        ("councils=E08000025&councils=E08000025", "Enter 2, 3 or 4 different councils"),
        ("councils=E08000025&councils=X", "No English council is called “X”"),
        ("councils=Birmingham&councils=Atlantis&councils=Leeds", "No English council is called “Atlantis”"),
        ("councils=", "Enter 2, 3 or 4 different councils"),
    ],
)
def test_compare_needs_two_to_four_councils(demo, client_for, query, error):
    response = client_for("dass").get(f"/compare/?{query}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and error in page
    assert "<title>Error: Compare councils" in page
    assert 'href="#id_councils"' in page and 'id="id_councils"' in page  # the summary link reaches the field


def test_compare_refuses_a_nul_character_before_any_form_sees_it(demo, client_for):
    # The hostile-input middleware answers 400 for NUL anywhere in the query, never a 500.
    assert client_for("dass").get("/compare/?councils=Birmingham&councils=%00").status_code == 400


def test_compare_shows_councils_side_by_side_and_exports(demo, client_for):
    client = client_for("dass")
    response = client.get(COMPARE + "&period=2022-23")
    assert [c.name for c in response.context["chosen"]] == ["Birmingham", "Coventry", "Staffordshire"]
    assert response.context["comparison"].period.label == "2022-23"
    page = response.content.decode()
    assert 'list="council-options"' in page and '<option value="Manchester">' in page  # the search
    assert 'value="Birmingham"' in page  # the boxes keep what was chosen
    export = client.get(COMPARE + "&_export=csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert {r["GSS code"] for r in rows} == {"E08000025", "E08000026", "E10000028"}
    assert {r["Period"] for r in rows} == {"2023-24"}


def test_compare_refuses_an_unknown_year_with_a_404_not_a_500(demo, client_for):
    # An unknown ?period= is a 404 on every page (it was a form error here only).
    response = client_for("dass").get("/compare/?councils=Birmingham&councils=Leeds&period=1999-00")
    assert response.status_code == 404


def test_compare_takes_names_typed_in_any_case_and_old_links_with_a_region(demo, client_for):
    client = client_for("dass")
    response = client.get(
        "/compare/?councils=  birmingham &councils=Stoke-on-Trent&councils=&councils=e10000028"
    )
    assert [c.gss_code for c in response.context["chosen"]] == ["E08000025", "E06000021", "E10000028"]


def add_councils_with_values(count: int) -> None:
    """Extra (fictional) West Midlands councils with a value for every 2023-24 measure."""
    period = Period.objects.get(label="2023-24")
    measures = list(Measure.objects.filter(framework="ascof_2023"))
    values = []
    for council in CouncilFactory.create_batch(count):
        area = area_for_council(council=council)
        values += [
            Value(measure=m, period=period, area=area, value=Decimal("50.0"), is_demo=True) for m in measures
        ]
    Value.objects.bulk_create(values)


@pytest.mark.parametrize(
    "url",
    [f"/councils/{BIRMINGHAM}/scorecard/", f"/regions/{WEST_MIDLANDS}/scorecard/", COMPARE],
)
def test_query_count_is_constant_and_small(demo, client_for, django_assert_max_num_queries, url):
    client = client_for("sli_lead")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    add_councils_with_values(30)
    page_version_bump()  # the same state as the first count: a rendering, not the kept page
    with django_assert_max_num_queries(12) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
