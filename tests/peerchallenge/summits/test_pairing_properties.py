"""Property-based tests of the pairing over 2–33 councils (London has 33) with random never-pair and recent constraints.

Derandomised, so CI runs the same examples every time and a red run can be reproduced. When changing the solver,
also run it by hand with ``derandomize=False`` (new random examples on each run) to search wider.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerchallenge import pairing
from peerchallenge.pairing import PairingError, PairingProblem, pair_councils
from tests.peerchallenge.summits.pairing_reference import brute_force

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_invariants(result, problem: PairingProblem) -> None:  # type: ignore[no-untyped-def]
    cs = list(problem.codes)
    challengers = [a for g in result.groups for a, _ in g.sessions]
    challenged = [b for g in result.groups for _, b in g.sessions]
    assert sorted(challengers) == sorted(cs), "everyone challenges exactly once"
    assert sorted(challenged) == sorted(cs), "everyone is challenged exactly once"
    assert all(len(g.councils) in (2, 3) for g in result.groups)
    n_pairs, n_triads = pairing.group_sizes(len(cs), triads=problem.triads)
    assert sorted(len(g.councils) for g in result.groups) == [2] * n_pairs + [3] * n_triads
    for g in result.groups:
        assert len(set(g.councils)) == len(g.councils), "no self-pairs"
        assert all(a != b for a, b in g.sessions)
        for a, b in itertools.combinations(g.councils, 2):
            assert frozenset((a, b)) not in {frozenset(p) for p in problem.avoid}, "never-pair kept"
    assert isinstance(result.optimal, bool)


@st.composite
def planted(draw):  # type: ignore[no-untyped-def]
    """A problem with a hidden valid grouping that avoids every recent pair (so one must be found)."""
    n = draw(st.integers(min_value=2, max_value=33))
    triads = draw(st.booleans())
    cs = [f"E0{i:07d}" for i in range(n)]
    order = draw(st.permutations(cs))
    n_pairs, n_triads = pairing.group_sizes(n, triads=triads)
    hidden, pos = [], 0
    for size in [3] * n_triads + [2] * n_pairs:
        hidden.append(order[pos : pos + size])
        pos += size
    hidden_pairs = {frozenset(p) for g in hidden for p in itertools.combinations(g, 2)}
    others = [p for p in itertools.combinations(cs, 2) if frozenset(p) not in hidden_pairs]
    avoid_density = draw(st.sampled_from([0.0, 0.1, 0.3]))
    recent_density = draw(st.sampled_from([0.0, 0.2, 0.4]))
    flags = draw(st.lists(st.integers(0, 99), min_size=len(others), max_size=len(others)))
    avoid = [p for p, f in zip(others, flags, strict=True) if f < avoid_density * 100]
    recent = [
        p
        for p, f in zip(others, flags, strict=True)
        if avoid_density * 100 <= f < (avoid_density + recent_density) * 100
    ]
    seed = draw(st.integers(0, 1000))
    return PairingProblem(
        codes=cs,
        avoid=avoid,
        recent=recent,
        triads=triads,
        seed=seed,
        node_budget=3_000 if n > 20 else 60_000,
    )


@SETTINGS
@given(planted())
@pytest.mark.long
def test_valid_grouping_kept_recent_avoided_and_deterministic(problem: PairingProblem) -> None:
    result = pair_councils(problem)
    check_invariants(result, problem)
    assert result.recent_repeats == 0, "a grouping without recent pairs exists, so none may repeat"
    again = pair_councils(problem)
    assert again.as_json() == result.as_json(), "same seed, same result"


@st.composite
def small_random(draw):  # type: ignore[no-untyped-def]
    """Small unconstrained-by-construction problems, checked against brute force (may be infeasible)."""
    n = draw(st.integers(min_value=2, max_value=9))
    cs = [f"C{i}" for i in range(n)]
    pairs = list(itertools.combinations(cs, 2))
    avoid = draw(st.lists(st.sampled_from(pairs), max_size=len(pairs), unique=True))
    recent = draw(st.lists(st.sampled_from(pairs), max_size=len(pairs), unique=True))
    triads = draw(st.booleans())
    return PairingProblem(codes=cs, avoid=avoid, recent=recent, triads=triads, seed=draw(st.integers(0, 50)))


@SETTINGS
@given(small_random())
def test_small_problems_match_brute_force(problem: PairingProblem) -> None:
    groupings = list(brute_force(list(problem.codes), triads=problem.triads, avoid=problem.avoid))
    recent = {frozenset(p) for p in problem.recent}
    if not groupings:
        with pytest.raises(PairingError, match=r"^No valid pairing: .+"):
            pair_councils(problem)
        return
    result = pair_councils(problem)
    check_invariants(result, problem)
    fewest = min(
        sum(frozenset(p) in recent for g in gs for p in itertools.combinations(g, 2)) for gs in groupings
    )
    assert result.recent_repeats == fewest
    assert result.optimal is True
