"""The local-measures import (XLSX template or CSV of values) and the blank template."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from councils.models import Council
from scorecard.imports.local import measures_import, measures_template_xlsx
from scorecard.models import Area, ImportRecord, Measure, Period, Value
from tests.files import GOOD


def dump() -> dict[str, list[tuple]]:
    tables = {"Value": Value, "ValueHistory": Value.history.model, "Council": Council}
    tables |= {"Area": Area, "Period": Period, "Measure": Measure}
    return {name: list(model.objects.order_by("pk").values_list()) for name, model in tables.items()}


def local_value(code: str, area_key: str, year: int = 2023) -> Value:
    return Value.objects.get(measure__key=f"local-{code}", area__key=area_key, period__start_year=year)


def test_template_has_values_and_measures_sheets_with_marked_examples(db):
    workbook = load_workbook(BytesIO(measures_template_xlsx()))
    assert workbook.sheetnames == ["Instructions", "Values", "Measures"]
    values = [[cell.value for cell in row] for row in workbook["Values"].iter_rows()]
    measures = [[cell.value for cell in row] for row in workbook["Measures"].iter_rows()]
    assert values[0] == ["GSS code", "Measure code", "Period", "Value", "Note"]
    assert measures[0][:4] == ["Code", "Title", "Unit", "Polarity"]
    assert len(values) == len(measures) == 2
    assert values[1][1].startswith("EXAMPLE") and "EXAMPLE ROW" in values[1][4]
    assert measures[1][0].startswith("EXAMPLE") and "EXAMPLE ROW" in measures[1][1]
    instructions = " ".join(str(row[0].value) for row in workbook["Instructions"].iter_rows())
    assert "EXAMPLE" in instructions and "[c]" in instructions


def test_blank_template_imports_nothing_and_skips_the_examples(db, tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(measures_template_xlsx())
    before = dump()
    outcome = measures_import(path=path)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.created == 0
    assert outcome.skipped_reasons == {"template example row": 2}
    assert dump()["Value"] == before["Value"] and dump()["Measure"] == before["Measure"]


def test_xlsx_defines_measures_and_imports_values(db, sli_lead, west_midlands):
    outcome = measures_import(path=GOOD / "local_measures.xlsx", user=sli_lead)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert (outcome.rows_read, outcome.created, outcome.skipped) == (5, 4, 2)  # both example rows

    review = Measure.objects.get(key="local-wm-rev")
    assert (review.framework, review.code, review.source) == ("local", "WM-REV", "local")
    assert (review.unit, review.polarity, review.domain.slug) == (
        "percent",
        "higher",
        "performance-and-outcomes",
    )
    assert (review.plausible_min, review.plausible_max) == (0, 100)
    assert review.owner_region == west_midlands  # a lead's new measure belongs to their region
    waiting = Measure.objects.get(key="local-wm-wait")
    assert (waiting.unit, waiting.polarity, waiting.domain.slug) == ("count", "lower", "culture-and-change")
    assert waiting.description == "Median days"
    assert not Measure.objects.filter(code__startswith="EXAMPLE").exists()

    birmingham = local_value("wm-rev", "E08000025")
    assert (birmingham.value, birmingham.note) == (Decimal("81.5"), "Provisional")
    assert local_value("wm-rev", "E08000026").status == Value.Status.SUPPRESSED
    assert local_value("wm-wait", "E08000025").value == Decimal("12")  # "2023/24" and lower-case code
    assert local_value("wm-wait", "E12000005").value == Decimal("14.5")
    assert outcome.record.kind == ImportRecord.Kind.LOCAL
    assert outcome.record.imported_by == sli_lead
    assert outcome.record.summary["measures_created"] == ["local-wm-rev", "local-wm-wait"]
    assert birmingham.history.get().history_user == sli_lead


def test_csv_updates_existing_local_measure_values(db):
    assert measures_import(path=GOOD / "local_measures.xlsx").ok
    outcome = measures_import(path=GOOD / "local_values.csv")
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 0)
    birmingham = local_value("wm-rev", "E08000025")
    assert (birmingham.value, birmingham.note) == (Decimal("82.0"), "Final")
    assert birmingham.history.count() == 2
    assert local_value("wm-rev", "E08000027").value == Decimal("70.5")


def test_reimport_changes_nothing(db):
    assert measures_import(path=GOOD / "local_measures.xlsx").ok
    before = dump()
    outcome = measures_import(path=GOOD / "local_measures.xlsx")
    assert outcome.ok
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 4)
    assert outcome.record.summary["measures_updated"] == []
    assert dump() == before


def test_dry_run_writes_nothing(db):
    before = dump()
    outcome = measures_import(path=GOOD / "local_measures.xlsx", dry_run=True)
    assert outcome.ok and outcome.created == 4
    assert dump() == before
    assert outcome.record.status == ImportRecord.Status.PREVIEWED


def test_local_import_replaces_demo_values(db):
    assert measures_import(path=GOOD / "local_measures.xlsx").ok
    Value.objects.filter(area__key="E08000025").update(is_demo=True)
    outcome = measures_import(path=GOOD / "local_values.csv")
    assert outcome.ok
    assert not Value.objects.filter(is_demo=True).exists()
    assert outcome.record.summary["demo_values_deleted"] == 2


def test_csv_cannot_give_values_for_an_undefined_measure(db, tmp_path):
    outcome = measures_import(path=GOOD / "local_values.csv")
    assert not outcome.ok
    assert "define new ones in the Measures sheet of the XLSX template" in str(outcome.problems[0])


def test_commands(db):
    out = StringIO()
    call_command("import_measures", str(GOOD / "local_measures.xlsx"), stdout=out, stderr=StringIO())
    assert "4 created" in out.getvalue()
    out = StringIO()
    call_command(
        "import_measures", str(GOOD / "local_values.csv"), "--dry-run", stdout=out, stderr=StringIO()
    )
    assert "Dry run" in out.getvalue() and "1 updated" in out.getvalue()
    assert local_value("wm-rev", "E08000025").value == Decimal("81.5")
    with pytest.raises(CommandError):
        call_command("import_measures", str(GOOD / "odd_but_valid.csv"), stdout=StringIO(), stderr=StringIO())
