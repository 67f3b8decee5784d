"""A regional SLI lead loads data safely: the national ASCOF file for their own region's councils (said on the
upload form before the upload), and nearest-neighbour groups with the same preview as data files."""

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from councils.models import Council, NearestNeighbour
from scorecard.models import ImportRecord, Value
from tests.files import REAL_FILE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_dir")]

HEADER = (
    "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
    "Geographical Level,Disaggregation Level,Measure Type"
)
ROWS = [
    "2019-20,Birmingham,E08000025,1A,Social care-related quality of life score,18.9,Council,Total,Outcome",
    "2019-20,Coventry,E08000026,1A,Social care-related quality of life score,19.4,Council,Total,Outcome",
    "2019-20,West Midlands,E12000005,1A,Social care-related quality of life score,19.1,Region,Total,Outcome",
    "2019-20,England,E92000001,1A,Social care-related quality of life score,19.1,England,Total,Outcome",
    "2019-20,Manchester,E08000003,1A,Social care-related quality of life score,18.7,Council,Total,Outcome",
    "2019-20,North West,E12000002,1A,Social care-related quality of life score,19.0,Region,Total,Outcome",
]
UPLOAD = reverse("scorecard:import-upload")


def _file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def test_the_upload_form_says_what_a_lead_loads_before_the_upload(client_for):
    page = html.unescape(client_for("sli_lead").get(UPLOAD).content.decode())
    assert "Only the figures for West Midlands' councils and for West Midlands itself are loaded" in page
    assert "an administrator loads those" in page
    assert "Nearest-neighbour groups (a JSON file)" in page
    admin_page = client_for("admin").get(UPLOAD).content.decode()
    assert "Every council, region and England in the file." in admin_page


def test_a_lead_loads_the_national_file_for_their_own_regions_councils_only(client_for, sli_lead):
    client = client_for("sli_lead")
    response = client.post(UPLOAD, {"kind": "ascof", "file": _file("ascof.csv", "\n".join([HEADER, *ROWS]))})
    preview = ImportRecord.objects.get()
    assert response["Location"] == reverse("scorecard:import-detail", kwargs={"pk": preview.pk})
    assert preview.status == ImportRecord.Status.PREVIEWED and preview.problem_count == 0
    assert preview.only_region.gss_code == "E12000005"
    assert (preview.created, preview.skipped) == (3, 3)
    page = client.get(response["Location"]).content.decode()
    assert "Only those for West Midlands" in page
    assert "outside West Midlands: England, the other regions and their councils" in page
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": preview.pk}))
    written = set(Value.objects.values_list("area__key", flat=True))
    assert written == {"E08000025", "E08000026", "E12000005"}


def test_the_real_national_file_loads_for_the_leads_region_and_nowhere_else(client_for):
    client = client_for("sli_lead")
    upload = SimpleUploadedFile(REAL_FILE.name, REAL_FILE.read_bytes(), content_type="text/csv")
    client.post(UPLOAD, {"kind": "ascof", "file": upload})
    preview = ImportRecord.objects.get()
    assert preview.status == ImportRecord.Status.PREVIEWED and preview.problem_count == 0
    assert preview.skipped > preview.created > 0
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": preview.pk}))
    areas = set(Value.objects.values_list("area__key", flat=True))
    west_midlands = set(
        Council.objects.filter(region__gss_code="E12000005").values_list("gss_code", flat=True)
    )
    assert areas <= west_midlands | {"E12000005"}
    assert len(areas & west_midlands) == 14


def test_the_whole_national_file_stays_an_administrators(sli_lead, admin):
    from scorecard.imports.pipeline.outcome import Problems
    from scorecard.imports.rules import import_scope_check

    problems = Problems("national.csv")
    assert not import_scope_check(user=sli_lead, kind=ImportRecord.Kind.ASCOF, problems=problems)
    assert "only for your own region's councils" in problems.items[0].message
    assert import_scope_check(user=admin, kind=ImportRecord.Kind.ASCOF, problems=Problems("national.csv"))


def test_a_lead_uploads_nearest_neighbour_groups_with_a_preview(client_for):
    client = client_for("sli_lead")
    groups = {"E08000025": ["E08000026", "E08000027"], "E08000026": ["E08000025"]}
    response = client.post(UPLOAD, {"kind": "neighbours", "file": _file("groups.json", json.dumps(groups))})
    preview = ImportRecord.objects.get()
    assert preview.status == ImportRecord.Status.PREVIEWED and preview.created == 2
    assert not NearestNeighbour.objects.exists()  # a preview writes nothing
    page = client.get(response["Location"]).content.decode()
    assert "Comparator groups this file would set" in page and "Coventry, Dudley" in page
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": preview.pk}))
    birmingham = NearestNeighbour.objects.filter(council__gss_code="E08000025").order_by("position")
    assert [n.neighbour_gss_code for n in birmingham] == ["E08000026", "E08000027"]


def test_neighbour_groups_outside_the_leads_region_or_malformed_are_refused(client_for):
    client = client_for("sli_lead")
    client.post(UPLOAD, {"kind": "neighbours", "file": _file("groups.json", '{"E08000003": ["E08000025"]}')})
    refused = ImportRecord.objects.get()
    assert refused.status == ImportRecord.Status.FAILED
    assert "you can load figures only for your own region" in refused.problems[0]["message"]
    client.post(UPLOAD, {"kind": "neighbours", "file": _file("bad.json", '{"E08000025": ["nope"]}')})
    bad = ImportRecord.objects.latest("pk")
    assert bad.status == ImportRecord.Status.FAILED
    assert "key E08000025, item 1: 'nope' is not a GSS code" in bad.problems[0]["message"]
    wrong = client.post(UPLOAD, {"kind": "neighbours", "file": _file("groups.csv", "a,b")})
    assert "Nearest-neighbour groups must be a JSON file" in wrong.content.decode()
    assert not NearestNeighbour.objects.exists()
