"""The real Oflog explorer extract (../shared/data, see its README) through the shipped ``oflog-asc`` mapping,
and what it gives the API: the publisher's code, the source, the values by period."""

from decimal import Decimal
from pathlib import Path

import pytest

from scorecard.imports.mapped import MEDIAN_BREAKDOWN
from scorecard.models import Value
from tests.mapped_helpers import run, write

pytestmark = pytest.mark.django_db

REAL_OFLOG = Path("../shared/data/oflog_asc_2015-16_2016-17_asc1-5.csv")
BIRMINGHAM = "E08000025"


@pytest.fixture
def imported():
    status, out, err = run(REAL_OFLOG, "--mapping", "oflog-asc")
    assert status == 0, err
    return out


def test_the_real_file_loads_every_row_and_its_medians(imported):
    # 1,064 rows (152 councils × 7 metric-years), 6 of them blank; one published median per metric-year.
    assert "1064 rows read: 1071 created, 0 updated, 0 unchanged, 0 skipped" in imported
    assert Value.objects.filter(breakdown="", status=Value.Status.MISSING).count() == 6
    assert Value.objects.filter(breakdown=MEDIAN_BREAKDOWN, area__key="E92000001").count() == 7

    def value(key: str, period: str) -> Decimal:
        return Value.objects.get(
            measure__key=key, period__label=period, area__key=BIRMINGHAM, breakdown=""
        ).value

    assert value("ascof-2014-1d", "2016-17") == Decimal("7")  # ASC1, carer quality of life
    assert value("ascof-2014-1j", "2016-17") == Decimal("0.412")  # ASC2, the adjusted ratio
    assert value("ascof-2014-3d1", "2015-16") == Decimal("71")
    assert value("ascof-2014-3d2", "2016-17") == Decimal("47.9")
    assert value("ascof-2014-2d", "2016-17") == Decimal("58.1")
    assert Value.objects.get(
        measure__key="ascof-2014-2d",
        period__label="2015-16",
        area__key="E92000001",
        breakdown=MEDIAN_BREAKDOWN,
    ).value == Decimal("74.75")


def test_reimporting_the_real_file_changes_nothing(imported):
    status, out, _ = run(REAL_OFLOG, "--mapping", "oflog-asc")
    assert status == 0 and "0 created, 0 updated, 1071 unchanged" in out


def test_imported_national_measures_in_the_api(client_for, tmp_path):
    path = write(
        tmp_path,
        "turnover.csv",
        [
            "Area code,Year,Turnover",
            f"{BIRMINGHAM},2022-23,31.25",
            "E08000026,2022-23,27.5",
            "E08000027,2022-23,",
        ],
    )
    status, _, err = run(
        path, "--area", "Area code", "--value", "Turnover", "--period", "Year", "--measure", "ASC7"
    )
    assert status == 0, err
    api = client_for("dass")
    measures = {m["key"]: m for m in api.get("/api/measures/").json()["measures"]}
    assert measures["national-asc7"] | {"title": ""} == measures["national-asc7"] | {
        "title": "",
        "code": "ASC7",
        "framework": "national",
        "source": "Skills for Care (ASC-WDS)",
        "polarity": "none",
        "rank_by_size": True,
        "domain": "resources-and-workforce-management",
    }
    payload = api.get("/api/measures/national-asc7/values/", {"period": "2022-23"}).json()
    assert payload["period"] == "2022-23"
    rows = {row["gss_code"]: row for row in payload["values"]}
    assert rows[BIRMINGHAM]["value"] == 31.25 and rows[BIRMINGHAM]["rag"] is None
    assert rows["E08000027"]["status"] == "missing"
    assert api.get("/api/measures/national-asc7/values/", {"period": "2030-31"}).status_code == 400
