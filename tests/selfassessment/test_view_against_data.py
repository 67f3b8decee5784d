"""The view-against-data rule (scoring.view_against_data), number for number as in docs/SCORING.md."""

import pytest

from scorecard.scoring import RAG, Divergence, view_against_data


def test_worked_example_from_scoring_md():
    # Birmingham's Performance and Outcomes: 6 measures with a colour, 1 green, 1 amber, 4 red; self-rated green.
    result = view_against_data(rating="green", green=1, amber=1, red=4)
    assert result.rated == 6
    assert result.compared is True
    assert result.divergence is Divergence.RATED_BETTER
    assert result.divergence.value == "rated_better_than_data"
    assert result.text == "Self-rated green; 4 of its 6 measures with a colour are red."


@pytest.mark.parametrize(
    ("rating", "green", "amber", "red", "divergence", "text"),
    [
        # Green: flagged from half the measures red (2 × red ≥ n).
        (
            "green",
            2,
            1,
            3,
            Divergence.RATED_BETTER,
            "Self-rated green; 3 of its 6 measures with a colour are red.",
        ),
        (
            "green",
            1,
            0,
            1,
            Divergence.RATED_BETTER,
            "Self-rated green; 1 of its 2 measures with a colour is red.",
        ),
        ("green", 3, 2, 2, None, "Self-rated green; the data shows 3 green, 2 amber, 2 red."),
        # Amber: flagged only when every measure is red, or every one green.
        (
            "amber",
            0,
            0,
            3,
            Divergence.RATED_BETTER,
            "Self-rated amber; every one of its 3 measures with a colour is red.",
        ),
        (
            "amber",
            4,
            0,
            0,
            Divergence.RATED_WORSE,
            "Self-rated amber; every one of its 4 measures with a colour is green.",
        ),
        ("amber", 1, 0, 3, None, "Self-rated amber; the data shows 1 green, 0 amber, 3 red."),
        # Red: flagged when no measure is red.
        (
            "red",
            3,
            2,
            0,
            Divergence.RATED_WORSE,
            "Self-rated red; every measure is green or amber (3 green, 2 amber).",
        ),
        ("red", 3, 2, 1, None, "Self-rated red; the data shows 3 green, 2 amber, 1 red."),
    ],
)
def test_rule_table(rating, green, amber, red, divergence, text):
    result = view_against_data(rating=rating, green=green, amber=amber, red=red)
    assert result.divergence == divergence
    assert result.text == text
    assert result.rating == RAG(rating)
    assert (result.green, result.amber, result.red) == (green, amber, red)


@pytest.mark.parametrize("rating", ["green", "amber", "red"])
def test_a_domain_without_measures_is_no_data_never_agreement(rating):
    result = view_against_data(rating=rating, green=0, amber=0, red=0)
    assert result.compared is False
    assert result.no_data is True
    assert result.divergence is None
    assert result.text == f"Self-rated {rating}; no data to compare (no measure with a colour)."


def test_not_rated_is_not_compared():
    result = view_against_data(rating=None, green=1, amber=0, red=5)
    assert result.compared is False
    assert result.divergence is None
    assert result.text == "Not self-rated; the data shows 1 green, 0 amber, 5 red."
    assert view_against_data(rating="", green=0, amber=0, red=0).text == "Not self-rated."


def test_worked_example_other_ratings():
    amber = view_against_data(rating="amber", green=1, amber=1, red=4)
    assert amber.divergence is None
    assert amber.text == "Self-rated amber; the data shows 1 green, 1 amber, 4 red."
    assert view_against_data(rating="red", green=1, amber=1, red=4).divergence is None
    worse = view_against_data(rating="red", green=3, amber=3, red=0)
    assert worse.divergence is Divergence.RATED_WORSE
    assert worse.text == "Self-rated red; every measure is green or amber (3 green, 3 amber)."


def test_gives_counts_when_the_text_states_green_amber_and_red():
    """A page beside the text repeats the counts only when the text does not state them."""
    for result in (
        view_against_data(rating="amber", green=1, amber=1, red=4),
        view_against_data(rating=None, green=1, amber=0, red=5),
    ):
        assert (
            result.gives_counts
            and f"{result.green} green, {result.amber} amber, {result.red} red" in result.text
        )
    for result in (
        view_against_data(rating="green", green=1, amber=1, red=4),  # rated better: the red share only
        view_against_data(rating="red", green=3, amber=3, red=0),
        view_against_data(rating="green", green=0, amber=0, red=0),
        view_against_data(rating=None, green=0, amber=0, red=0),
    ):
        assert not result.gives_counts and "0 red" not in result.text and "4 red" not in result.text
