"""The scorecard on real data — every English council and region, no synthetic comparator beside
a real figure, the demo banner true page by page, and downloads an analyst can use."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from core.cache import page_version_bump
from councils.models import Council, NearestNeighbour, Region
from councils.services import reference_data_load
from scorecard.areas import area_for_council
from scorecard.demo import demo_neighbours_seed, demo_values_seed
from scorecard.models import Measure, Period, Value
from scorecard.scorecards.selectors import council_scorecard
from tests.files import REAL_FILE, REAL_NEIGHBOURS, SHARED_DATA, import_real_file

pytestmark = pytest.mark.django_db

BIRMINGHAM, MANCHESTER, WEST_MIDLANDS, NORTH_WEST = "E08000025", "E08000003", "E12000005", "E12000002"
BANNER = "app-demo-tag"  # the yellow "Demo data" tag of the phase banner
SYNTHETIC = ("synthetic", "Demo:", "(demo)", "write this commentary by hand")


def file_rows(year: str) -> list[dict[str, str]]:
    with open(REAL_FILE, encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["Year"] == year]


def csv_dicts(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_cells(response) -> tuple[list[str], list[list]]:  # type: ignore[no-untyped-def]
    """Headers and rows of the first sheet; fails on any formula cell or any markup."""
    assert response.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = []
    for line in sheet.iter_rows():
        for cell in line:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value!r}"
            if isinstance(cell.value, str):
                assert "<a " not in cell.value and "</" not in cell.value, cell.value
                assert not cell.value.startswith(("=", "+", "@", "\t", "\r")), cell.value
        rows.append([cell.value for cell in line])
    return [str(h) for h in rows[0]], rows[1:]


# --- Real figures never sit beside synthetic ones ---------------------------------------------------


def test_a_real_national_import_sets_aside_demo_groups_and_every_region_works(client_for, sli_lead):
    """Demo mode first, then the real national extract through the same import: no synthetic comparator,
    group or commentary remains; every region's councils have a region rank and the published comparator."""
    demo_values_seed()
    client = client_for("sli_lead")
    page = client.get(f"/councils/{BIRMINGHAM}/scorecard/").content.decode()
    assert BANNER in page and "These figures are synthetic demo data" in page
    assert NearestNeighbour.objects.filter(is_demo=True).exists()

    import_real_file()
    assert not NearestNeighbour.objects.filter(is_demo=True).exists()
    assert not Value.objects.filter(is_demo=True).exists()

    # Birmingham: real figures, no real comparator group → no neighbour median, no commentary, and says so.
    response = client.get(f"/councils/{BIRMINGHAM}/scorecard/?period=2019-20")
    page = response.content.decode()
    card = response.context["scorecard"]
    assert not card.data_is_demo and card.lacks_real_neighbours
    assert all(row.comparators["nearest_neighbours_median"].value is None for row in card.rows)
    assert all(row.commentary is None for row in card.rows)
    assert "has no real comparator group" in page and "nearest-neighbour groups" in page
    assert BANNER not in page
    for word in SYNTHETIC:
        assert word not in page, word

    # Loading the real groups brings the comparator and worded commentary back; nothing left to hand-write.
    call_command("import_neighbours", str(REAL_NEIGHBOURS), stdout=io.StringIO())
    response = client.get(f"/councils/{BIRMINGHAM}/scorecard/?period=2019-20")
    card = response.context["scorecard"]
    assert not card.lacks_real_neighbours
    assert any(row.commentary for row in card.rows)
    assert "write this commentary by hand" not in response.content.decode()
    assert "has no real comparator group" not in response.content.decode()

    # Every region: a council of each has a region rank and the region's published comparator.
    rows = file_rows("2019-20")
    published = {
        (r["ONS Code"], r["Measure Group"]): Decimal(r["Measure_Value"])
        for r in rows
        if r["Geographical Level"] == "Region" and r["Measure_Value"] not in ("", "[c]", "[x]")
    }
    for region in Region.objects.all():
        council = Council.objects.filter(region=region, status="current").order_by("name").first()
        card = council_scorecard(council=council, period=Period.objects.get(label="2019-20"))
        ranked = [row for row in card.rows if row.rank is not None]
        assert ranked, f"{council} ({region}) has no region rank"
        assert all(row.rank_of > 1 for row in ranked)
        for row in card.rows:
            if (region.gss_code, row.code) in published:
                assert row.comparators["region"].published, (region, row.code)
                assert row.comparators["region"].value == published[(region.gss_code, row.code)]
        overview = client.get(f"/regions/{region.gss_code}/scorecard/?period=2019-20")
        assert overview.status_code == 200
        assert "Nothing to show" not in overview.content.decode()
        assert len(overview.context["overview"].rows) == Council.objects.filter(region=region).exclude(
            status="former"
        ).count() + sum(  # former councils still in the 2019-20 file (e.g. Cumbria)
            1
            for c in Council.objects.filter(region=region, status="former")
            if any(r["ONS Code"] == c.gss_code for r in rows)
        )
        assert any(c.published for c in overview.context["overview"].region_comparators)

    # Manchester (North West): ranked in its region, with the North West's published figure.
    response = client.get(f"/councils/{MANCHESTER}/scorecard/?period=2019-20")
    page = response.content.decode()
    assert "Not ranked" not in page.split('id="domain-1"')[1].split("</table>")[0] or any(
        row.rank for row in response.context["scorecard"].rows
    )
    assert "North West" in page

    # Compare councils of two regions: each ranked in its own region, beside its own region's figure.
    response = client.get(f"/compare/?councils=Birmingham&councils={MANCHESTER}&period=2019-20")
    comparison = response.context["comparison"]
    assert [r.gss_code for r in comparison.regions] == [WEST_MIDLANDS, NORTH_WEST]
    row = next(r for r in comparison.rows if r.measure.code == "2A2")
    assert [c.rank_of for c in row.cells] == [14, 23]  # West Midlands and North West councils with a figure
    assert row.region_comparators[0].value == published[(WEST_MIDLANDS, "2A2")]
    assert row.region_comparators[1].value == published[(NORTH_WEST, "2A2")]
    assert all(c.published for c in row.region_comparators)
    export = csv_dicts(
        client.get(f"/compare/?councils=Birmingham&councils={MANCHESTER}&period=2019-20&_export=csv")
    )
    manchester = next(r for r in export if r["GSS code"] == MANCHESTER and r["Code"] == "2A2")
    assert manchester["Region GSS code"] == NORTH_WEST and manchester["Period"] == "2019-20"
    assert Decimal(manchester["Region comparator"]) == published[(NORTH_WEST, "2A2")]

    # A former council's figures stay readable as history, with its successor named.
    response = client.get("/councils/E06000028/scorecard/")  # Bournemouth, merged into BCP in 2019
    card = response.context["scorecard"]
    assert card.period.label == "2018-19" and any(row.value is not None for row in card.rows)
    assert any(row.rank for row in card.rows)
    page = response.content.decode()
    assert "has been abolished" in page and "Bournemouth, Christchurch and Poole" in page
    page_version_bump()  # the 2019-20 page was seen above (kept whole, without its context): render it again
    south_west_2019 = client.get("/regions/E12000009/scorecard/?period=2019-20").context["overview"]
    south_west_2018 = client.get("/regions/E12000009/scorecard/?period=2018-19").context["overview"]
    assert "Bournemouth" not in [row.council.name for row in south_west_2019.rows]
    assert "Bournemouth" in [row.council.name for row in south_west_2018.rows]


def test_a_real_figure_is_never_compared_with_a_demo_group_even_if_one_is_left(client_for, sli_lead):
    """Belt and braces: a demo group that survived (for example, made after the import) is not used."""
    period = Period.objects.create(label="2019-20", start_year=2019)
    measure = Measure.objects.get(key="ascof-2014-2a2")
    councils = list(Council.objects.filter(region__gss_code=WEST_MIDLANDS).order_by("name"))
    for index, council in enumerate(councils):
        Value.objects.create(
            measure=measure, period=period, area=area_for_council(council=council), value=500 + index * 10
        )
    demo_neighbours_seed(councils=councils)
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    card = council_scorecard(council=birmingham, period=period)
    row = next(r for r in card.rows if r.code == "2A2")
    assert row.comparators["nearest_neighbours_median"].value is None and row.commentary is None
    assert card.lacks_real_neighbours and not card.data_is_demo
    page = client_for("sli_lead").get(f"/councils/{BIRMINGHAM}/scorecard/").content.decode()
    assert "has no real comparator group" in page and BANNER not in page


def test_commentary_the_rules_cannot_word_shows_the_numbers_not_a_finding(db):
    period = Period.objects.create(label="2019-20", start_year=2019)
    measure = Measure.objects.get(key="ascof-2014-2a2")
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    group = list(Council.objects.filter(region__gss_code=WEST_MIDLANDS).exclude(pk=birmingham.pk)[:4])
    Value.objects.create(measure=measure, period=period, area=area_for_council(council=birmingham), value=900)
    for position, council in enumerate(group, start=1):
        Value.objects.create(
            measure=measure, period=period, area=area_for_council(council=council), value=500
        )
        NearestNeighbour.objects.create(
            council=birmingham, position=position, neighbour_gss_code=council.gss_code
        )
    row = next(r for r in council_scorecard(council=birmingham, period=period).rows if r.code == "2A2")
    assert row.commentary is not None and row.commentary.needs_manual  # identical group: no scale to word it
    assert "by hand" not in row.commentary.text and "worse" not in row.commentary.text
    assert (
        row.commentary.text == "Birmingham: 900.0 per 100,000; nearest neighbours' median: 500.0 per 100,000."
    )


# --- The banner is true page by page ------------------------------------------------------------------


def test_the_demo_banner_shows_only_where_a_page_shows_synthetic_data(client_for, sli_lead, settings):
    settings.DEMO_MODE = True
    client = client_for("sli_lead")
    # Nothing synthetic loaded: no banner anywhere, demo mode or not.
    for url in ("/", "/councils/", f"/councils/{BIRMINGHAM}/", "/measures/", f"/regions/{WEST_MIDLANDS}/"):
        assert BANNER not in client.get(url).content.decode(), url
    demo_values_seed()
    with_demo = [
        f"/councils/{BIRMINGHAM}/scorecard/",
        f"/regions/{WEST_MIDLANDS}/scorecard/",
        f"/compare/?councils={BIRMINGHAM}&councils=Coventry",
        "/measures/ascof-2014-1a/",
        f"/councils/{BIRMINGHAM}/",  # shows the synthetic comparator group
        f"/regions/{NORTH_WEST}/scorecard/",  # no figures of its own, but England's median is synthetic
    ]
    for url in with_demo:
        assert BANNER in client.get(url).content.decode(), url
    # Pages that show no synthetic figure or group: no banner, even in demo mode.
    for url in (
        "/",
        "/councils/",
        "/measures/",
        "/compare/",
        f"/councils/{MANCHESTER}/",  # no comparator group
        "/imports/",
    ):
        assert BANNER not in client.get(url).content.decode(), url


# --- Every council, every region ----------------------------------------------------------------------


def test_every_english_council_is_shipped_with_region_type_and_successors(db):
    assert Council.objects.filter(status="current").count() == 153
    assert Council.objects.filter(status="former").count() == 8
    assert not Council.objects.filter(region__isnull=True).exists()
    assert Council.objects.get(gss_code=MANCHESTER).region.gss_code == NORTH_WEST
    assert Council.objects.get(gss_code="E09000007").council_type == "inner_london"  # Camden
    assert Council.objects.get(gss_code="E09000002").council_type == "outer_london"  # Barking and Dagenham
    cumbria = Council.objects.get(gss_code="E10000006")
    assert sorted(cumbria.successors.values_list("gss_code", flat=True)) == ["E06000063", "E06000064"]
    assert cumbria.slug == "cumbria-e10000006"
    assert Council.objects.get(gss_code="E06000059").slug == "dorset"  # the current Dorset keeps the name
    with open(SHARED_DATA / "english_councils.csv", encoding="utf-8") as handle:
        reference = {row["gss_code"]: row for row in csv.DictReader(handle)}
    loaded = {c.gss_code: c for c in Council.objects.select_related("region")}
    assert set(loaded) == set(reference)
    for code, row in reference.items():
        assert loaded[code].region.gss_code == row["region_gss_code"], code
        assert loaded[code].status == row["status"]


def test_councils_an_import_created_without_a_region_get_it_when_the_fixture_loads(db):
    """Councils created by an earlier national import (region blank, slug taken) are matched on GSS code."""
    Council.objects.filter(gss_code=MANCHESTER).update(region=None, name="MANCHESTER", council_type="unitary")
    Council.objects.filter(gss_code="E06000059").update(slug="dorset-e06000059")
    Council.objects.filter(gss_code="E10000009").update(slug="dorset", status="current")  # the old county
    reference_data_load()
    manchester = Council.objects.get(gss_code=MANCHESTER)
    assert (manchester.region.gss_code, manchester.name, manchester.council_type) == (
        NORTH_WEST,
        "Manchester",
        "metropolitan_district",
    )
    assert Council.objects.get(gss_code="E06000059").slug == "dorset"
    assert Council.objects.get(gss_code="E10000009").slug == "dorset-e10000009"
    again = reference_data_load()
    assert (again.created, again.updated) == (0, 0)


def test_inner_and_outer_london_get_their_published_council_type_comparator(client_for, sli_lead):
    from scorecard.areas import area_for_council_type

    period = Period.objects.create(label="2019-20", start_year=2019)
    measure = Measure.objects.get(key="ascof-2014-2a2")
    camden = Council.objects.get(gss_code="E09000007")
    Value.objects.create(measure=measure, period=period, area=area_for_council(council=camden), value=300)
    Value.objects.create(
        measure=measure,
        period=period,
        area=area_for_council_type(name="Inner London"),
        value=Decimal("321.5"),
    )
    row = next(r for r in council_scorecard(council=camden, period=period).rows if r.code == "2A2")
    assert row.comparators["council_type"].published and row.comparators["council_type"].value == Decimal(
        "321.5"
    )


# --- Downloads an analyst can use -----------------------------------------------------------------------


def test_exports_write_numbers_as_numbers_with_codes_and_periods_and_no_markup(client_for, sli_lead):
    import pandas as pd

    demo_values_seed()
    client = client_for("sli_lead")
    urls = {
        "council": f"/councils/{BIRMINGHAM}/scorecard/?period=2022-23",
        "region": f"/regions/{WEST_MIDLANDS}/scorecard/?period=2022-23",
        "compare": f"/compare/?councils={BIRMINGHAM}&councils=Manchester&councils=Coventry&period=2022-23",
        "measure": "/measures/ascof-2014-2a2/?period=2022-23",
    }
    for name, url in urls.items():
        headers, rows = xlsx_cells(client.get(url + "&_export=xlsx"))
        assert {"Period", "GSS code", "Value", "Unit", "Code"} <= set(headers), name
        if name != "measure":
            assert {"RAG", "Rank in region", "Region comparator", "England comparator"} <= set(headers), name
        index = {h: i for i, h in enumerate(headers)}
        assert rows, name
        assert all(row[index["Period"]] == "2022-23" for row in rows), name
        assert all(str(row[index["GSS code"]]).startswith("E") for row in rows), name
        numbers = [row[index["Value"]] for row in rows if row[index["Value"]] is not None]
        assert numbers and all(isinstance(v, int | float) for v in numbers), name
        if "Rank in region" in index:
            ranks = [row[index["Rank in region"]] for row in rows if row[index["Rank in region"]] is not None]
            assert ranks and all(isinstance(r, int) for r in ranks), name
        # The CSV holds the same, read back by pandas as numbers ("18.3", never "18.300000").
        response = client.get(url + "&_export=csv")
        frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
        assert pd.api.types.is_numeric_dtype(frame["Value"]), name
        assert not response.content.decode("utf-8-sig").count("00000,"), name
        # …and the tidy long CSV of every figure on the page is one click away.
        page = client.get(url).content.decode()
        assert "_export=figures" in page, name
        long = pd.read_csv(io.BytesIO(client.get(url + "&_export=figures").content), encoding="utf-8-sig")
        assert {"Period", "GSS code", "Area", "Area type", "Code", "Value", "Unit", "Basis"} <= set(
            long.columns
        )
        assert pd.api.types.is_numeric_dtype(long["Value"]) and long["GSS code"].notna().any(), name
        assert {"council"} <= set(long["Area type"]), name
    long = pd.read_csv(
        io.BytesIO(client.get(urls["council"] + "&_export=figures").content), encoding="utf-8-sig"
    )
    assert {"region", "england"} <= set(long["Area type"]) and long["Period"].nunique() > 1  # trend too


def test_exports_cannot_attack_the_spreadsheet(client_for, admin):
    """A council renamed `=1+2` and an uploaded file named `=HYPERLINK(...)` come out as text."""
    from scorecard.models import ImportRecord

    demo_values_seed()
    Council.objects.filter(gss_code=BIRMINGHAM).update(name="=1+2")
    Council.objects.filter(gss_code="E08000026").update(name="@SUM(A1)")
    Council.objects.filter(gss_code="E08000027").update(name="-2+3")
    ImportRecord.objects.create(
        kind=ImportRecord.Kind.LOCAL,
        status=ImportRecord.Status.FAILED,
        file_name='=HYPERLINK("http://example.invalid","Click").csv',
        created=3,
    )
    client = client_for("admin")
    urls = [
        "/councils/?",
        f"/regions/{WEST_MIDLANDS}/?",
        f"/regions/{WEST_MIDLANDS}/scorecard/?period=2023-24&",
        f"/councils/{BIRMINGHAM}/scorecard/?period=2023-24&",
        f"/compare/?councils={BIRMINGHAM}&councils=E08000026&councils=E08000027&",
        "/measures/ascof-2023-2c/?period=2023-24&",
        "/imports/?",
    ]
    for url in urls:
        headers, rows = xlsx_cells(client.get(url + "_export=xlsx"))  # no formula, no markup
        texts = [cell for row in [headers, *rows] for cell in row if isinstance(cell, str)]
        csv_text = client.get(url + "_export=csv").content.decode("utf-8-sig")
        assert "<a " not in csv_text and "govuk-" not in csv_text, url
        for line in csv.reader(io.StringIO(csv_text)):
            for cell in line:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (url, cell)
                assert not (cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit()), cell
        if url.startswith("/imports/"):
            assert '\'=HYPERLINK("http://example.invalid","Click").csv' in texts
            index = {h: i for i, h in enumerate(headers)}
            row = next(r for r in rows if r[index["File"]].startswith("'=HYPERLINK"))
            assert row[index["New"]] == 3 and isinstance(row[index["New"]], int)
            assert not str(row[index["When"]]).startswith("<")
        elif "measures" not in url:
            assert "'=1+2" in texts, url
    figures = client.get(f"/councils/{BIRMINGHAM}/scorecard/?period=2023-24&_export=figures")
    assert "'=1+2" in figures.content.decode("utf-8-sig")


def test_the_export_helper_rules():
    from core.exports import export_cell

    assert export_cell(Decimal("18.300000")) == 18.3 and isinstance(export_cell(Decimal("18.300000")), float)
    assert export_cell(Decimal("512.000000")) == 512 and isinstance(export_cell(Decimal("512.000000")), int)
    assert export_cell(-4.5) == -4.5 and export_cell("-4.5") == "-4.5"
    assert export_cell("=1+2") == "'=1+2"
    assert export_cell("+44 121") == "'+44 121"
    assert export_cell("-2+3") == "'-2+3"
    assert export_cell("@cmd") == "'@cmd"
    assert export_cell("\tx") == "'\tx" and export_cell("\rx") == "'\rx"
    assert export_cell('<a class="govuk-link" href="/x">26 Nov 2026</a>') == "26 Nov 2026"
    assert export_cell('<span class="app-code">=1+2</span>') == "'=1+2"
    assert export_cell(None) is None and export_cell(True) == "yes"
    assert export_cell(Decimal("NaN")) is None


@pytest.mark.parametrize(
    ("key", "texts"),
    [
        ("ascof-2014-1a", ["What is counted", "Adult Social Care Survey", "No figure for 2020-21"]),
        ("ascof-2023-1c", ["Survey of Adult Carers in England", "every two years", "1D became 1C"]),
        ("ascof-2023-2c", ["per 100,000 population aged 65 and over", "2A2 became 2C"]),
        ("ascof-2014-2c1", ["no figures after 2019-20"]),
    ],
)
def test_each_measure_page_has_its_definition_count_source_and_caveats(client_for, no_role_user, key, texts):
    page = client_for("no_role_user").get(f"/measures/{key}/").content.decode()
    for heading in ("Definition", "What is counted", "Source and survey basis", "Caveats"):
        assert heading in page, heading
    for text in texts:
        assert text in page, text


def test_every_ascof_measure_has_its_notes(db):
    from django.db.models import Q

    missing = Measure.objects.exclude(framework="local").filter(
        Q(description="") | Q(counted="") | Q(source_basis="") | Q(caveats="")
    )
    assert not missing.exists(), list(missing.values_list("key", flat=True))
