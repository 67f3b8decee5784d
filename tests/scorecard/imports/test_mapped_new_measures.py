"""Measures made on the way: a mapped import's preview lists the measure codes the catalogue lacks; each is
mapped to a catalogue measure or made a new one (title, unit, polarity, decimal places, source, domain), and
the new measures are written with the figures in one transaction when the import is confirmed."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.models import Framework, ImportRecord, Measure, Value
from tests.mapped_helpers import OFLOG_HEADER, oflog_row, run, write

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY, MANCHESTER = "E08000025", "E08000026", "E08000003"
LINES = [
    OFLOG_HEADER,
    oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "31.5"),
    oflog_row("2022-23", BIRMINGHAM, "Birmingham", "SFC-LEAVERS", "12.25", median=""),
    oflog_row("2022-23", COVENTRY, "Coventry", "SFC-LEAVERS", "9.5", median=""),
    oflog_row("2022-23", COVENTRY, "Coventry", "ASCFR-NET", "512", median=""),
]
NEW = {
    "m0-action": "new",  # ASCFR-NET comes first (codes in order)
    "m0-title": "Net current expenditure per adult",
    "m0-unit": "currency",
    "m0-polarity": "none",
    "m0-decimal_places": "0",
    "m0-source": "ASC-FR",
    "m0-domain": "resources-and-workforce-management",
    "m1-action": "map",
    "m1-existing": "national-asc7",
}


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


def previewed(client, lines: list[str] = LINES) -> ImportRecord:  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("explorer.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
    client.post(reverse("scorecard:import-upload"), {"kind": "mapped", "file": file, "year": ""})
    record = ImportRecord.objects.get()
    client.post(reverse("scorecard:import-columns", kwargs={"pk": record.pk}), {"mapping": "oflog-asc"})
    record.refresh_from_db()
    return record


def detail(record: ImportRecord) -> str:
    return reverse("scorecard:import-detail", kwargs={"pk": record.pk})


def measures_url(record: ImportRecord) -> str:
    return reverse("scorecard:import-measures", kwargs={"pk": record.pk})


def test_the_preview_lists_the_unknown_codes_and_keeps_the_file(client_for):
    client = client_for("admin")
    record = previewed(client)
    assert record.status == ImportRecord.Status.FAILED and record.stored_file  # kept for the answers
    assert record.summary["unknown_codes"] == [
        {"code": "ASCFR-NET", "rows": 1},
        {"code": "SFC-LEAVERS", "rows": 2},
    ]
    page = client.get(detail(record)).content.decode()
    assert "Measures the catalogue does not know" in page
    assert "What is ASCFR-NET?" in page and "What is SFC-LEAVERS?" in page
    assert "Confirm import" not in page


def test_a_code_made_a_measure_and_one_mapped_are_written_with_the_figures_on_confirm(client_for):
    client = client_for("admin")
    record = previewed(client)
    answers = {**NEW, "m0-action": "map", "m0-existing": "national-ascfr-gce-adult"}
    answers |= {k.replace("m0", "m1"): v for k, v in NEW.items() if k.startswith("m0-")}
    answers |= {"m1-action": "new", "m1-title": "Leavers from adult social care jobs", "m1-unit": "percent"}
    answers |= {"m1-source": "Skills for Care (ASC-WDS)", "m1-decimal_places": "1", "m1-polarity": "lower"}
    response = client.post(measures_url(record), answers)
    assert response.status_code == 302 and response["Location"] == detail(record)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.PREVIEWED, record.problems
    assert record.created == 5  # four figures and ASC7's published median
    assert not Measure.objects.filter(code="SFC-LEAVERS").exists() and not Value.objects.exists()
    page = client.get(detail(record)).content.decode()
    assert (
        "Measures this import will make" in page and "SFC-LEAVERS Leavers from adult social care jobs" in page
    )
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    applied = ImportRecord.objects.get(status=ImportRecord.Status.APPLIED)
    page = client.get(detail(applied)).content.decode()
    assert "Measures this import made" in page and "SFC-LEAVERS Leavers from adult social care jobs" in page
    made = Measure.objects.get(code="SFC-LEAVERS")
    assert (made.key, made.framework, made.source, made.polarity) == (
        "national-sfc-leavers", Framework.NATIONAL, "Skills for Care (ASC-WDS)", "lower"
    )  # fmt: skip
    assert made.domain.slug == "resources-and-workforce-management" and made.decimal_places == 1
    assert Value.objects.get(measure=made, area__key=BIRMINGHAM).value == Decimal("12.25")
    spend = Value.objects.get(measure__key="national-ascfr-gce-adult", area__key=COVENTRY)
    assert spend.value == Decimal(512)
    listed = {m["key"]: m for m in client.get("/api/measures/").json()["measures"]}
    assert listed["national-sfc-leavers"]["code"] == "SFC-LEAVERS"
    assert listed["national-sfc-leavers"]["source"] == "Skills for Care (ASC-WDS)"


def test_a_form_with_mistakes_shows_an_error_summary_and_writes_nothing(client_for):
    client = client_for("admin")
    record = previewed(client)
    response = client.post(measures_url(record), {"m0-action": "new", "m0-title": "", "m0-unit": "percent"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "<title>Error:" in page
    assert 'href="#id_m0-title"' in page and "Enter a title for ASCFR-NET" in page
    assert "Choose the domain ASCFR-NET belongs to" in page
    assert 'href="#id_m1-action"' in page and "Select whether SFC-LEAVERS is a catalogue measure" in page
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.FAILED and record.summary["unknown_codes"]
    assert not Measure.objects.filter(code__in=["ASCFR-NET", "SFC-LEAVERS"]).exists()
    assert not Value.objects.exists()


def test_an_sli_lead_makes_their_own_regions_measure(client_for, tmp_path):
    client = client_for("sli_lead")
    record = previewed(client, [LINES[0], *LINES[2:]])  # no published median: England is an admin's
    assert record.summary["unknown_codes"]
    answers = {**NEW, "m1-action": "new", "m1-title": "Leavers", "m1-unit": "percent", "m1-polarity": "none"}
    answers |= {"m1-decimal_places": "1", "m1-source": "Skills for Care", "m1-domain": "culture-and-change"}
    client.post(measures_url(record), answers)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.PREVIEWED, record.problems
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    made = Measure.objects.get(code="SFC-LEAVERS")
    assert made.framework == Framework.LOCAL and made.owner_region.name == "West Midlands"
    assert made.key == "local-sfc-leavers" and made.source == "Skills for Care"
    assert Measure.objects.get(code="ASCFR-NET").owner_region.name == "West Midlands"
    assert Value.objects.filter(measure=made).count() == 2
    # Next time the lead's file is read, their region's measures are known by their codes.
    again = [LINES[0], oflog_row("2023-24", BIRMINGHAM, "Birmingham", "SFC-LEAVERS", "11", median="")]
    status, _, err = run(write(tmp_path, "again.csv", again), "--mapping", "oflog-asc")
    assert status == 0, err


def test_other_roles_may_not_answer(client_for):
    record = previewed(client_for("admin"))
    assert client_for("dass").post(measures_url(record), NEW).status_code == 403
    assert not Measure.objects.filter(code="ASCFR-NET").exists()


def test_the_command_line_names_the_unknown_codes_and_exits_1(tmp_path):
    status, _, err = run(write(tmp_path, "explorer.csv", LINES), "--mapping", "oflog-asc")
    assert status == 1
    assert "Measure codes the catalogue does not know: ASCFR-NET, SFC-LEAVERS." in err
    assert not Value.objects.exists()
