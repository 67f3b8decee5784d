"""The pure pairing algorithm with hand-made inputs (no database)."""

import itertools

import pytest

from peerchallenge import pairing
from peerchallenge.pairing import PairingError, PairingProblem, pair_councils
from tests.peerchallenge.summits.pairing_reference import brute_force

DOMAINS = ["Governance", "Performance and Outcomes", "Commissioning"]


def codes(n: int) -> list[str]:
    return [f"C{i:02d}" for i in range(n)]


def sizes(result) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(len(g.councils) for g in result.groups)


def assert_cover(result, cs) -> None:  # type: ignore[no-untyped-def]
    challengers = [a for g in result.groups for a, _ in g.sessions]
    challenged = [b for g in result.groups for _, b in g.sessions]
    assert sorted(challengers) == sorted(cs)
    assert sorted(challenged) == sorted(cs)


def test_fourteen_councils_make_seven_pairs_with_roles_reversed() -> None:
    result = pair_councils(PairingProblem(codes=codes(14)))
    assert sizes(result) == [2] * 7
    assert_cover(result, codes(14))
    for g in result.groups:
        a, b = g.councils
        assert g.sessions == [(a, b), (b, a)]
    assert result.optimal is True


def test_thirteen_councils_make_five_pairs_and_a_rotating_triad() -> None:
    result = pair_councils(PairingProblem(codes=codes(13)))
    assert sizes(result) == [2, 2, 2, 2, 2, 3]
    triad = next(g for g in result.groups if len(g.councils) == 3)
    a, b, c = triad.councils
    assert triad.sessions == [(a, b), (b, c), (c, a)]
    assert [triad.observer(i) for i in range(3)] == [c, a, b]
    assert_cover(result, codes(13))


@pytest.mark.parametrize(
    ("n", "expected"), [(2, [2]), (3, [3]), (4, [2, 2]), (6, [3, 3]), (7, [2, 2, 3]), (14, [2, 3, 3, 3, 3])]
)
def test_triads_when_asked(n: int, expected: list[int]) -> None:
    assert sizes(pair_councils(PairingProblem(codes=codes(n), triads=True))) == expected


def test_avoid_is_never_broken_and_recent_is_avoided() -> None:
    cs = codes(4)
    # Without constraints C00-C01 would be as good as anything; forbid it and make C00-C02 recent.
    result = pair_councils(PairingProblem(codes=cs, avoid=[("C00", "C01")], recent=[("C00", "C02")]))
    groups = {frozenset(g.councils) for g in result.groups}
    assert groups == {frozenset({"C00", "C03"}), frozenset({"C01", "C02"})}
    assert result.recent_repeats == 0


def test_recent_repeat_only_when_unavoidable_and_said_so() -> None:
    cs = codes(4)
    result = pair_councils(
        PairingProblem(
            codes=cs,
            avoid=[("C00", "C01"), ("C00", "C02")],
            recent={pairing.pair("C00", "C03"): 2025},
            last_paired={pairing.pair("C00", "C03"): 2025},
        )
    )
    assert {frozenset(g.councils) for g in result.groups} == {
        frozenset({"C00", "C03"}),
        frozenset({"C01", "C02"}),
    }
    assert result.recent_repeats == 1
    reasons = next(g.reasons for g in result.groups if "C00" in g.councils)
    assert "paired in 2025" in reasons and "no valid pairing avoids" in reasons


def test_impossible_names_the_constraint() -> None:
    with pytest.raises(PairingError, match="C00 must never be paired with any other council"):
        pair_councils(PairingProblem(codes=codes(4), avoid=[("C00", "C01"), ("C00", "C02"), ("C00", "C03")]))
    # Every council has a partner (C00), but C01, C02 and C03 may not meet each other: no grouping exists.
    with pytest.raises(
        PairingError, match=r"Removing any one of these would allow a pairing: C01 : C02, C01 : C03"
    ):
        pair_councils(PairingProblem(codes=codes(4), avoid=[("C01", "C02"), ("C01", "C03"), ("C02", "C03")]))


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(PairingError, match="At least two councils"):
        pair_councils(PairingProblem(codes=["C00"]))
    with pytest.raises(PairingError, match="C01 is listed more than once"):
        pair_councils(PairingProblem(codes=["C00", "C01", "C01"]))
    with pytest.raises(ValueError, match="is not a pair"):
        pairing.parse_pair("C00")


def test_complementary_councils_are_paired_with_reasons() -> None:
    scores = {
        "A": {"Performance and Outcomes": 1.0, "Governance": -1.0},
        "B": {"Performance and Outcomes": 1.0, "Governance": -1.0},
        "C": {"Performance and Outcomes": -1.0, "Governance": 1.0},
        "D": {"Performance and Outcomes": -1.0, "Governance": 1.0},
    }
    names = {"A": "Coventry", "B": "Walsall", "C": "Dudley", "D": "Wolverhampton"}
    result = pair_councils(
        PairingProblem(
            codes=list("ABCD"),
            data_scores=scores,
            names=names,
            last_paired={pairing.pair("A", "C"): 2024, pairing.pair("A", "D"): 2024},
        )
    )
    groups = {frozenset(g.councils) for g in result.groups}
    assert groups in ({frozenset("AC"), frozenset("BD")}, {frozenset("AD"), frozenset("BC")})
    reasons = next(g.reasons for g in result.groups if "A" in g.councils)
    assert "not paired since 2024" in reasons
    assert "on Performance and Outcomes, Coventry's figures are mostly green where" in reasons
    assert result.complementarity == 2 * pairing.COMPLEMENT_MAX


def test_self_ratings_count_and_can_override_flat_data() -> None:
    """Data alike everywhere: the self-ratings decide who complements whom."""
    flat = {c: {"Governance": 0.0} for c in "ABCD"}
    ratings = {
        "A": {"Governance": "green"},
        "B": {"Governance": "red"},
        "C": {"Governance": "green"},
        "D": {"Governance": "red"},
    }
    result = pair_councils(PairingProblem(codes=list("ABCD"), data_scores=flat, self_ratings=ratings))
    for g in result.groups:
        assert {ratings[c]["Governance"] for c in g.councils} == {"green", "red"}
    assert pairing.rating_score("Requires improvement") == -0.5
    assert pairing.rating_score(3) == 1.0
    assert pairing.rating_score("unknown") is None


def test_reasons_say_where_each_colour_comes_from_and_cite_only_domains_with_figures() -> None:
    """A self-rating is named as one, beside the figures; a domain with no figures is never cited."""
    scores = {"A": {"Outcomes": 1.0}, "B": {"Outcomes": -1.0}}
    ratings = {"A": {"Outcomes": "amber", "Workforce": "green"}, "B": {"Workforce": "red"}}
    problem = PairingProblem(
        codes=["A", "B"], data_scores=scores, self_ratings=ratings, names={"A": "Coventry", "B": "Dudley"}
    )
    reasons = pairing.explain_group(problem, ["A", "B"])
    assert (
        "on Outcomes, Coventry's figures are mostly green (self-rated amber) where Dudley's are mostly red"
        in reasons
    )
    assert "Workforce" not in reasons  # rated by both, but no figures for it
    only_ratings = PairingProblem(
        codes=["A", "B"], self_ratings=ratings, names={"A": "Coventry", "B": "Dudley"}
    )
    assert "no figures to compare them on" in pairing.explain_group(only_ratings, ["A", "B"])
    alike = PairingProblem(codes=["A", "B"], data_scores={"A": {"O": 1.0}, "B": {"O": 1.0}})
    assert "their figures are alike" in pairing.explain_group(alike, ["A", "B"])


def test_profiles_average_data_and_self_rating() -> None:
    profiles = pairing.council_profiles({"A": {"G": 1.0}}, {"A": {"G": "red", "H": "amber"}})
    assert profiles == {"A": {"G": 0.0, "H": 0.0}}
    assert pairing.complementarity({"G": 1.0}, {"G": -1.0}) == pairing.COMPLEMENT_MAX
    assert pairing.complementarity({"G": 1.0}, {"H": -1.0}) == 0


def test_same_seed_same_result_and_seeds_break_ties_differently() -> None:
    cs = codes(10)
    first = pair_councils(PairingProblem(codes=cs, seed=3))
    assert pair_councils(PairingProblem(codes=cs, seed=3)).as_json() == first.as_json()
    signatures = {pair_councils(PairingProblem(codes=cs, seed=s)).signature for s in range(6)}
    assert len(signatures) > 1


def test_another_option_is_different_and_no_better() -> None:
    scores = {c: {"G": (i % 3 - 1) * 0.9, "P": ((i * 7) % 5 - 2) / 2} for i, c in enumerate(codes(8))}
    problem = PairingProblem(codes=codes(8), data_scores=scores)
    best = pair_councils(problem)
    second = pair_councils(PairingProblem(codes=codes(8), data_scores=scores, exclude=[best.signature]))
    assert second.signature != best.signature
    assert second.complementarity <= best.complementarity
    assert second.optimal is True


def test_no_other_option_is_said() -> None:
    only = pair_councils(PairingProblem(codes=["A", "B"]))
    with pytest.raises(PairingError, match="No other valid pairing exists"):
        pair_councils(PairingProblem(codes=["A", "B"], exclude=[only.signature]))


def test_exact_matches_brute_force_on_small_instances() -> None:
    import random

    rng = random.Random(5)
    for n in (4, 5, 6, 7, 8):
        cs = codes(n)
        scores = {c: {d: rng.choice([-1.0, 0.0, 1.0]) for d in DOMAINS} for c in cs}
        recent = [p for p in itertools.combinations(cs, 2) if rng.random() < 0.2]
        problem = PairingProblem(codes=cs, data_scores=scores, recent=recent)
        result = pair_councils(problem)
        best = max(
            brute_force(cs),
            key=lambda groups: score_of(groups, scores, recent),
        )
        assert (result.recent_repeats, -result.complementarity) == (
            -score_of(best, scores, recent)[0],
            -score_of(best, scores, recent)[1],
        )


def score_of(groups, scores, recent) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    recent_set = {frozenset(p) for p in recent}
    repeats = comp = 0
    for g in groups:
        for a, b in itertools.combinations(g, 2):
            repeats += frozenset((a, b)) in recent_set
            comp += pairing.complementarity(scores[a], scores[b])
    return (-repeats, comp)


def test_check_grouping_finds_every_problem() -> None:
    problems = pairing.check_grouping(
        [["A", "B"], ["B", "C", "D", "E"], ["X"]],
        codes=["A", "B", "C", "D", "E", "F"],
        avoid=[("A", "B")],
        names={"A": "Birmingham"},
    )
    text = " ".join(problems)
    assert "F takes part but is in no group" in text
    assert "B is in 2 groups" in text
    assert "X is in a group but does not take part" in text
    assert "groups are of 2 or 3" in text
    assert "Birmingham and B must never be paired" in text
    assert pairing.check_grouping([["A", "B"]], codes=["A", "B"]) == []


def test_above_the_exact_limit_the_answer_is_valid_and_honest() -> None:
    cs = codes(26)
    scores = {c: {d: ((i * (j + 3)) % 5 - 2) / 2 for j, d in enumerate(DOMAINS)} for i, c in enumerate(cs)}
    result = pair_councils(PairingProblem(codes=cs, data_scores=scores, node_budget=2_000))
    assert_cover(result, cs)
    assert result.optimal is False
