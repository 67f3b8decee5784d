"""CQC outcome pages: a council's latest and earlier outcomes, entry by hand, the region's table and its exports."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from councils.models import Council, Membership, Region
from scorecard.assurance.models import CqcAssessment
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.scoring import CqcRating
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"
GOOD = (3, 3, 3, 3, 3, 3, 3, 4, 4)  # 80.6%


def record(council, month, scores=GOOD, rating=CqcRating.GOOD, url="", is_demo=False):
    return cqc_assessment_save(
        outcome=CqcOutcome(council=council, assessed_on=month, scores=scores, rating=rating, report_url=url),
        is_demo=is_demo,
    )


def form_data(**changes):
    data = {"assessed": "May 2025", "rating": "Good", "report_url": "https://www.cqc.org.uk/care-services/x"}
    data.update({f"score_{n}": str(score) for n, score in enumerate(GOOD, start=1)})
    data.update(changes)
    return data


def test_council_page_shows_the_latest_outcome_and_lists_older_ones(client_for, birmingham):
    record(birmingham, date(2024, 2, 1), scores=(2,) * 9, rating=CqcRating.REQUIRES_IMPROVEMENT)
    record(birmingham, date(2025, 5, 1), url="https://www.cqc.org.uk/care-services/birmingham")
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    latest, _, older = page.partition("Earlier assessments")
    assert "Good" in latest and "80.6%" in latest and "May 2025" in latest
    assert "https://www.cqc.org.uk/care-services/birmingham" in latest
    assert "February 2024" in older and "Requires improvement" in older and "50.0%" in older
    for name in ("Assessing needs", "Safeguarding", "Learning, improvement and innovation"):
        assert name in latest
    assert "Record an assessment" not in page  # a DASS reads, never writes


def test_not_rated_shows_the_rating_the_scores_imply(client_for, birmingham):
    record(birmingham, date(2024, 8, 1), rating=None)
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    assert "Not rated (the scores give Good under CQC" in page


def test_a_council_without_an_outcome_says_so(client_for):
    page = client_for("no_role_user").get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    assert "No CQC assessment of Birmingham has been recorded yet" in page


def test_the_regions_lead_records_an_outcome_by_hand(client_for, birmingham, sli_lead):
    client = client_for("sli_lead")
    assert "Record an assessment" in client.get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    response = client.post(f"/councils/{BIRMINGHAM}/cqc/new/", form_data())
    assert response.status_code == 302
    saved = CqcAssessment.objects.get(council=birmingham)
    assert saved.assessed_on == date(2025, 5, 1) and saved.scores == GOOD and saved.rating == "good"
    assert saved.created_by == sli_lead and saved.source == CqcAssessment.Source.MANUAL
    # The same month again corrects it (history keeps the old one); a later month adds a row.
    client.post(f"/councils/{BIRMINGHAM}/cqc/new/", form_data(score_9="3", rating="Good"))
    saved.refresh_from_db()
    assert saved.scores[-1] == 3 and saved.history.count() == 2
    client.post(f"/councils/{BIRMINGHAM}/cqc/new/", form_data(assessed="2026-01"))
    assert CqcAssessment.objects.filter(council=birmingham).count() == 2


def test_a_rating_the_scores_do_not_give_is_refused_with_an_error_summary(client_for):
    response = client_for("admin").post(f"/councils/{BIRMINGHAM}/cqc/new/", form_data(rating="Outstanding"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "The rating is Outstanding but the scores give Good under CQC&#x27;s rule" in page
    assert not CqcAssessment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"assessed": "Maytime"}, "Enter the month as a month and year"),
        ({"assessed": "March 2023"}, "began in April 2023"),
        ({"assessed": "May 2099"}, "cannot be in the future"),
        ({"score_3": "5"}, "Choose a score from 1 to 4 for 3. Equity in experience and outcomes"),
        ({"score_7": ""}, "Choose the score for 7. Safeguarding"),
        ({"rating": ""}, "Choose the overall rating, or Not rated"),
        ({"report_url": "javascript:alert(1)"}, "Enter the report&#x27;s web address"),
    ],
)
def test_bad_entries_are_named(client_for, changes, message):
    response = client_for("admin").post(f"/councils/{BIRMINGHAM}/cqc/new/", form_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CqcAssessment.objects.exists()


def test_only_admins_and_the_regions_lead_may_record(client_for, db):
    london_lead = MembershipFactory(
        role=Membership.Role.SLI_LEAD, region=Region.objects.get(gss_code="E12000007")
    ).user
    from django.test import Client

    other = Client()
    other.force_login(london_lead)
    assert other.get(f"/councils/{BIRMINGHAM}/cqc/new/").status_code == 403
    assert other.post(f"/councils/{BIRMINGHAM}/cqc/new/", form_data()).status_code == 403
    for persona in ("coordinator", "dass", "delegate", "no_role_user"):
        assert client_for(persona).post(f"/councils/{BIRMINGHAM}/cqc/new/", form_data()).status_code == 403
    assert not CqcAssessment.objects.exists()


def test_region_table_sorts_colours_and_exports(client_for, birmingham, coventry):
    record(birmingham, date(2025, 5, 1))
    record(
        coventry, date(2024, 9, 1), scores=(2, 2, 2, 2, 2, 2, 2, 2, 1), rating=CqcRating.REQUIRES_IMPROVEMENT
    )
    client = client_for("delegate")
    page = client.get(f"/regions/{WEST_MIDLANDS}/cqc/").content.decode()
    councils = Council.objects.filter(region__gss_code=WEST_MIDLANDS, status=Council.Status.CURRENT).count()
    assert f"2 of {councils} councils recorded" in page
    assert "app-cqc-score--4" in page and "app-cqc-score--1" in page
    assert page.index("Birmingham") < page.index("Coventry")
    by_qs9 = client.get(f"/regions/{WEST_MIDLANDS}/cqc/?sort=qs9").content.decode()
    assert by_qs9.index("Coventry") < by_qs9.index("Birmingham")
    by_rating = client.get(f"/regions/{WEST_MIDLANDS}/cqc/?sort=-rating").content.decode()
    assert by_rating.index("Birmingham") < by_rating.index("Coventry")
    exported = client.get(f"/regions/{WEST_MIDLANDS}/cqc/?_export=csv").content.decode("utf-8-sig")
    rows = {row["GSS code"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert rows[BIRMINGHAM]["QS1 Assessing needs"] == "3" and rows[BIRMINGHAM]["Percentage"] == "80.6"
    assert rows[BIRMINGHAM]["Overall rating"] == "Good" and rows[BIRMINGHAM]["Assessment month"] == "2025-05"
    assert len(rows) == councils
    xlsx = client.get(f"/regions/{WEST_MIDLANDS}/cqc/?_export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    birmingham_row = next(r for r in values if r[0] == BIRMINGHAM)
    assert birmingham_row[2] == 3 and birmingham_row[11] == pytest.approx(80.6)


def test_exports_never_carry_a_formula(client_for, birmingham):
    birmingham.name = '=HYPERLINK("http://x")'
    birmingham.save()
    record(birmingham, date(2025, 5, 1))
    exported = (
        client_for("admin").get(f"/regions/{WEST_MIDLANDS}/cqc/?_export=csv").content.decode("utf-8-sig")
    )
    assert "\n=HYPERLINK" not in exported and ",=HYPERLINK" not in exported


def test_demo_outcomes_are_labelled_and_a_real_one_replaces_them(client_for, birmingham):
    record(birmingham, date(2024, 6, 1), is_demo=True)
    record(birmingham, date(2025, 1, 1), is_demo=True)
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    assert "Demo data" in page
    assert "Demo" in client_for("dass").get(f"/regions/{WEST_MIDLANDS}/cqc/").content.decode()
    record(birmingham, date(2025, 5, 1))
    assert list(CqcAssessment.objects.filter(council=birmingham).values_list("is_demo", flat=True)) == [False]
    # A demo outcome never replaces or joins a real one.
    _, result = record(birmingham, date(2025, 6, 1), is_demo=True)
    assert result == "unchanged"
    assert not CqcAssessment.objects.filter(is_demo=True).exists()
    assert "Demo data" not in client_for("dass").get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()


def test_council_profile_shows_its_cqc_outcome_and_the_region_page_links_the_table(client_for, birmingham):
    client = client_for("no_role_user")
    page = client.get(f"/councils/{BIRMINGHAM}/").content.decode()
    assert "CQC assessment" in page and "Not recorded." in page
    record(birmingham, date(2025, 5, 1))
    page = client.get(f"/councils/{BIRMINGHAM}/").content.decode()
    assert "Good, May 2025." in page and f"/councils/{BIRMINGHAM}/cqc/" in page
    assert f"/regions/{WEST_MIDLANDS}/cqc/" in client.get(f"/regions/{WEST_MIDLANDS}/").content.decode()


def test_region_table_reads_in_a_constant_number_of_queries(client_for, django_assert_max_num_queries):
    from scorecard.assurance.demo import cqc_demo_seed

    client = client_for("dass")
    client.get(f"/regions/{WEST_MIDLANDS}/cqc/")  # warm the session and memberships
    cqc_demo_seed(region_gss_code=WEST_MIDLANDS)
    with django_assert_max_num_queries(8):
        assert client.get(f"/regions/{WEST_MIDLANDS}/cqc/").status_code == 200


def test_the_admin_refuses_a_rating_the_scores_do_not_give(client_for, birmingham):
    data = {
        "council": birmingham.pk,
        "assessed_on": "2025-05-01",
        "rating": "outstanding",
        "source": "manual",
        **{f"score_{n}": score for n, score in enumerate(GOOD, start=1)},
    }
    client = client_for("admin")
    response = client.post("/admin/scorecard/cqcassessment/add/", data)
    assert response.status_code == 200 and "but the scores give Good" in response.content.decode()
    assert not CqcAssessment.objects.exists()
    response = client.post("/admin/scorecard/cqcassessment/add/", {**data, "rating": "good"})
    assert response.status_code == 302 and CqcAssessment.objects.get().rating == "good"
    assert client.get("/admin/scorecard/cqcassessment/").status_code == 200
