"""CSV uploads are bounded like workbooks: a row limit (said on the upload form), and a NUL anywhere in the
file is named as such, wherever it is (the binary check reads only the first 64 KB)."""

import pytest
from django.urls import reverse

from scorecard.imports.ascof import ascof_import
from scorecard.imports.local import measures_import
from scorecard.models import ImportRecord, Value

pytestmark = pytest.mark.django_db

HEADER = "GSS code,Measure code,Period,Value"


def test_a_csv_over_the_row_limit_is_refused_before_it_is_parsed(tmp_path, settings, monkeypatch):
    from scorecard.imports.pipeline import reading

    settings.IMPORT_MAX_ROWS = 50
    path = tmp_path / "big.csv"
    path.write_text("\n".join([HEADER] + [f"E08000025,X1,2023-24,{i}" for i in range(51)]) + "\n")
    parsed = []
    monkeypatch.setattr(reading, "_fast_frame", lambda *a, **k: parsed.append(1))
    outcome = measures_import(path=path)
    assert not outcome.ok and not parsed
    assert "the file has more than 50 rows, over the limit for one import" in outcome.problems[0].message
    assert outcome.record.status == ImportRecord.Status.FAILED and not Value.objects.exists()


def test_a_csv_at_the_row_limit_is_read_and_quoted_line_breaks_are_not_rows(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 50
    rows = [f'E08000025,X1,2023-24,"{i}"' for i in range(49)] + ['E08000025,X1,2023-24,"1\n2\n3\n4"']
    path = tmp_path / "fifty.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    outcome = measures_import(path=path, dry_run=True)
    assert not any("more than 50 rows" in problem.message for problem in outcome.problems)


def test_the_upload_form_states_the_row_limit(client_for, settings):
    settings.IMPORT_MAX_ROWS = 123456
    page = client_for("admin").get(reverse("scorecard:import-upload")).content.decode()
    assert "up to 123,456 rows" in page


def test_a_nul_after_the_first_64_kb_is_named_with_its_row(tmp_path):
    rows = [f"2019-20,Birmingham,E08000025,1A,SCRQoL,{i},Council,Total,Outcome" for i in range(2000)]
    text = "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
    text += "Geographical Level,Disaggregation Level,Measure Type\n" + "\n".join(rows) + "\n"
    data = text.encode()
    at = 70_000
    assert len(data) > at and b"\x00" not in data[:65536]
    data = data[:at] + b"\x00" + data[at:]
    path = tmp_path / "damaged.csv"
    path.write_bytes(data)
    outcome = ascof_import(path=path)
    assert not outcome.ok
    (problem,) = outcome.problems
    assert "contains a NUL character" in problem.message and "save it again as CSV" in problem.message
    assert problem.row == data.count(b"\n", 0, at) + 1
    assert not Value.objects.exists()
