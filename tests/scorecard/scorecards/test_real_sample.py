"""The balanced-scorecard pages on the real ASCOF extract: every figure shown is the file's."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from councils.models import Council
from tests.files import REAL_FILE, REAL_NEIGHBOURS

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"


def test_real_sample_pages_and_api_show_the_files_values(client_for, sli_lead, birmingham):
    """The real ASCOF extract and nearest-neighbour map: every figure on the page equals the file's."""
    call_command("import_ascof", str(REAL_FILE), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("import_neighbours", str(REAL_NEIGHBOURS), stdout=io.StringIO())
    with open(REAL_FILE, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Year"] == "2019-20"]
    expected = {r["Measure Group"]: Decimal(r["Measure_Value"]) for r in rows if r["ONS Code"] == BIRMINGHAM}
    region = {r["Measure Group"]: Decimal(r["Measure_Value"]) for r in rows if r["ONS Code"] == WEST_MIDLANDS}
    england = {r["Measure Group"]: Decimal(r["Measure_Value"]) for r in rows if r["ONS Code"] == "E92000001"}
    wm_codes = set(Council.objects.filter(region__gss_code=WEST_MIDLANDS).values_list("gss_code", flat=True))
    wm_counts: dict[str, int] = {}
    for r in rows:
        if r["ONS Code"] in wm_codes and r["Measure_Value"] not in ("", "[c]", "[x]"):
            wm_counts[r["Measure Group"]] = wm_counts.get(r["Measure Group"], 0) + 1

    client = client_for("sli_lead")
    response = client.get(f"/councils/{BIRMINGHAM}/scorecard/?period=2019-20")
    scorecard = response.context["scorecard"]
    assert not scorecard.data_is_demo
    assert "These figures are synthetic demo data" not in response.content.decode()
    shown = {row.code: row for row in scorecard.rows}
    assert set(expected) <= set(shown)
    for code, value in expected.items():
        assert shown[code].value == value, code
        assert shown[code].comparators["region"].value == region[code]
        assert shown[code].comparators["region"].published
        assert shown[code].comparators["england"].value == england[code]
        assert shown[code].rank_of == wm_counts[code]  # every West Midlands council with a figure
        assert shown[code].comparators["nearest_neighbours_median"].value is not None

    api = client.get(f"/api/councils/{BIRMINGHAM}/scorecard/?period=2019-20").json()
    api_values = {m["code"]: m["value"] for m in api["measures"]}
    for code, value in expected.items():
        assert Decimal(str(api_values[code])) == value

    overview = client.get(f"/regions/{WEST_MIDLANDS}/scorecard/?period=2019-20").context["overview"]
    birmingham_row = next(row for row in overview.rows if row.council.gss_code == BIRMINGHAM)
    assert {
        cell.measure.code: cell.value for cell in birmingham_row.cells if cell.value is not None
    } == expected

    measure = client.get("/measures/ascof-2014-2a2/?period=2019-20")
    assert measure.status_code == 200
    councils_in_file = {r["ONS Code"] for r in rows if r["Geographical Level"] == "Council"}
    assert Council.objects.filter(gss_code__in=councils_in_file).count() == len(councils_in_file)
    assert json.loads(json.dumps(api))["period"] == "2019-20"
