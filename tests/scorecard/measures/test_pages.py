"""The measures catalogue and the measure pages: access, figures, ranks, charts, CSVs and query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.cache import data_version_bump, page_version_bump
from councils.models import Region
from scorecard import scoring
from scorecard.areas import area_for_council, area_for_region
from scorecard.models import Measure, Value
from scorecard.periods import period_get_or_create
from tests.factories import PERSONAS, CouncilFactory

# Every test here reads the demo figures, seeded once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once_per_module")]

DETAIL = "scorecard:measure-detail"


def _detail(key: str, **params: str) -> str:
    url = reverse(DETAIL, kwargs={"key": key})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("persona", PERSONAS)
def test_measure_list_for_every_persona(client_for, persona, demo):
    response = client_for(persona).get(reverse("scorecard:measure-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Measures" in html
    assert reverse(DETAIL, kwargs={"key": "ascof-2014-2a2"}) in html
    assert "continued by" in html and "continues" in html


def test_measure_list_filters_and_exports(client_for, demo):
    client = client_for("sli_lead")
    response = client.get(reverse("scorecard:measure-list"), {"framework": "ascof_2023"})
    keys = {row.record.key for row in response.context["table"].rows}
    assert keys and all(key.startswith("ascof-2023-") for key in keys)

    response = client.get(reverse("scorecard:measure-list"), {"domain": "culture-and-change"})
    assert {row.record.domain.slug for row in response.context["table"].rows} == {"culture-and-change"}

    rows = _csv(client.get(reverse("scorecard:measure-list"), {"_export": "csv"}))
    assert rows[0][:2] == ["Code", "Title"]
    assert len(rows) == Measure.objects.count() + 1
    assert any(row[0] == "2C" and "continues 2A2" in row[-1] for row in rows)

    response = client.get(reverse("scorecard:measure-list"), {"_export": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


@pytest.mark.parametrize("persona", PERSONAS)
def test_measure_detail_for_every_persona(client_for, persona, demo):
    response = client_for(persona).get(_detail("ascof-2023-2c"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "app-demo-notice" in html and "These figures are synthetic demo data" in html
    assert "2023-24" in html
    assert " of 14" in html
    assert "/static/build/plotly.min.js" in html
    assert "cdn.plot.ly" not in html
    assert 'class="app-chart__plot" aria-describedby=' in html and "Download this data (CSV)" in html
    assert "Continues" in html and reverse(DETAIL, kwargs={"key": "ascof-2014-2a2"}) in html


def test_measure_detail_ranks_councils_by_polarity(client_for, demo):
    response = client_for("sli_lead").get(_detail("ascof-2023-2c"))  # lower is better
    figures = response.context["data"].councils
    numbers = [f.value for f in figures if f.rank is not None]
    assert numbers == sorted(numbers)
    assert figures[0].rank == 1
    response = client_for("sli_lead").get(_detail("ascof-2023-1a"))  # higher is better
    numbers = [f.value for f in response.context["data"].councils if f.rank is not None]
    assert numbers == sorted(numbers, reverse=True)


def test_measure_detail_period_selector_and_crosswalk(client_for, demo):
    client = client_for("sli_lead")
    response = client.get(_detail("ascof-2014-2a2"))
    assert response.context["data"].period.label == "2022-23"  # the measure's own latest year
    assert [p.label for p in response.context["data"].periods] == [
        "2019-20",
        "2020-21",
        "2021-22",
        "2022-23",
        "2023-24",
    ]
    response = client.get(_detail("ascof-2014-2a2", period="2020-21"))
    assert response.context["data"].period.label == "2020-21"
    response = client.get(_detail("ascof-2014-2a2", period="2023-24"))
    assert "published as <a" in response.content.decode() and "measure 2C of the" in response.content.decode()
    response = client.get(_detail("ascof-2014-2a2", period="1999-00"))  # unknown: 404
    assert response.status_code == 404


def test_region_and_england_published_else_computed(client_for, demo, west_midlands):
    client = client_for("sli_lead")
    data = client.get(_detail("ascof-2014-1a")).context["data"]
    assert not data.region_figure.computed and not data.england_figure.computed

    Value.objects.filter(area__key__in=[west_midlands.gss_code, "E92000001"]).delete()
    data_version_bump()  # a set-based delete of values: its writer bumps the data version (core/cache.py)
    response = client.get(_detail("ascof-2014-1a"))
    data = response.context["data"]
    assert data.region_figure.computed and data.england_figure.computed
    numbers = sorted(f.value for f in data.councils)
    assert len(numbers) == 14
    assert data.region_figure.value == (numbers[6] + numbers[7]) / 2  # the median, as on the scorecard
    assert data.region_figure.computed_from == 14
    assert "Computed" in response.content.decode()


def test_status_texts_and_ties(client_for, demo, birmingham, coventry):
    measure = Measure.objects.get(key="ascof-2014-1a")
    period = period_get_or_create(start_year=2022)
    Value.objects.filter(measure=measure, period=period, area__key=birmingham.gss_code).update(
        status=Value.Status.SUPPRESSED, value=None
    )
    Value.objects.filter(measure=measure, period=period, area__key=coventry.gss_code).update(
        status=Value.Status.NOT_APPLICABLE, value=None
    )
    Value.objects.filter(measure=measure, period=period, area__key="E08000027").delete()
    top = Value.objects.filter(
        measure=measure, period=period, area__kind="council", value__isnull=False
    ).order_by("-value")[0]
    Value.objects.filter(measure=measure, period=period, area__key="E08000028").update(value=top.value)

    response = client_for("dass").get(_detail("ascof-2014-1a", period="2022-23"))
    html = response.content.decode()
    assert "[c] Suppressed" in html and "[x] Not applicable" in html and "No data" in html
    assert "joint 1st of 11" in html
    assert "Your council" in html  # the DASS's own council is marked


def rank_positions(values, polarity):  # type: ignore[no-untyped-def]
    """The measure page's ranks (scoring.rank_values, the one ranking rule), ranked keys only."""
    return {key: r.rank for key, r in scoring.rank_values(values, polarity=polarity).items() if r.rank}


def test_rank_helper_shares_ties_and_respects_polarity():
    values = {"a": Decimal(5), "b": Decimal(7), "c": Decimal(7), "d": None, "e": Decimal(1)}
    assert rank_positions(values, "higher") == {"b": 1, "c": 1, "a": 3, "e": 4}
    assert rank_positions(values, "lower") == {"e": 1, "a": 2, "b": 3, "c": 3}
    assert rank_positions(values, "none") == {"b": 1, "c": 1, "a": 3, "e": 4}  # by size, largest first
    assert scoring.ordinal_of(2, 14, by_size=True) == "2nd highest of 14"
    assert scoring.ordinal_of(3, 14) == "3rd of 14"
    assert scoring.ordinal_of(1, 14, tied=True) == "joint 1st of 14"
    assert [scoring.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "111th",
    ]


def test_csv_downloads_parse(client_for, demo, west_midlands):
    client = client_for("sli_lead")
    rows = _csv(client.get(_detail("ascof-2014-1a", format="csv", chart="ranking")))
    assert rows[0][:2] == ["Area", "Score out of 24"]
    assert len(rows) == 1 + 14 + 2
    assert {row[0] for row in rows[-2:]} == {"West Midlands", "England"}
    assert float(rows[1][1]) > 0

    rows = _csv(client.get(_detail("ascof-2014-1a", format="csv", chart="trend")))
    assert rows[0] == ["Area", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
    assert len(rows) == 1 + 14 + 2
    assert client.get(_detail("ascof-2014-1a", format="csv", chart="nope")).status_code == 404


def test_unknown_measure_is_404(client_for, demo):
    assert client_for("sli_lead").get(_detail("no-such-measure")).status_code == 404


def test_region_parameter_and_default_region(client_for, demo):
    other = Region.objects.exclude(gss_code="E12000005").first()
    response = client_for("no_role_user").get(_detail("ascof-2014-1a"))
    assert response.context["region"].gss_code == "E12000005"
    response = client_for("no_role_user").get(_detail("ascof-2014-1a", region=other.gss_code))
    assert response.context["region"] == other
    assert response.context["data"].councils == [] or all(
        f.value is None for f in response.context["data"].councils
    )


def test_anonymous_users_are_sent_to_sign_in(client, demo):
    response = client.get(_detail("ascof-2014-1a"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _count_queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant(client_for, demo, west_midlands, django_assert_max_num_queries):
    client = client_for("sli_lead")
    url = _detail("ascof-2014-1a")
    client.get(url)  # warm up (session, content types)
    with django_assert_max_num_queries(12):
        client.get(url)
    with django_assert_max_num_queries(12):
        client.get(reverse("scorecard:measure-list"))
    page_version_bump()  # count a rendering, not the kept page (core/pagecache.py)
    before = _count_queries(client, url)

    measure = Measure.objects.get(key="ascof-2014-1a")
    for n in range(6):
        council = CouncilFactory(region=west_midlands)
        area = area_for_council(council=council)
        for year in (2019, 2020, 2021, 2022):
            Value.objects.create(
                measure=measure,
                period=period_get_or_create(start_year=year),
                area=area,
                value=Decimal("18.5") + n,
                is_demo=True,
            )
    area_for_region(region=west_midlands)
    page_version_bump()  # the same state as the first count: a rendering, not the kept page
    assert _count_queries(client, url) == before
    response = client.get(url)
    assert " of 20" in response.content.decode()


def test_measure_figures_export_to_csv_and_xlsx(client_for, demo):
    import io

    from openpyxl import load_workbook

    client = client_for("dass")
    response = client.get("/measures/ascof-2023-2c/?period=2023-24&_export=csv")
    import csv

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Period", "GSS code", "Area", "Area type", "Code"]
    header = rows[0]
    assert {"Value", "Unit", "Status", "Rank in region", "Basis", "Demo data"} <= set(header)
    assert len(rows) == 1 + 14 + 2  # councils, region, England
    first = dict(zip(header, rows[1], strict=True))
    assert first["Rank in region"] == "1" and first["Code"] == "2C" and first["Period"] == "2023-24"
    assert [r[1] for r in rows[-2:]] == ["E12000005", "E92000001"]
    xlsx = client.get("/measures/ascof-2023-2c/?_export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 17
    value_column = header.index("Value") + 1
    assert all(isinstance(sheet.cell(r, value_column).value, int | float) for r in range(2, 18))


def test_measure_charts_are_built_once_per_data_version_and_after_a_change(client_for, demo, monkeypatch):
    """The plotly figures are kept per data version (another viewer's first view reuses them); new figures
    make them anew, with the new value in them."""
    from scorecard.measures import views as measure_views

    built = []
    real = measure_views.measure_ranking_chart
    monkeypatch.setattr(
        measure_views, "measure_ranking_chart", lambda *a, **k: built.append(1) or real(*a, **k)
    )
    client = client_for("sli_lead")
    url = _detail("ascof-2023-2c")
    assert client.get(url).status_code == 200 and len(built) == 1
    page_version_bump()  # the page is rendered again, the charts are not
    assert client.get(url).status_code == 200 and len(built) == 1
    value = Value.objects.filter(measure__key="ascof-2023-2c", area__council__isnull=False).first()
    value.value = Decimal("987.6")
    value.save()  # a changed figure: a new data version
    html = client.get(url).content.decode()
    assert len(built) == 2 and "987.6" in html
