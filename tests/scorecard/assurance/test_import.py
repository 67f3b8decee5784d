"""``manage.py import_cqc_assessments``: real-shaped names, every problem named, nothing written on any, a
re-import changes nothing, a real outcome replaces demo ones."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from councils.models import Council
from scorecard.assurance.models import CqcAssessment
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.models import ImportRecord
from scorecard.scoring import CqcRating

pytestmark = pytest.mark.django_db

HEADER = "authority,type,overall,QS1,QS2,QS3,QS4,QS5,QS6,QS7,QS8,QS9,avg,date,report_url"
REPORTS = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports"
# The names as the tables people build from CQC's report pages write them.
ROWS = [
    f"London Borough of Camden,London Borough,Good,3,3,3,3,3,3,3,3,3,3.00,May 2025,{REPORTS}/camden",
    "Royal Borough of Kensington and Chelsea,London Borough,Outstanding,4,4,3,4,4,3,4,4,4,3.78,March 2025,",
    f"Wokingham Borough Council,Unitary,Requires Improvement,3,2,2,2,3,2,2,2,2,2.22,Jan 2025,{REPORTS}/wokingham",
    "Bristol City Council,Unitary,Requires improvement,2,2,2,3,3,2,2,2,2,2.22,February 2025,",
    "Stoke,Unitary,Requires improvement,2,2,2,2,3,2,2,2,2,2.11,September 2024,",
    "Southend,Unitary,Good,3,3,3,3,3,3,3,2,3,2.89,October 2024,",
    "County Durham,County,Not Rated,3,3,2,3,3,3,3,3,3,2.89,August 2024,",
    "E08000025,Metropolitan,Good,3,3,3,3,3,3,3,4,4,3.22,2025-05,",
]
PLACES = {  # name as written → the council's GSS code
    "London Borough of Camden": "E09000007",
    "Royal Borough of Kensington and Chelsea": "E09000020",
    "Wokingham Borough Council": "E06000041",
    "Bristol City Council": "E06000023",
    "Stoke": "E06000021",
    "Southend": "E06000033",
    "County Durham": "E06000047",
    "E08000025": "E08000025",
}


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "cqc.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_cqc_assessments", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fail(path: Path) -> str:
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_cqc_assessments", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_real_shaped_names_are_placed_and_imported(tmp_path):
    out = run(write(tmp_path, *ROWS))
    assert "8 rows read: 8 created, 0 updated, 0 unchanged" in out
    placed = dict(CqcAssessment.objects.values_list("council__gss_code", "assessed_on"))
    assert set(placed) == set(PLACES.values())
    assert placed["E06000021"] == date(2024, 9, 1)  # "Stoke": Stoke-on-Trent, September 2024
    camden = CqcAssessment.objects.get(council__name__icontains="Camden")
    assert camden.assessed_on == date(2025, 5, 1) and camden.rating == "good"
    assert camden.report_url == f"{REPORTS}/camden" and camden.source == CqcAssessment.Source.IMPORT
    durham = CqcAssessment.objects.get(council__name__icontains="Durham")
    assert durham.rating == "" and durham.published_rating is None and durham.scores[2] == 2
    record = ImportRecord.objects.get(kind=ImportRecord.Kind.CQC, status=ImportRecord.Status.APPLIED)
    assert record.created == 8 and camden.source_import == record


def test_a_reimport_changes_nothing_and_a_correction_updates(tmp_path):
    path = write(tmp_path, *ROWS)
    run(path)
    before = {a.pk: a.updated_at for a in CqcAssessment.objects.all()}
    assert "8 unchanged" in run(path)
    assert {a.pk: a.updated_at for a in CqcAssessment.objects.all()} == before
    corrected = ROWS[0].replace(",3,3,3,3,3,3,3,3,3,3.00,", ",3,3,3,3,3,3,3,3,4,3.11,")
    assert "1 updated, 7 unchanged" in run(write(tmp_path, corrected, *ROWS[1:]))
    camden = CqcAssessment.objects.get(council__name__icontains="Camden")
    assert camden.scores[-1] == 4 and camden.history.count() == 2


def test_a_reassessment_is_kept_beside_the_earlier_one(tmp_path):
    run(write(tmp_path, ROWS[-1]))
    run(write(tmp_path, ROWS[-1].replace("2025-05", "2026-01")))
    assert list(
        CqcAssessment.objects.filter(council__gss_code="E08000025")
        .order_by("assessed_on")
        .values_list("assessed_on", flat=True)
    ) == [date(2025, 5, 1), date(2026, 1, 1)]


def test_dry_run_writes_nothing(tmp_path):
    out = run(write(tmp_path, *ROWS), "--dry-run")
    assert "Dry run, nothing saved" in out and "8 created" in out
    assert not CqcAssessment.objects.exists()


def test_every_unplaced_name_is_listed_with_suggestions_and_nothing_is_written(tmp_path):
    rows = [
        *ROWS,
        "Borsetshire County Council,County,Good,3,3,3,3,3,3,3,3,3,,May 2025,",
        "Camdn,London Borough,Good,3,3,3,3,3,3,3,3,3,,May 2025,",
        "Bedford,Unitary,Good,3,3,3,3,3,3,3,3,3,,May 2025,",  # Bedford (unitary): placed
        "E99999999,Unitary,Good,3,3,3,3,3,3,3,3,3,,May 2025,",
    ]
    err = fail(write(tmp_path, *rows))
    assert "row 10, column authority: “Borsetshire County Council” is not the name" in err
    assert "row 11, column authority: “Camdn” is not the name of a council. Did you mean Camden" in err
    assert "“E99999999” is not the name or code of a council" in err
    assert "Bedford" not in err
    assert not CqcAssessment.objects.exists()
    assert ImportRecord.objects.get().status == ImportRecord.Status.FAILED


def test_a_name_that_fits_several_councils_is_ambiguous(tmp_path):
    err = fail(write(tmp_path, "Cheshire,Unitary,Good,3,3,3,3,3,3,3,3,3,,May 2025,"))
    assert "“Cheshire” could be any of Cheshire East, Cheshire West and Chester" in err
    assert not CqcAssessment.objects.exists()


def test_a_published_rating_the_scores_do_not_give_is_a_problem(tmp_path):
    err = fail(write(tmp_path, "Southend,Unitary,Outstanding,3,3,3,3,3,3,3,2,3,,October 2024,"))
    assert (
        "row 2, column overall: the rating is Outstanding but the scores give Good under CQC's rule (26 of 36)"
        in err
    )
    assert not CqcAssessment.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Southend,Unitary,Good,3,3,3,3,3,3,3,2,5,,October 2024,", "column QS9: the score for 9. Learning"),
        ("Southend,Unitary,Good,3,3,3,3,3,3,3,2,2.5,,October 2024,", "must be a whole number from 1 to 4"),
        ("Southend,Unitary,Good,3,,3,3,3,3,3,2,3,,October 2024,", "column QS2: the score for 2. Supporting"),
        ("Southend,Unitary,Fine,3,3,3,3,3,3,3,2,3,,October 2024,", "'Fine' is not one of CQC's ratings"),
        (
            "Southend,Unitary,Good,3,3,3,3,3,3,3,2,3,2.50,October 2024,",
            "column avg: the average 2.50 is not the mean",
        ),
        (
            "Southend,Unitary,Good,3,3,3,3,3,3,3,2,3,,Octember 2024,",
            "column date: 'Octember 2024' is not a month",
        ),
        ("Southend,Unitary,Good,3,3,3,3,3,3,3,2,3,,May 2022,", "before April 2023"),
        ("Southend,Unitary,Good,3,3,3,3,3,3,3,2,3,,May 2099,", "is in the future"),
        (
            "Southend,Unitary,Good,3,3,3,3,3,3,3,2,3,,May 2025,javascript:alert(1)",
            "column report_url: the report's address",
        ),
        (
            'Southend,Unitary,Good,3,3,3,3,3,3,3,2,3,,May 2025,=HYPERLINK("x")',
            "looks like a spreadsheet formula",
        ),
        ("", "the file has a header row but no data rows"),
    ],
)
def test_bad_cells_are_named_by_row_and_column(tmp_path, row, message):
    err = fail(write(tmp_path, row))
    assert message in err
    assert not CqcAssessment.objects.exists()


def test_the_same_council_and_month_twice_is_a_problem(tmp_path):
    err = fail(write(tmp_path, ROWS[5], ROWS[5].replace("Southend", "Southend-on-Sea")))
    assert "row 3" in err and "is also on row 2" in err


def test_missing_columns_are_named(tmp_path):
    err = fail(write(tmp_path, "Southend,Good,May 2025", header="authority,overall,date"))
    assert "missing required column(s): QS1, QS2" in err and "QS9" in err


def test_not_a_file_is_a_problem_not_a_crash(tmp_path):
    err = fail(tmp_path / "missing.csv")
    assert "cannot be read" in err


def test_a_real_import_replaces_that_councils_demo_outcomes_only(tmp_path):
    southend = Council.objects.get(name__startswith="Southend")
    birmingham = Council.objects.get(gss_code="E08000025")
    for council in (southend, birmingham):
        cqc_assessment_save(
            outcome=CqcOutcome(
                council=council,
                assessed_on=date(2024, 1, 1),
                scores=(2,) * 9,
                rating=CqcRating.REQUIRES_IMPROVEMENT,
            ),
            is_demo=True,
        )
    run(write(tmp_path, ROWS[5]))
    assert list(southend.cqc_assessments.values_list("is_demo", flat=True)) == [False]
    assert list(birmingham.cqc_assessments.values_list("is_demo", flat=True)) == [True]


def test_the_import_history_shows_a_cqc_import(tmp_path, client_for):
    run(write(tmp_path, *ROWS))
    record = ImportRecord.objects.get(kind=ImportRecord.Kind.CQC)
    page = client_for("admin").get(f"/imports/{record.pk}/")
    assert page.status_code == 200 and "CQC assessments" in page.content.decode()
    assert "CQC assessments" in client_for("admin").get("/imports/").content.decode()
