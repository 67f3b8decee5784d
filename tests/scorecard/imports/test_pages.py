"""Import pages: permissions, upload → preview → confirm, problems, form errors and the template."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.models import ImportRecord, Value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_dir")]

HEADER = (
    "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
    "Geographical Level,Disaggregation Level,Measure Type"
)
GOOD_ROWS = [
    "2019-20,Birmingham,E08000025,1A,Social care-related quality of life score,18.9,Council,Total,Outcome",
    "2019-20,Coventry,E08000026,1A,Social care-related quality of life score,19.4,Council,Total,Outcome",
    "2019-20,West Midlands,E12000005,1A,Social care-related quality of life score,19.1,Region,Total,Outcome",
    "2019-20,England,E92000001,1A,Social care-related quality of life score,19.1,England,Total,Outcome",
    "2019-20,Birmingham,E08000025,2A2,Permanent admissions 65+,612.4,Council,Total,Outcome",
]
BAD_ROWS = [
    "2019-20,Birmingham,E08000025,1A,Social care-related quality of life score,lots,Council,Total,Outcome",
    "2019-20,Coventry,E08000026,1A,Social care-related quality of life score,19.4,Council,Total,Outcome",
]

LIST, UPLOAD, TEMPLATE = "scorecard:import-list", "scorecard:import-upload", "scorecard:import-template"


def _csv_file(rows: list[str], name: str = "ascof-test.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *rows]) + "\n").encode(), content_type="text/csv")


def _upload(client, rows=GOOD_ROWS, **extra):  # type: ignore[no-untyped-def]
    data = {"kind": "ascof", "file": _csv_file(rows), "year": "", **extra}
    return client.post(reverse(UPLOAD), data)


@pytest.mark.parametrize("persona", ["dass", "delegate", "coordinator", "no_role_user"])
def test_import_pages_are_forbidden_without_the_import_permission(client_for, persona):
    client = client_for(persona)
    record = ImportRecord.objects.create(kind="ascof", status="previewed", file_name="x.csv")
    for url in (
        reverse(LIST),
        reverse(UPLOAD),
        reverse(TEMPLATE),
        reverse("scorecard:import-detail", kwargs={"pk": record.pk}),
    ):
        assert client.get(url).status_code == 403, url
    assert _upload(client).status_code == 403
    assert client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk})).status_code == 403
    assert not Value.objects.exists()


@pytest.mark.parametrize("persona", ["sli_lead", "admin"])
def test_import_pages_open_for_sli_lead_and_admin(client_for, persona):
    client = client_for(persona)
    ImportRecord.objects.create(kind="demo", status="applied", file_name="demo data", sha256="ab" * 32)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert "demo data" in response.content.decode()
    assert client.get(reverse(UPLOAD)).status_code == 200


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse(LIST))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_upload_preview_confirm_happy_path(client_for, admin, upload_dir):
    client = client_for("admin")  # national ASCOF data: admins only
    response = _upload(client)
    assert response.status_code == 302
    preview = ImportRecord.objects.get()
    assert response["Location"] == reverse("scorecard:import-detail", kwargs={"pk": preview.pk})
    assert preview.status == ImportRecord.Status.PREVIEWED
    assert preview.imported_by == admin
    assert preview.created == 5
    assert not Value.objects.exists()  # a preview writes nothing
    assert len(list(upload_dir.iterdir())) == 1

    page = client.get(response["Location"]).content.decode()
    assert "Confirm import" in page and "ascof-test.csv" in page
    assert "remove the" not in page  # no demo figures to replace
    assert preview.sha256[:32] in page and preview.sha256[32:] in page

    response = client.post(reverse("scorecard:import-confirm", kwargs={"pk": preview.pk}), follow=True)
    assert response.status_code == 200
    applied = ImportRecord.objects.get(status=ImportRecord.Status.APPLIED)
    assert response.redirect_chain[-1][0] == reverse("scorecard:import-detail", kwargs={"pk": applied.pk})
    html = response.content.decode()
    assert "ascof-test.csv imported: 5 values created" in html
    assert Value.objects.count() == 5
    assert Value.objects.filter(is_demo=False, area__key="E08000025", measure__key="ascof-2014-1a").exists()

    # A preview can be confirmed once only.
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": preview.pk}))
    assert ImportRecord.objects.filter(status=ImportRecord.Status.APPLIED).count() == 1
    page = client.get(reverse("scorecard:import-detail", kwargs={"pk": preview.pk})).content.decode()
    assert "Confirm import" not in page and "This preview was imported" in page

    history = client.get(reverse(LIST)).content.decode()
    assert "ascof-test.csv" in history and preview.sha256[:12] in history


def test_bad_file_shows_problems_and_writes_nothing(client_for):
    client = client_for("admin")
    response = _upload(client, rows=BAD_ROWS)
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Upload a corrected file" in page
    assert "Confirm import" not in page
    assert "lots" in page or "not a number" in page
    assert ">2<" in page  # the spreadsheet row of the problem
    assert not Value.objects.exists()
    response = client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    assert response.status_code == 302
    assert not Value.objects.exists()


def test_confirm_is_post_only(client_for):
    record = ImportRecord.objects.create(kind="ascof", status="previewed", file_name="x.csv")
    response = client_for("sli_lead").get(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    assert response.status_code == 405


def test_upload_form_errors(client_for, settings):
    client = client_for("sli_lead")
    response = client.post(reverse(UPLOAD), {"kind": "ascof"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Select a file to upload" in html
    assert 'href="#id_file"' in html

    response = client.post(reverse(UPLOAD), {"file": _csv_file(GOOD_ROWS)})
    assert "Select what kind of file it is" in response.content.decode()
    assert 'href="#id_kind"' in response.content.decode()

    response = client.post(
        reverse(UPLOAD), {"kind": "ascof", "file": SimpleUploadedFile("data.txt", b"hello")}
    )
    assert "must be a CSV or an Excel (.xlsx) file" in response.content.decode()

    response = _upload(client, year="next year")
    assert "Enter the year as a financial year" in response.content.decode()

    settings.IMPORT_MAX_BYTES = 100
    response = _upload(client)
    assert response.status_code == 200
    assert "must be smaller than 100" in response.content.decode()
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b"\n"),
        ("binary.csv", bytes(range(256)) * 10),
        ("fake.xlsx", b"PK\x03\x04 not really a workbook"),
        ("latin.csv", "Year,Caf\xe9\n1,2\n".encode("latin-1")),
    ],
)
@pytest.mark.parametrize("kind", ["ascof", "local"])
def test_junk_uploads_never_500(client_for, name, content, kind):
    client = client_for("sli_lead")
    response = client.post(reverse(UPLOAD), {"kind": kind, "file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
        assert ImportRecord.objects.get().status == ImportRecord.Status.FAILED
    assert not Value.objects.exists()


def test_single_year_file_with_year_given(client_for):
    client = client_for("admin")
    header = HEADER.replace("Year,", "", 1)
    rows = [row.split(",", 1)[1] for row in GOOD_ROWS]
    upload = SimpleUploadedFile("measures.csv", ("\n".join([header, *rows]) + "\n").encode())
    response = client.post(reverse(UPLOAD), {"kind": "ascof", "file": upload, "year": "2019/20"})
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.PREVIEWED, record.problems
    assert record.year == "2019-20"  # a real field now, no longer summary["upload"]["year"]
    assert "2019-20" in client.get(response["Location"]).content.decode()


def test_template_download(client_for):
    response = client_for("admin").get(reverse(TEMPLATE))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_admin_pages_render(client_for, west_midlands):
    from scorecard.demo import demo_values_seed

    demo_values_seed()
    client = client_for("admin")
    for model in ("domain", "measure", "period", "area", "value", "importrecord"):
        url = reverse(f"admin:scorecard_{model}_changelist")
        assert client.get(url).status_code == 200, url
    value = Value.objects.first()
    assert client.get(reverse("admin:scorecard_value_change", args=[value.pk])).status_code == 200
    assert client.get(reverse("admin:scorecard_value_history", args=[value.pk])).status_code == 200
    record = ImportRecord.objects.first()
    assert client.get(reverse("admin:scorecard_importrecord_change", args=[record.pk])).status_code == 200
    assert client.get(reverse("admin:scorecard_importrecord_add")).status_code == 403


def test_preview_warns_that_real_figures_replace_demo_figures(client_for, west_midlands):
    from scorecard.demo import demo_values_seed

    demo_values_seed()
    demo_count = Value.objects.filter(is_demo=True).count()
    client = client_for("admin")
    response = _upload(client)
    page = client.get(response["Location"]).content.decode()
    assert f"Importing this file will remove the {demo_count} synthetic demo figures" in page
    assert Value.objects.filter(is_demo=True).count() == demo_count


def test_import_history_exports(client_for):
    response = client_for("sli_lead").get("/imports/?_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("When,File,Kind,Who")
    assert client_for("dass").get("/imports/?_export=csv").status_code == 403


def test_upload_can_skip_unknown_measures_through_preview_and_confirm(client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_UPLOAD_DIR = tmp_path
    content = (
        b"ONS Code,Geographical Description,Geographical Level,Measure Group,Measure_Value\n"
        b"E08000025,Birmingham,Council,1A,19.0\nE08000025,Birmingham,Council,6A,42.0\n"
    )
    client = client_for("admin")
    response = client.post(
        "/imports/new/",
        {
            "kind": "ascof",
            "year": "2024-25",
            "skip_unknown_measures": "on",
            "file": SimpleUploadedFile("new-framework.csv", content, content_type="text/csv"),
        },
    )
    preview = ImportRecord.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert preview.status == ImportRecord.Status.PREVIEWED and preview.skipped == 1
    client.post(f"/imports/{preview.pk}/confirm/")
    assert Value.objects.filter(measure__code="1A", area__key="E08000025", is_demo=False).count() == 1
