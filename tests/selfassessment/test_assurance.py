"""The council's view of itself beside CQC's: the assurance API's self_assessment and gaps, the one selector the
pack reads them from, and the council's CQC page."""

from datetime import date

import pytest

from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.scoring import CqcRating
from selfassessment import selectors, services
from tests.selfassessment_helpers import (
    BIRMINGHAM,
    cqc_input,
    cqc_submitted,
    hand_made_values,
    make_cqc_cycle,
    make_cycle,
    submitted,
)

pytestmark = pytest.mark.django_db

URL = f"/api/councils/{BIRMINGHAM}/assurance/"
PAGE = f"/councils/{BIRMINGHAM}/cqc/"
CQC_SCORES = (2, 2, 3, 3, 3, 2, 3, 3, 3)  # 24 of 36: 66.7%, Good
SELF_SCORES = [3, 2, 2, 4, 3, 3, 3, 3, 3]  # higher on 1, 4 and 6; lower on 3


@pytest.fixture
def cqc_outcome(birmingham):
    cqc_assessment_save(
        outcome=CqcOutcome(
            council=birmingham,
            assessed_on=date(2025, 5, 1),
            scores=CQC_SCORES,
            rating=CqcRating.GOOD,
            report_url="",
        )
    )


@pytest.fixture
def cqc_cycle(db):
    return make_cqc_cycle(period=hand_made_values())


def test_the_api_gives_the_self_assessment_and_where_it_is_higher_than_cqc(
    client_for, birmingham, dass, cqc_outcome, cqc_cycle
):
    cqc_submitted(cycle=cqc_cycle, council=birmingham, scores=SELF_SCORES, user=dass)
    payload = client_for("sli_lead").get(URL).json()
    own = payload["self_assessment"]
    assert (own["cycle"], own["status"], own["framework"]) == (
        cqc_cycle.slug,
        "submitted",
        "cqc-local-authority",
    )
    assert (own["percent"], own["rating"]) == (72.2, "Good")  # 26 of 36
    assert [s["number"] for s in own["statements"]] == list(range(1, 10))
    assert [s["score"] for s in own["statements"]] == SELF_SCORES
    assert own["statements"][6]["name"] == "Safeguarding"
    assert own["statements"][0]["actions"] == [
        {"what": "Act on Assessing needs", "owner": "Head of service", "due": "2027-03-31"}
    ]
    assert payload["gaps"] == [
        {"number": 1, "self": 3, "cqc": 2},
        {"number": 4, "self": 4, "cqc": 3},
        {"number": 6, "self": 3, "cqc": 2},
    ]
    assert payload["cqc"]["percent"] == 66.7


def test_the_api_shows_only_a_self_assessment_the_user_may_read(
    client_for, birmingham, dass, cqc_outcome, cqc_cycle
):
    services.self_assessment_save(
        cycle=cqc_cycle, council=birmingham, data=cqc_input([4] * 8 + [None]), user=dass, expected_version=0
    )
    mine = client_for("dass").get(URL).json()
    assert mine["self_assessment"]["status"] == "draft"
    assert mine["self_assessment"]["percent"] is None and mine["self_assessment"]["rating"] is None
    assert [g["number"] for g in mine["gaps"]] == [1, 2, 3, 4, 5, 6, 7, 8]  # 9 is not scored
    # A draft is its council's own: the region's lead reads CQC's outcome and nothing of it.
    lead = client_for("sli_lead").get(URL).json()
    assert lead["self_assessment"] is None and lead["gaps"] == [] and lead["cqc"] is not None


def test_a_six_domain_self_assessment_is_not_set_beside_cqc(client_for, birmingham, dass, cqc_outcome):
    submitted(cycle=make_cycle(period=hand_made_values()), council=birmingham, user=dass)
    payload = client_for("dass").get(URL).json()
    assert payload["self_assessment"] is None and payload["gaps"] == []


def test_the_latest_cqc_cycle_is_used(client_for, birmingham, dass, cqc_outcome, cqc_cycle):
    cqc_submitted(cycle=cqc_cycle, council=birmingham, scores=[1] * 9, user=dass)
    later = make_cqc_cycle(slug="2027-28-cqc-assurance")
    later.closes_on = date(2099, 6, 1)
    later.save()
    cqc_submitted(cycle=later, council=birmingham, scores=SELF_SCORES, user=dass)
    own = client_for("dass").get(URL).json()["self_assessment"]
    assert own["cycle"] == "2027-28-cqc-assurance"


def test_one_selector_gives_the_gaps_for_the_pack(birmingham, dass, cqc_outcome, cqc_cycle):
    assert selectors.assurance_gaps(council=birmingham) == []
    draft = services.self_assessment_save(
        cycle=cqc_cycle, council=birmingham, data=cqc_input(SELF_SCORES), user=dass, expected_version=0
    )
    assert selectors.assurance_gaps(council=birmingham) == []  # a draft is not shared beyond the council
    assert [g.number for g in selectors.assurance_gaps(council=birmingham, viewer=dass)] == [1, 4, 6]
    services.self_assessment_submit(assessment=draft, user=dass, expected_version=draft.version)
    gaps = selectors.assurance_gaps(council=birmingham)
    assert [(g.number, g.name, g.self_score, g.cqc_score) for g in gaps] == [
        (1, "Assessing needs", 3, 2),
        (4, "Care provision, integration and continuity", 4, 3),
        (6, "Safe systems, pathways and transitions", 3, 2),
    ]


def test_no_cqc_outcome_means_no_gaps(client_for, birmingham, dass, cqc_cycle):
    cqc_submitted(cycle=cqc_cycle, council=birmingham, scores=SELF_SCORES, user=dass)
    payload = client_for("dass").get(URL).json()
    assert payload["cqc"] is None and payload["self_assessment"]["rating"] == "Good" and payload["gaps"] == []
    assert selectors.assurance_gaps(council=birmingham) == []


def test_the_councils_cqc_page_sets_the_self_score_beside_cqcs_and_flags_higher(
    client_for, birmingham, dass, cqc_outcome, cqc_cycle, django_assert_max_num_queries
):
    before = client_for("sli_lead").get(PAGE).content.decode()
    assert "Self-score" not in before and "Higher than CQC" not in before
    cqc_submitted(cycle=cqc_cycle, council=birmingham, scores=SELF_SCORES, user=dass)
    client = client_for("sli_lead")
    with django_assert_max_num_queries(20):
        page = client.get(PAGE).content.decode()
    assert "Self-score" in page and page.count("Higher than CQC") == 3
    assert "scored itself higher than CQC on 3 statements: 1 Assessing needs; 4 Care provision" in page
    # Under each statement's heading, beside its measures: both scores, and which the council set higher.
    assert page.count("higher than CQC's.") == 3
    assert f"/councils/{BIRMINGHAM}/self-assessment/{cqc_cycle.slug}/" in page
    # Another region's lead may read CQC's outcome but not Birmingham's self-assessment.
    other = client_for("other_region_lead").get(PAGE).content.decode()
    assert "Self-score" not in other


def test_the_self_assessment_api_gives_a_cqc_cycles_statements(client_for, birmingham, dass, cqc_cycle):
    cqc_submitted(cycle=cqc_cycle, council=birmingham, scores=SELF_SCORES, user=dass)
    payload = (
        client_for("dass").get(f"/api/councils/{BIRMINGHAM}/self-assessment/?cycle={cqc_cycle.slug}").json()
    )
    assert payload["framework"] == "cqc-local-authority" and payload["domains"] == []
    assert [(s["number"], s["score"]) for s in payload["statements"]] == list(enumerate(SELF_SCORES, start=1))
    assert payload["statements"][8]["name"] == "Learning, improvement and innovation"
