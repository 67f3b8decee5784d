"""Pairing prefers a council CQC scored 4 on a statement beside one it scored 1 or 2 there, and says so."""

import datetime as dt

import pytest

from councils.models import Council
from peerchallenge import pairing
from peerchallenge.pairing import PairingProblem, pair_councils
from peerchallenge.services import pairing_problem_build
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.scoring import CQC_STATEMENTS, cqc_rating

NAMES = [s.name for s in CQC_STATEMENTS]
ALL_GOOD = (3,) * 9


def with_score(number: int, score: int, base: tuple[int, ...] = ALL_GOOD) -> tuple[int, ...]:
    scores = list(base)
    scores[number - 1] = score
    return tuple(scores)


def test_a_council_scored_4_is_paired_with_one_scored_1_or_2_on_that_statement_and_the_reasons_say_so() -> (
    None
):
    cqc = {
        "A": with_score(7, 4),  # exceptional on Safeguarding
        "B": ALL_GOOD,
        "C": with_score(7, 2),  # some shortfalls on Safeguarding
        "D": ALL_GOOD,
    }
    names = {"A": "Solihull", "B": "Walsall", "C": "Dudley", "D": "Wolverhampton"}
    for seed in range(6):  # whatever the tie-break, the learning pair wins
        result = pair_councils(
            PairingProblem(codes=list("ABCD"), cqc_scores=cqc, cqc_statements=NAMES, names=names, seed=seed)
        )
        groups = {frozenset(g.councils) for g in result.groups}
        assert groups == {frozenset("AC"), frozenset("BD")}, seed
        assert result.learning == 1
    reasons = next(g.reasons for g in result.groups if "A" in g.councils)
    assert (
        "on Safeguarding, CQC found an exceptional standard at Solihull (4 of 4) and some shortfalls at Dudley "
        "(2 of 4): one can learn from the other" in reasons
    )
    other = next(g.reasons for g in result.groups if "B" in g.councils)
    assert "CQC" not in other
    demo = pair_councils(
        PairingProblem(
            codes=list("ABCD"), cqc_scores=cqc, cqc_statements=NAMES, names=names, cqc_is_demo=True
        )
    )
    assert "on Safeguarding, CQC's synthetic demo scores show an exceptional standard at Solihull" in next(
        g.reasons for g in demo.groups if "A" in g.councils
    )


def test_a_score_of_3_is_no_learning_pair_and_a_recent_pair_still_wins_over_it() -> None:
    assert pairing.learning_statements(with_score(1, 4), with_score(1, 3)) == []
    assert pairing.learning_statements(with_score(1, 1), with_score(1, 4)) == [(0, False)]
    cqc = {"A": with_score(2, 4), "B": ALL_GOOD, "C": with_score(2, 1), "D": ALL_GOOD}
    result = pair_councils(
        PairingProblem(codes=list("ABCD"), cqc_scores=cqc, cqc_statements=NAMES, recent=[("A", "C")])
    )
    assert frozenset("AC") not in {frozenset(g.councils) for g in result.groups}
    assert result.recent_repeats == 0


def test_several_statements_are_counted_and_the_reasons_stay_short() -> None:
    high = (4, 4, 4, 3, 3, 3, 3, 3, 3)
    low = (1, 2, 2, 3, 3, 3, 3, 3, 3)
    result = pair_councils(
        PairingProblem(
            codes=list("AB"),
            cqc_scores={"A": high, "B": low},
            cqc_statements=NAMES,
            names={"A": "X", "B": "Y"},
        )
    )
    assert result.learning == 3
    reasons = result.groups[0].reasons
    assert (
        "on Assessing needs, CQC found an exceptional standard at X (4 of 4) and significant shortfalls"
        in reasons
    )
    assert "and 1 more such statement" in reasons and "Equity in experience" not in reasons


@pytest.mark.django_db
def test_the_summit_pairing_reads_each_councils_latest_cqc_outcome() -> None:
    """Through the database: the problem carries CQC's latest scores and says when they are demo ones."""
    solihull, dudley = Council.objects.get(gss_code="E08000029"), Council.objects.get(gss_code="E08000027")
    walsall, wolverhampton = (
        Council.objects.get(gss_code="E08000030"),
        Council.objects.get(gss_code="E08000031"),
    )
    for council, scores, month in (
        (solihull, with_score(7, 2), dt.date(2024, 5, 1)),  # older: replaced by the later one
        (solihull, with_score(7, 4), dt.date(2025, 6, 1)),
        (dudley, with_score(7, 2), dt.date(2025, 2, 1)),
    ):
        outcome = CqcOutcome(council=council, assessed_on=month, scores=scores, rating=cqc_rating(scores))
        cqc_assessment_save(outcome=outcome)
    codes = [c.gss_code for c in (solihull, dudley, walsall, wolverhampton)]
    problem = pairing_problem_build(codes=codes)
    assert problem.cqc_scores == {solihull.gss_code: with_score(7, 4), dudley.gss_code: with_score(7, 2)}
    assert problem.cqc_is_demo is False
    result = pair_councils(problem)
    reasons = next(g.reasons for g in result.groups if solihull.gss_code in g.councils)
    assert dudley.gss_code in next(g.councils for g in result.groups if solihull.gss_code in g.councils)
    assert (
        "on Safeguarding, CQC found an exceptional standard at Solihull (4 of 4) and some shortfalls at Dudley"
        in (reasons)
    )
