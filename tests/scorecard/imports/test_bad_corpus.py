"""Every malformed file in tests/data/bad/ is refused with a clear problem, and nothing is written.

"Database unchanged" compares dumps of the data tables (Value, its history, Council, Area, Period,
Measure) before and after; the import_record table is excluded on purpose, because a FAILED record is
written for every refused file (asserted separately).
"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from councils.models import Council
from scorecard.imports.ascof import ascof_import
from scorecard.imports.local import measures_import
from scorecard.models import Area, ImportRecord, Measure, Period, Value
from tests.files import BAD, DATA

EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
BAD_FILES = sorted(path.name for path in BAD.iterdir() if path.name != "expected.json")
IMPORTERS = {"ascof": (ascof_import, "import_ascof"), "measures": (measures_import, "import_measures")}


def dump() -> dict[str, list[tuple]]:
    tables = {"Value": Value, "ValueHistory": Value.history.model, "Council": Council}
    tables |= {"Area": Area, "Period": Period, "Measure": Measure}
    return {name: list(model.objects.order_by("pk").values_list()) for name, model in tables.items()}


@pytest.fixture
def populated(db):
    """Existing real and demo values, so that 'unchanged' means something."""
    # Northumberland with no CASSR code recorded yet (as for councils created since 2019), so that a file
    # giving it another council's code is a conflict.
    Council.objects.filter(gss_code="E06000057").update(cassr_code=None)
    outcome = ascof_import(path=DATA / "good" / "utf8_bom_valid.csv")
    assert outcome.ok, outcome.problems
    Value.objects.create(
        measure=Measure.objects.get(key="ascof-2014-1b"),
        period=Period.objects.get(start_year=2018),
        area=Area.objects.get(key="E08000026"),
        value=70,
        is_demo=True,
    )
    return outcome


def test_corpus_is_large_and_described():
    assert len(BAD_FILES) >= 30
    assert set(BAD_FILES) == set(EXPECTED), "every bad file needs an expectation in expected.json"


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_refused_and_nothing_changes(populated, name):
    expected = EXPECTED[name]
    service, command = IMPORTERS[expected["importer"]]
    before = dump()
    records_before = ImportRecord.objects.count()

    outcome = service(path=BAD / name)

    assert not outcome.ok
    assert outcome.problem_count >= 1 and outcome.problems
    assert outcome.created == outcome.updated == outcome.unchanged == 0
    matching = [p for p in outcome.problems if expected["contains"] in p.message]
    assert matching, f"no problem says {expected['contains']!r}: {[str(p) for p in outcome.problems]}"
    problem = matching[0]
    assert problem.file == name
    assert problem.row == expected["row"]
    assert problem.column == expected["column"]
    text = str(problem)
    assert text.startswith(name) and expected["contains"] in text
    if expected["row"] is not None:
        assert f"row {expected['row']}" in text
    if expected["column"]:
        assert f"column {expected['column']}" in text

    record = outcome.record
    assert record is not None and record.status == ImportRecord.Status.FAILED
    assert record.file_name == name
    assert record.problem_count == outcome.problem_count
    assert record.problems[0]["text"] == str(outcome.problems[0])
    assert dump() == before

    with pytest.raises(CommandError, match="problem"):
        call_command(command, str(BAD / name))
    assert dump() == before
    assert ImportRecord.objects.count() == records_before + 2
    assert Value.objects.filter(is_demo=True).count() == 1  # demo values survive a failed import


@pytest.mark.parametrize("importer", ["ascof", "measures"])
def test_file_over_the_size_limit_is_refused(populated, tmp_path, importer):
    service, command = IMPORTERS[importer]
    path = tmp_path / "big.csv"
    path.write_bytes((DATA / "good" / "utf8_bom_valid.csv").read_bytes())
    before = dump()
    with override_settings(IMPORT_MAX_BYTES=100):
        outcome = service(path=path)
        with pytest.raises(CommandError):
            call_command(command, str(path))
    assert not outcome.ok
    assert "over the limit of 100 bytes" in str(outcome.problems[0])
    assert outcome.record.size_bytes == path.stat().st_size
    assert dump() == before


def test_missing_file_is_a_problem_not_a_crash(db, tmp_path):
    outcome = ascof_import(path=tmp_path / "nowhere.csv")
    assert not outcome.ok
    assert "cannot be read" in str(outcome.problems[0])
    assert outcome.record.status == ImportRecord.Status.FAILED


def test_every_problem_is_collected_not_just_the_first(db, tmp_path):
    lines = ["Year,ONS Code,Measure Group,Measure_Value"]
    lines += [f"2018-19,E08000025,1A,bad{i}" for i in range(60)]
    lines += ["2018-19,E08000026,9Z,19.0", "1999-00,E08000027,1A,19.0"]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = ascof_import(path=path)
    assert outcome.problem_count == 62
    assert [p.row for p in outcome.problems[:3]] == [2, 3, 4]
    assert {p.column for p in outcome.problems} == {"Measure_Value", "Measure Group", "Year"}
    assert len(outcome.record.problems) == 50  # the record keeps the first 50
    assert outcome.record.problem_count == 62
