"""CQC's implied rating (docs/SCORING.md, "CQC's implied rating"): every threshold edge, and the worked example."""

from decimal import Decimal

import pytest

from scorecard import scoring
from scorecard.scoring import CqcRating, CqcScoresInvalid, cqc_percent, cqc_rating


def scores_summing_to(total: int, count: int = 9) -> list[int]:
    """``count`` scores of 1–4 that add up to ``total`` (as many 4s as fit, then the remainder)."""
    assert count <= total <= 4 * count
    scores = [1] * count
    extra = total - count
    for i in range(count):
        step = min(3, extra)
        scores[i] += step
        extra -= step
    return scores


def test_the_nine_statements_are_cqcs_in_cqcs_order():
    assert [s.number for s in scoring.CQC_STATEMENTS] == list(range(1, 10))
    assert [s.name for s in scoring.CQC_STATEMENTS] == [
        "Assessing needs",
        "Supporting people to live healthier lives",
        "Equity in experience and outcomes",
        "Care provision, integration and continuity",
        "Partnerships and communities",
        "Safe systems, pathways and transitions",
        "Safeguarding",
        "Governance, management and sustainability",
        "Learning, improvement and innovation",
    ]
    themes = [s.theme for s in scoring.CQC_STATEMENTS]
    assert themes == [scoring.CQC_THEMES[i] for i in (0, 0, 0, 1, 1, 2, 2, 3, 3)]
    assert scoring.CQC_THEMES[2] == "How the local authority ensures safety within the system"
    assert all(s.url.startswith("https://www.cqc.org.uk/") for s in scoring.CQC_STATEMENTS)


def test_worked_example():
    # docs/SCORING.md: 3, 3, 3, 3, 3, 3, 3, 4, 4 → 29 of 36 = 80.555…% → 80.6, Good.
    scores = [3, 3, 3, 3, 3, 3, 3, 4, 4]
    assert cqc_percent(scores) == Decimal("80.6")
    assert cqc_rating(scores) is CqcRating.GOOD


# Every sum nine statements can have, with its percentage and rating. The edges: 13 → 36.1 and 14 → 38.9
# (rounds to 39: Requires improvement), 22 → 61.1 and 23 → 63.9, 31 → 86.1 and 32 → 88.9.
NINE = {
    9: ("25.0", CqcRating.INADEQUATE),
    13: ("36.1", CqcRating.INADEQUATE),
    14: ("38.9", CqcRating.REQUIRES_IMPROVEMENT),
    22: ("61.1", CqcRating.REQUIRES_IMPROVEMENT),
    23: ("63.9", CqcRating.GOOD),
    31: ("86.1", CqcRating.GOOD),
    32: ("88.9", CqcRating.OUTSTANDING),
    36: ("100.0", CqcRating.OUTSTANDING),
}


@pytest.mark.parametrize(("total", "expected"), NINE.items())
def test_nine_statements_at_every_edge(total, expected):
    percent, rating = expected
    scores = scores_summing_to(total)
    assert cqc_percent(scores) == Decimal(percent)
    assert cqc_rating(scores) is rating


def test_every_sum_of_nine_is_rated_by_its_band():
    for total in range(9, 37):
        whole = round(Decimal(100 * total) / 36)
        expected = (
            CqcRating.OUTSTANDING
            if whole >= 88
            else CqcRating.GOOD
            if whole >= 63
            else CqcRating.REQUIRES_IMPROVEMENT
            if whole >= 39
            else CqcRating.INADEQUATE
        )
        assert cqc_rating(scores_summing_to(total)) is expected, total


# Fewer statements (CQC rates those it assessed) reach the exact halves: the whole-percent rounding decides.
@pytest.mark.parametrize(
    ("total", "count", "percent", "rating"),
    [
        (20, 8, "62.5", CqcRating.GOOD),  # 62.5 → 63
        (19, 8, "59.4", CqcRating.REQUIRES_IMPROVEMENT),
        (28, 8, "87.5", CqcRating.OUTSTANDING),  # 87.5 → 88
        (27, 8, "84.4", CqcRating.GOOD),
        (10, 4, "62.5", CqcRating.GOOD),
        (5, 3, "41.7", CqcRating.REQUIRES_IMPROVEMENT),
        (3, 2, "37.5", CqcRating.INADEQUATE),  # 37.5 → 38
        # The exact value is rounded, never the one-decimal one: 40 of 104 is 38.46…%, shown as 38.5 but 38.
        (40, 26, "38.5", CqcRating.INADEQUATE),
    ],
)
def test_fewer_statements_round_the_exact_percentage(total, count, percent, rating):
    scores = scores_summing_to(total, count)
    assert cqc_percent(scores) == Decimal(percent)
    assert cqc_rating(scores) is rating


@pytest.mark.parametrize("bad", [[], [0, 3], [5], [3, 2.5], ["3"], [True]])
def test_scores_outside_one_to_four_are_refused(bad):
    with pytest.raises(CqcScoresInvalid):
        cqc_percent(bad)
    with pytest.raises(CqcScoresInvalid):
        cqc_rating(bad)
