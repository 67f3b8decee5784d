"""Demo CQC outcomes: deterministic and plausible, labelled demo, replaced by real ones, removed with demo data."""

from collections import Counter
from datetime import date

import pytest

from councils.models import Council
from scorecard.assurance.demo import cqc_demo_seed, demo_scores
from scorecard.assurance.models import CqcAssessment
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.demo import demo_data_remove
from scorecard.scoring import CqcRating

pytestmark = pytest.mark.django_db

WEST_MIDLANDS = "E12000005"


def test_every_current_council_of_the_region_gets_one_plausible_outcome_and_a_rerun_changes_nothing():
    first = cqc_demo_seed(region_gss_code=WEST_MIDLANDS)
    councils = Council.objects.filter(region__gss_code=WEST_MIDLANDS, status=Council.Status.CURRENT)
    assert first.counts["created"] == councils.count()
    outcomes = list(CqcAssessment.objects.all())
    assert all(a.is_demo and a.source == CqcAssessment.Source.DEMO and not a.report_url for a in outcomes)
    assert all(a.published_rating is a.implied_rating for a in outcomes)
    assert all(date(2024, 4, 1) <= a.assessed_on <= date(2025, 11, 1) for a in outcomes)
    scores = Counter(s for a in outcomes for s in a.scores)
    assert scores[2] + scores[3] > scores[1] + scores[4]  # mostly 2s and 3s, as CQC's published scores are
    assert len({a.published_rating for a in outcomes}) >= 2
    again = cqc_demo_seed(region_gss_code=WEST_MIDLANDS)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": councils.count()}
    assert demo_scores("E08000025") == demo_scores("E08000025")


def test_a_real_outcome_replaces_the_demo_one_and_demo_removal_keeps_real_ones():
    cqc_demo_seed(region_gss_code=WEST_MIDLANDS)
    birmingham = Council.objects.get(gss_code="E08000025")
    cqc_assessment_save(
        outcome=CqcOutcome(
            council=birmingham, assessed_on=date(2025, 5, 1), scores=(3,) * 9, rating=CqcRating.GOOD
        )
    )
    assert list(birmingham.cqc_assessments.values_list("is_demo", flat=True)) == [False]
    cqc_demo_seed(region_gss_code=WEST_MIDLANDS)  # a later seed leaves the real one alone
    assert list(birmingham.cqc_assessments.values_list("is_demo", flat=True)) == [False]
    demo_data_remove()
    assert list(CqcAssessment.objects.values_list("council__gss_code", flat=True)) == ["E08000025"]
