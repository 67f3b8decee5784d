"""GET /api/councils/<gss>/assurance/: CQC's latest outcome in the issue's shape, by session or token."""

from datetime import date

import pytest
from django.test import Client

from councils.models import ApiToken
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.scoring import CqcRating

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
URL = f"/api/councils/{BIRMINGHAM}/assurance/"


def save(council, month, scores, rating, url=""):
    cqc_assessment_save(
        outcome=CqcOutcome(council=council, assessed_on=month, scores=scores, rating=rating, report_url=url)
    )


def test_no_outcome_recorded_is_null(client_for, birmingham):
    response = client_for("dass").get(URL)
    assert response.status_code == 200
    assert response.json() == {"council": BIRMINGHAM, "cqc": None, "self_assessment": None, "gaps": []}


def test_latest_outcome_in_cqcs_order(client_for, birmingham):
    save(birmingham, date(2024, 1, 1), (2,) * 9, CqcRating.REQUIRES_IMPROVEMENT)
    report = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/birmingham"
    save(birmingham, date(2025, 5, 1), (3, 3, 3, 3, 3, 3, 3, 4, 4), CqcRating.GOOD, report)
    payload = client_for("no_role_user").get(URL).json()
    cqc = payload["cqc"]
    assert payload["council"] == BIRMINGHAM and payload["self_assessment"] is None and payload["gaps"] == []
    assert cqc["rating"] == "Good" and cqc["percent"] == 80.6 and cqc["assessed"] == "2025-05"
    assert cqc["report_url"] == report and cqc["is_demo"] is False
    assert [s["number"] for s in cqc["statements"]] == list(range(1, 10))
    assert cqc["statements"][0] == {
        "number": 1,
        "theme": "Working with people",
        "name": "Assessing needs",
        "score": 3,
    }
    assert cqc["statements"][6]["name"] == "Safeguarding"
    assert cqc["statements"][6]["theme"] == "How the local authority ensures safety within the system"
    assert [s["score"] for s in cqc["statements"]] == [3, 3, 3, 3, 3, 3, 3, 4, 4]


def test_not_rated_is_null_rating_with_a_percent(client_for, birmingham):
    save(birmingham, date(2024, 8, 1), (2, 2, 3, 2, 3, 2, 2, 2, 2), None)
    cqc = client_for("dass").get(URL).json()["cqc"]
    assert cqc["rating"] is None and cqc["percent"] == 55.6


def test_token_reads_it_and_anonymous_gets_401(birmingham, no_role_user):
    _, key = ApiToken.issue(user=no_role_user, name="checks")
    assert Client().get(URL, headers={"Authorization": f"Token {key}"}).status_code == 200
    response = Client().get(URL)
    assert response.status_code == 401 and response.json()["detail"]


def test_unknown_council_is_404_json_and_writes_are_405(client_for, db):
    client = client_for("dass")
    response = client.get("/api/councils/E99999999/assurance/")
    assert response.status_code == 404 and "E99999999" in response.json()["detail"]
    assert client.post(URL).status_code == 405
