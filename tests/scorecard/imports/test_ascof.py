"""The ASCOF import: the real published extract, every header layout, breakdowns, parts, re-imports."""

import csv
import hashlib
import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from councils.models import Council
from scorecard.areas import area_for_council
from scorecard.imports.ascof import ascof_import, year_from_file_name
from scorecard.models import Area, ImportRecord, Measure, Period, Value
from scorecard.periods import period_get_or_create
from tests.files import GOOD, REAL_FILE

WEST_MIDLANDS = {
    "E08000025",
    "E08000026",
    "E08000027",
    "E08000028",
    "E08000029",
    "E08000030",
    "E08000031",
    "E06000019",
    "E06000020",
    "E06000021",
    "E06000051",
    "E10000028",
    "E10000031",
    "E10000034",
}


def dump() -> dict[str, list[tuple]]:
    tables = {"Value": Value, "ValueHistory": Value.history.model, "Council": Council}
    tables |= {"Area": Area, "Period": Period, "Measure": Measure}
    return {name: list(model.objects.order_by("pk").values_list()) for name, model in tables.items()}


def stored(year: int, area_key: str, code: str, breakdown: str = "") -> Value:
    framework = "ascof_2023" if year >= 2023 else "ascof_2014"
    return Value.objects.get(
        period__start_year=year,
        area__key=area_key,
        measure__framework=framework,
        measure__code=code,
        breakdown=breakdown,
    )


@pytest.fixture
def real_catalogue(db):
    """The catalogue as shipped: its plausible ranges must accept every real published value (the
    Isles of Scilly's 2019-20 2A1 is 229.5 per 100,000, a real figure for a tiny population)."""
    assert Measure.objects.get(key="ascof-2014-2a1").plausible_max >= Decimal("229.5")


def read_real_rows() -> list[dict[str, str]]:
    with REAL_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_real_file_imports_every_row_and_values_match(real_catalogue, admin):
    outcome = ascof_import(path=REAL_FILE, user=admin)

    assert outcome.ok, [str(p) for p in outcome.problems[:10]]
    assert outcome.problem_count == 0 and outcome.problems == []
    assert outcome.rows_read == 8768
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.skipped) == (8768, 0, 0, 0)
    assert Value.objects.count() == 8768
    assert Value.objects.filter(breakdown="").count() == 8768
    assert set(Period.objects.values_list("label", flat=True)) >= {"2018-19", "2019-20"}

    rows = read_real_rows()
    west_midlands = [row for row in rows if row["ONS Code"] in WEST_MIDLANDS]
    assert len(west_midlands) > 700
    for row in west_midlands:
        value = stored(int(row["Year"][:4]), row["ONS Code"], row["Measure Group"])
        assert value.value == Decimal(row["Measure_Value"]), row
        assert value.status == Value.Status.OK
        assert value.source_import == outcome.record
    for row in rows:
        if row["Geographical Level"] in ("England", "Region"):
            value = stored(int(row["Year"][:4]), row["ONS Code"], row["Measure Group"])
            assert value.value == Decimal(row["Measure_Value"])

    # Every council in the file exists now (the 140 outside the West Midlands were created).
    codes = {row["ONS Code"] for row in rows if row["Geographical Level"] == "Council"}
    assert set(Council.objects.filter(gss_code__in=codes).values_list("gss_code", flat=True)) == codes
    northumberland = Council.objects.get(gss_code="E06000057")
    assert northumberland.name == "Northumberland"
    assert northumberland.council_type == Council.CouncilType.UNITARY
    assert northumberland.region.name == "North East"  # every English council is shipped with its region
    assert Council.objects.get(gss_code="E09000007").council_type == Council.CouncilType.INNER_LONDON
    assert Area.objects.get(key="E06000057").council == northumberland

    record = outcome.record
    assert record.status == ImportRecord.Status.APPLIED
    assert record.imported_by == admin
    assert record.sha256 == hashlib.sha256(REAL_FILE.read_bytes()).hexdigest()
    assert record.size_bytes == REAL_FILE.stat().st_size
    assert (record.rows_read, record.created, record.problem_count) == (8768, 8768, 0)
    assert Value.history.filter(history_user=admin).count() == 8768


def test_real_file_council_type_spellings_share_one_area(real_catalogue):
    assert ascof_import(path=REAL_FILE).ok
    rows = read_real_rows()
    spellings = {
        row["Geographical Level"] for row in rows if row["Geographical Level"].lower() == "council type"
    }
    assert spellings == {"Council type", "Council Type"}
    type_areas = Area.objects.filter(kind=Area.Kind.COUNCIL_TYPE)
    assert type_areas.count() == 5  # inner/outer London, metropolitan, shire counties, unitaries
    metropolitan = Area.objects.get(key="type:metropolitan-district")
    assert metropolitan.council_type == Council.CouncilType.METROPOLITAN_DISTRICT
    for row in rows:
        if (
            row["Geographical Level"].lower() == "council type"
            and "Metropolitan" in row["Geographical Description"]
        ):
            value = Value.objects.get(
                area=metropolitan, period__label=row["Year"], measure__code=row["Measure Group"]
            )
            assert value.value == Decimal(row["Measure_Value"])
    # Both spellings of the level and both "Metropolitan District(s)" land here: 29 + 24 measures.
    assert metropolitan.values.count() == sum(
        1
        for row in rows
        if row["Geographical Level"].lower() == "council type"
        and "Metropolitan" in row["Geographical Description"]
    )


def test_real_file_reimport_changes_nothing(real_catalogue):
    assert ascof_import(path=REAL_FILE).ok
    before = dump()
    outcome = ascof_import(path=REAL_FILE)
    assert outcome.ok
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 8768)
    assert dump() == before  # no new values, no new history rows


def test_a_value_outside_a_tighter_bound_is_reported_with_row_and_column(db):
    Measure.objects.filter(key="ascof-2014-2a1").update(plausible_max=200)
    before = dump()
    outcome = ascof_import(path=REAL_FILE)
    assert not outcome.ok
    assert [str(p) for p in outcome.problems] == [
        "ascof_2018-19_to_2019-20.csv, row 8234, column Measure_Value: "
        "229.5 is outside the plausible range for 2A1 (0 to 200)"
    ]
    assert dump() == before


def test_changed_value_is_updated_with_history(real_catalogue, tmp_path):
    assert ascof_import(path=GOOD / "utf8_bom_valid.csv").ok
    value = stored(2018, "E08000025", "1A")
    assert value.value == Decimal("19.5") and value.history.count() == 1
    changed = tmp_path / "changed.csv"
    changed.write_text(
        (GOOD / "utf8_bom_valid.csv").read_text(encoding="utf-8-sig").replace(",19.5,", ",19.6,"),
        encoding="utf-8",
    )
    outcome = ascof_import(path=changed)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 4)
    value.refresh_from_db()
    assert value.value == Decimal("19.6")
    assert value.source_import == outcome.record
    assert [h.value for h in value.history.order_by("history_date")] == [Decimal("19.5"), Decimal("19.6")]


def test_odd_but_valid_file_imports(db):
    outcome = ascof_import(path=GOOD / "odd_but_valid.csv")
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.rows_read == 15  # the blank line is not a row
    assert outcome.skipped_reasons == {"identical duplicate row": 1}
    assert stored(2018, "E08000025", "1A").value == Decimal("19.5")  # spaces trimmed
    suppressed = stored(2018, "E08000026", "1A")
    assert (suppressed.status, suppressed.value) == (Value.Status.SUPPRESSED, None)
    not_applicable = stored(2018, "E08000027", "1A")
    assert (not_applicable.status, not_applicable.value) == (Value.Status.NOT_APPLICABLE, None)
    missing = stored(2018, "E08000028", "1A")
    assert (missing.status, missing.value) == (Value.Status.MISSING, None)
    admissions = stored(2018, "E08000025", "2A2")
    assert (admissions.value, admissions.numerator, admissions.denominator) == (
        Decimal("600.1"),
        Decimal("1200"),
        Decimal("199961"),
    )
    # Breakdowns are stored beside the total, never in place of it.
    assert stored(2018, "E08000025", "1B").value == Decimal("76.2")
    assert stored(2018, "E08000025", "1B", "18-64").value == Decimal("74.0")
    assert stored(2018, "E08000025", "1B", "65+").value == Decimal("78.0")
    # "Council type" / "Council Type" and singular / plural names are one area.
    metropolitan = Area.objects.get(key="type:metropolitan-district")
    assert metropolitan.values.count() == 2
    # "Eastern" is the East of England region, matched by code; England's blank type is the outcome.
    assert stored(2018, "E12000006", "1A").area.region.name == "East of England"
    assert stored(2018, "E92000001", "1A").value == Decimal("19.4")


@pytest.mark.parametrize("name", ["latin1_valid.csv", "utf8_bom_valid.csv", "semicolon_valid.csv"])
def test_encodings_and_delimiters_import(db, name):
    outcome = ascof_import(path=GOOD / name)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.created == outcome.rows_read
    assert stored(2018, "E08000025", "1B").value == Decimal("76.2")
    assert stored(2018, "E12000005", "1A").value == Decimal("19.3")


def test_single_year_layout_with_year_in_file_name(db):
    Council.objects.filter(gss_code="E06000057").update(cassr_code=None)  # not recorded yet
    outcome = ascof_import(path=GOOD / "meas-from-asc-of-eng-2019-20.csv")
    assert outcome.ok, [str(p) for p in outcome.problems]
    total = stored(2019, "E08000025", "1A")
    assert (total.value, total.base) == (Decimal("19.1"), Decimal("812"))
    assert stored(2019, "E08000025", "1A", "18-64").value == Decimal("19.6")
    assert stored(2019, "E08000025", "1A", "65+").value == Decimal("18.8")
    assert stored(2019, "E08000025", "1A", "Male").value == Decimal("19.3")  # from the 1AM suffix
    assert stored(2019, "E08000025", "1A", "Female").value == Decimal("18.9")
    admissions = stored(2019, "E08000025", "2A1")
    assert (admissions.value, admissions.numerator, admissions.denominator) == (
        Decimal("21.4"),
        Decimal("150"),
        Decimal("700000"),
    )
    assert Council.objects.get(gss_code="E06000057").cassr_code == 917  # recorded where it was empty
    assert Council.objects.get(gss_code="E08000025").cassr_code == 406
    assert stored(2019, "type:metropolitan-district", "1A").value == Decimal("19.0")


def test_single_year_layout_with_year_argument(db, tmp_path):
    path = tmp_path / "ascof.csv"
    shutil.copy(GOOD / "meas-from-asc-of-eng-2019-20.csv", path)
    refused = ascof_import(path=path)
    assert not refused.ok and "no Year column" in str(refused.problems[0])
    outcome = ascof_import(path=path, year="2019/20")
    assert outcome.ok
    assert stored(2019, "E08000025", "1A").value == Decimal("19.1")
    bad_year = ascof_import(path=path, year="next year")
    assert not bad_year.ok and "the year given, 'next year', is not a financial year" in str(
        bad_year.problems[0]
    )


def test_refreshed_layout_uses_new_codes_and_blank_types(db):
    outcome = ascof_import(path=GOOD / "meas-from-asc-of-eng-2324-refreshed.csv")
    assert outcome.ok, [str(p) for p in outcome.problems]
    quality = stored(2023, "E08000025", "1A")
    assert quality.measure.key == "ascof-2023-1a"
    assert (quality.value, quality.margin_of_error) == (Decimal("18.9"), Decimal("0.3"))
    assert stored(2023, "E08000025", "2C").value == Decimal("560.2")
    assert stored(2023, "E08000025", "5A1").status == Value.Status.SUPPRESSED
    assert stored(2023, "E08000026", "3D2B").status == Value.Status.NOT_APPLICABLE
    assert stored(2023, "E92000001", "1A").value == Decimal("19.0")


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("meas-from-asc-of-eng-2019-20.csv", 2019),
        ("meas-from-asc-of-eng-1920-open-data-csv.csv", 2019),
        ("meas-from-asc-of-eng-2023-24-timeseries.csv", 2023),
        ("ASCOF 2018_19 final.csv", 2018),
        ("meas-from-asc-of-eng-201718.csv", 2017),
        ("meas-from-asc-of-eng-2022-csv-v3.csv", None),
        ("ascof.csv", None),
    ],
)
def test_year_from_file_name(name, start):
    assert year_from_file_name(name) == start


def test_real_import_replaces_demo_values(db):
    measure = Measure.objects.get(key="ascof-2014-4a")
    period = period_get_or_create(start_year=2018)
    area = area_for_council(council=Council.objects.get(gss_code="E08000030"))
    Value.objects.create(measure=measure, period=period, area=area, value=70, is_demo=True)
    outcome = ascof_import(path=GOOD / "utf8_bom_valid.csv")
    assert outcome.ok
    assert not Value.objects.filter(is_demo=True).exists()
    assert outcome.record.summary["demo_values_deleted"] == 1
    # The deletion is in the value's history, as django-simple-history records one (set-based here).
    removed = Value.history.get(history_type="-")
    assert removed.is_demo and removed.value == 70 and removed.area == area
    assert removed.history_change_reason == "Demo figure removed: real figures imported"


def test_real_import_sets_demo_neighbour_groups_aside_with_one_bump(db, monkeypatch):
    from core import cache
    from councils.models import NearestNeighbour

    walsall = Council.objects.get(gss_code="E08000030")
    for position, code in enumerate(("E08000025", "E08000026", "E08000027"), start=1):
        NearestNeighbour.objects.create(
            council=walsall, position=position, neighbour_gss_code=code, is_demo=True
        )
    bumps = []
    original = cache._bump_data
    monkeypatch.setattr(cache, "_bump_data", lambda: (bumps.append(1), original())[1])
    before = cache.data_version()
    outcome = ascof_import(path=GOOD / "utf8_bom_valid.csv")
    assert outcome.ok and outcome.record.summary["demo_neighbours_deleted"] == 3
    assert not NearestNeighbour.objects.filter(is_demo=True).exists()
    # Comparator groups change figures (the data version): one bump for the period the file adds, one for the
    # three rows at once (row by row it was four), one for the import's own write.
    assert cache.data_version() != before and len(bumps) == 3


def test_dry_run_writes_only_a_preview_record(db):
    before = dump()
    outcome = ascof_import(path=GOOD / "odd_but_valid.csv", dry_run=True)
    assert outcome.ok and outcome.dry_run
    assert outcome.created == 12
    assert dump() == before
    assert outcome.record.status == ImportRecord.Status.PREVIEWED
    assert ImportRecord.objects.get().created == 12


def test_file_name_argument_is_used_in_problems(db):
    outcome = ascof_import(path=GOOD.parent / "bad" / "non_numeric.csv", file_name="upload.csv")
    assert str(outcome.problems[0]).startswith("upload.csv, row 7, column Measure_Value:")
    assert outcome.record.file_name == "upload.csv"


def test_progress_is_reported(db):
    calls: list[tuple[int, int]] = []
    outcome = ascof_import(
        path=GOOD / "odd_but_valid.csv", progress=lambda done, total: calls.append((done, total))
    )
    assert outcome.ok
    assert calls[-1][0] == calls[-1][1] > 0
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_command_prints_counts_and_progress(db):
    out, err = StringIO(), StringIO()
    call_command("import_ascof", str(GOOD / "odd_but_valid.csv"), stdout=out, stderr=err)
    assert "12 created" in out.getvalue()
    assert "100%" in err.getvalue()
    out = StringIO()
    call_command("import_ascof", str(GOOD / "odd_but_valid.csv"), "--dry-run", stdout=out, stderr=StringIO())
    assert "Dry run" in out.getvalue() and "12 unchanged" in out.getvalue()


def test_command_with_year_option(db, tmp_path):
    path = tmp_path / "ascof.csv"
    shutil.copy(GOOD / "meas-from-asc-of-eng-2019-20.csv", path)
    with pytest.raises(CommandError):
        call_command("import_ascof", str(path), stdout=StringIO(), stderr=StringIO())
    call_command("import_ascof", str(path), "--year", "2019-20", stdout=StringIO(), stderr=StringIO())
    assert stored(2019, "E08000025", "1A").value == Decimal("19.1")


def test_command_failure_prints_problems_to_stderr(db):
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_ascof", str(GOOD.parent / "bad" / "percent_over_100.csv"), stderr=err)
    assert "percent_over_100.csv, row 7, column Measure_Value: 104.2 is a percentage outside 0-100" in (
        err.getvalue()
    )


def test_unknown_measures_can_be_skipped_and_counted_when_asked(db, tmp_path):
    """A newer framework release may add metrics the catalogue lacks: opt in to import the rest."""
    import io

    from django.core.management import CommandError, call_command

    path = tmp_path / "meas-from-asc-of-eng-2024-25.csv"
    path.write_text(
        "ONS Code,Geographical Description,Geographical Level,Measure Group,Measure_Value\n"
        "E08000025,Birmingham,Council,1A,19.0\n"
        "E08000025,Birmingham,Council,6A,42.0\n"
        "E08000026,Coventry,Council,6A,40.0\n"
    )
    with pytest.raises(CommandError):
        call_command("import_ascof", path, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Value.objects.exists()
    out = io.StringIO()
    call_command("import_ascof", path, "--skip-unknown-measures", stdout=out, stderr=io.StringIO())
    assert "measure 6A is not in the catalogue (2024-25): 2" in out.getvalue()
    assert Value.objects.get().value == Decimal("19.0")


@pytest.mark.parametrize(
    ("marker", "status"),
    [
        ("[c]", "suppressed"),
        ("*", "suppressed"),
        ("[x]", "not_applicable"),
        (":", "not_applicable"),
        ("..", "not_applicable"),
        ("-", "not_applicable"),
        ("N/A", "not_applicable"),
        ("", "missing"),
    ],
)
def test_published_markers_for_figures_that_are_not_numbers(db, tmp_path, marker, status):
    path = tmp_path / "meas-from-asc-of-eng-2019-20.csv"
    path.write_text(
        "ONS Code,Geographical Description,Geographical Level,Measure Group,Measure_Value\n"
        f"E08000025,Birmingham,Council,1A,{marker}\n"
    )
    assert ascof_import(path=path).ok
    value = Value.objects.get()
    assert (value.status, value.value) == (status, None)
