"""A reference for the pairing: every valid grouping, found by brute force (small instances only)."""

import itertools

from peerchallenge import pairing


def brute_force(cs: list[str], *, triads: bool = False, avoid=()):  # type: ignore[no-untyped-def]
    """Every valid grouping of ``cs`` with the sizes pair_councils uses (pairs, triads as group_sizes says)."""
    n_pairs, n_triads = pairing.group_sizes(len(cs), triads=triads)
    banned = {frozenset(p) for p in avoid}

    def ok(group) -> bool:  # type: ignore[no-untyped-def]
        return all(frozenset(p) not in banned for p in itertools.combinations(group, 2))

    def rec(rest, p, t):  # type: ignore[no-untyped-def]
        if not rest:
            yield []
            return
        first, others = rest[0], rest[1:]
        if p:
            for j, other in enumerate(others):
                if ok([first, other]):
                    for tail in rec(others[:j] + others[j + 1 :], p - 1, t):
                        yield [[first, other], *tail]
        if t:
            for j, k in itertools.combinations(range(len(others)), 2):
                group = [first, others[j], others[k]]
                if ok(group):
                    remaining = [c for i, c in enumerate(others) if i not in (j, k)]
                    for tail in rec(remaining, p, t - 1):
                        yield [group, *tail]

    yield from rec(list(cs), n_pairs, n_triads)
