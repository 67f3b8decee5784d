"""A re-import never changes or blanks a published figure without saying so."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from scorecard.imports.ascof import ascof_import
from scorecard.models import ImportRecord, Value

pytestmark = pytest.mark.django_db

HEADER = (
    "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
    "Geographical Level,Disaggregation Level,Measure Type"
)


def rows(birmingham: str = "18.9", coventry: str = "19.4", dudley: str = "19.0") -> str:
    lines = [
        f"2019-20,Birmingham,E08000025,1A,SCRQoL,{birmingham},Council,Total,Outcome",
        f"2019-20,Coventry,E08000026,1A,SCRQoL,{coventry},Council,Total,Outcome",
        f"2019-20,Dudley,E08000027,1A,SCRQoL,{dudley},Council,Total,Outcome",
    ]
    return "\n".join([HEADER, *lines]) + "\n"


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "first.csv"
    path.write_text(rows())
    assert ascof_import(path=path).ok
    return tmp_path


def value_of(gss: str) -> tuple:
    return Value.objects.values_list("value", "status").get(area__key=gss)


def test_command_stops_and_lists_published_figures_it_would_blank(published):
    path = published / "blanked.csv"
    path.write_text(rows(birmingham="", coventry="[c]", dudley="19.2"))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ascof", str(path), stdout=StringIO(), stderr=err)
    text = err.getvalue()
    assert "2 removed" in text and "1 changed" in text
    assert "REMOVED 1A 2019-20 Birmingham (E08000025): 18.9 -> missing" in text
    assert "REMOVED 1A 2019-20 Coventry (E08000026): 19.4 -> suppressed [c]" in text
    assert "changed 1A 2019-20 Dudley (E08000027): 19 -> 19.2" in text
    assert "--allow-blanking" in text
    assert value_of("E08000025")[0] == Decimal("18.9")  # nothing changed
    assert value_of("E08000027")[0] == Decimal("19.0")

    out = StringIO()
    call_command("import_ascof", str(path), "--allow-blanking", stdout=out, stderr=StringIO())
    assert "REMOVED 1A 2019-20 Birmingham (E08000025): 18.9 -> missing" in out.getvalue()
    assert "0 created, 3 updated" in out.getvalue()
    assert value_of("E08000025") == (None, Value.Status.MISSING)
    assert value_of("E08000026") == (None, Value.Status.SUPPRESSED)


def test_command_lists_changed_figures_and_imports_them_without_the_flag(published):
    path = published / "revised.csv"
    path.write_text(rows(birmingham="19.1"))
    out = StringIO()
    call_command("import_ascof", str(path), stdout=out, stderr=StringIO())
    assert "Published figures this file changed: 1 changed, 0 removed" in out.getvalue()
    assert "changed 1A 2019-20 Birmingham (E08000025): 18.9 -> 19.1" in out.getvalue()
    assert value_of("E08000025")[0] == Decimal("19.1")


def test_a_dry_run_lists_blanking_without_stopping(published):
    path = published / "blanked.csv"
    path.write_text(rows(birmingham=""))
    out = StringIO()
    call_command("import_ascof", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "would change: 0 changed, 1 removed" in out.getvalue()
    assert "Dry run" in out.getvalue()


def test_unchanged_reimport_reports_no_changes(published):
    path = published / "same.csv"
    path.write_text(rows())
    outcome = ascof_import(path=path)
    assert outcome.ok and outcome.changes == [] and outcome.unchanged == 3


def test_web_preview_lists_old_and_new_values_and_confirm_says_how_many(published, client_for, settings):
    settings.IMPORT_UPLOAD_DIR = published / "uploads"
    client = client_for("admin")
    upload = SimpleUploadedFile("revised.csv", rows(birmingham="", dudley="19.2").encode())
    response = client.post(reverse("scorecard:import-upload"), {"kind": "ascof", "file": upload, "year": ""})
    preview = ImportRecord.objects.get(file_name="revised.csv")
    assert response["Location"] == reverse("scorecard:import-detail", kwargs={"pk": preview.pk})
    assert (preview.status, preview.changed_count, preview.removed_count) == ("previewed", 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "1 changed, 1 removed" in page
    assert "Birmingham" in page and "18.9" in page and "Removed" in page
    assert "Dudley" in page and "19.2" in page
    assert "Confirm import" in page and "remove 1" in page

    csv_text = client.get(reverse("scorecard:import-changes", kwargs={"pk": preview.pk})).content.decode()
    assert "removed,1A,2019-20,Birmingham,E08000025,,18.9,Missing" in csv_text
    assert "changed,1A,2019-20,Dudley,E08000027,,19,19.2" in csv_text

    response = client.post(reverse("scorecard:import-confirm", kwargs={"pk": preview.pk}), follow=True)
    html = response.content.decode()
    assert "revised.csv imported: 0 values created, 2 updated, 1 unchanged." in html
    assert "1 published figure changed, 1 removed." in html
    assert value_of("E08000025") == (None, Value.Status.MISSING)
