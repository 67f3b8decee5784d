"""A file of another layout through the browser: upload, see its first rows, choose the columns (or a saved
mapping), preview every problem, confirm as a background task; saved mappings offered next time."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.models import ImportMapping, ImportRecord, Value
from tests.mapped_helpers import OFLOG_HEADER, oflog_row

pytestmark = pytest.mark.django_db

UPLOAD = "scorecard:import-upload"
BIRMINGHAM, COVENTRY = "E08000025", "E08000026"
OFLOG = [
    OFLOG_HEADER,
    oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "31.12345678"),
    oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "27.5"),
]
WIDE = ["Local authority,2021/22,2022-23", "Birmingham City Council,8.5,9.25", "Coventry,7,"]


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


def upload(client, lines: list[str], name: str = "explorer.csv"):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")
    return client.post(reverse(UPLOAD), {"kind": "mapped", "file": file, "year": ""})


def columns_url(record: ImportRecord) -> str:
    return reverse("scorecard:import-columns", kwargs={"pk": record.pk})


def test_upload_shows_the_first_rows_and_offers_the_fitting_saved_mapping(client_for):
    client = client_for("admin")
    response = upload(client, OFLOG)
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == columns_url(record)
    assert record.status == ImportRecord.Status.PENDING and record.task_state == ""
    # The record page sends a file waiting for its columns back to them.
    assert client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk}))[
        "Location"
    ] == columns_url(record)
    page = client.get(columns_url(record)).content.decode()
    assert "The file&#x27;s first rows" in page or "The file's first rows" in page
    assert "31.12345678" in page and "Local authority code" in page
    assert '<option value="oflog-asc" selected>' in page  # its columns are all in the file


def test_a_saved_mapping_previews_then_confirms_once(client_for):
    client = client_for("admin")
    upload(client, OFLOG)
    record = ImportRecord.objects.get()
    response = client.post(columns_url(record), {"mapping": "oflog-asc"})
    assert response["Location"] == reverse("scorecard:import-detail", kwargs={"pk": record.pk})
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.PREVIEWED, record.problems
    assert record.created == 3 and not Value.objects.exists()  # two figures and the median; nothing written
    page = client.get(response["Location"]).content.decode()
    assert "Confirm import" in page
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    applied = ImportRecord.objects.get(status=ImportRecord.Status.APPLIED)
    assert applied.kind == ImportRecord.Kind.MAPPED and applied.preview_of == record
    figure = Value.objects.get(measure__key="national-asc7", area__key=BIRMINGHAM, breakdown="")
    assert figure.value == Decimal("31.123457")
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    assert ImportRecord.objects.filter(status=ImportRecord.Status.APPLIED).count() == 1
    # Chosen once: the columns page now shows the record.
    assert client.get(columns_url(record))["Location"].endswith(f"/imports/{record.pk}/")


def test_columns_chosen_one_by_one_for_a_wide_table_and_saved(client_for):
    client = client_for("admin")
    upload(client, WIDE, name="vacancies.csv")
    record = ImportRecord.objects.get()
    choice = {
        "area": "Local authority",
        "layout": "wide",
        "measure": "national-sfc-vacancy",
        "save_as": "sfc-wide",
    }
    client.post(columns_url(record), choice)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.PREVIEWED, record.problems
    assert record.created == 4
    assert ImportMapping.objects.get(name="sfc-wide").spec == {
        "area": "Local authority",
        "wide": True,
        "measure": "national-sfc-vacancy",
    }
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    assert Value.objects.filter(measure__key="national-sfc-vacancy", breakdown="").count() == 4
    # Next time the saved mapping is offered for a file with the same columns.
    upload(client, WIDE, name="vacancies-again.csv")
    again = ImportRecord.objects.filter(status=ImportRecord.Status.PENDING).get()
    assert '<option value="sfc-wide" selected>' in client.get(columns_url(again)).content.decode()


def test_every_problem_is_previewed_and_nothing_can_be_confirmed(client_for):
    client = client_for("admin")
    lines = [*OFLOG, oflog_row("2022-23", "E06999999", "Nowhere", "ASC9", "abc")]
    upload(client, lines)
    record = ImportRecord.objects.get()
    client.post(columns_url(record), {"mapping": "oflog-asc"})
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.FAILED
    texts = [problem["text"] for problem in record.problems]
    assert "explorer.csv, row 4, column Value: 'abc' is not a number" in texts
    assert any("“E06999999” is not the name or code of a council" in text for text in texts)
    page = client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk})).content.decode()
    assert "Confirm import" not in page and "abc" in page


def test_choices_that_make_no_layout_are_an_error_on_the_page(client_for):
    client = client_for("admin")
    upload(client, OFLOG)
    record = ImportRecord.objects.get()
    response = client.post(columns_url(record), {"area": "Local authority code", "layout": "long"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Give either a value column or a column per year" in page
    response = client.post(
        columns_url(record),
        {"mapping": "", "area": "Code", "layout": "wide", "measure": "national-asc7", "save_as": "oflog-asc"},
    )
    assert "shipped with the service" in response.content.decode()
    record.refresh_from_db()
    assert record.task_state == "" and record.status == ImportRecord.Status.PENDING


def test_an_sli_lead_loads_only_their_own_regions_councils(client_for):
    client = client_for("sli_lead")
    lines = [*OFLOG, oflog_row("2022-23", "E08000003", "Manchester", "ASC7", "25")]
    upload(client, lines)
    record = ImportRecord.objects.get()
    client.post(columns_url(record), {"area": "Local authority code", "layout": "long", "value": "Value",
                                      "period_column": "Financial year", "measure_column": "Code"})  # fmt: skip
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.FAILED
    assert "you can load figures only for your own region" in record.problems[0]["text"]
    assert "Manchester" in record.problems[0]["text"]


def test_only_a_csv_is_taken_for_another_layout(client_for):
    client = client_for("admin")
    file = SimpleUploadedFile("figures.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    response = client.post(reverse(UPLOAD), {"kind": "mapped", "file": file, "year": ""})
    assert response.status_code == 200 and "must be a CSV file" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_other_roles_may_not_choose_columns(client_for):
    upload(client_for("admin"), OFLOG)
    record = ImportRecord.objects.get()
    assert client_for("dass").get(columns_url(record)).status_code == 403
    assert client_for("dass").post(columns_url(record), {"mapping": "oflog-asc"}).status_code == 403
