"""Who challenges whom: the pure pairing algorithm (no ORM, no Django). Method in ``docs/PAIRING.md``.

Councils are identified by any string code (GSS codes in practice). Every council challenges exactly
once and is challenged exactly once: a pair A, B runs A → B then B → A; a triad A, B, C rotates
A → B, B → C, C → A (the third council observes each session).

The objective is lexicographic, folded into one integer so that the search compares plain ints:

1. fewest *recent* pairs (two councils of one group who met in the look-back), then
2. the most complementarity (one strong where the other is weak, by domain; and where CQC scored one council
   4 on a quality statement and the other 1 or 2, a statement one can learn from the other), then
3. a seeded tie-break, so that a seed always gives the same answer.

*Avoid* pairs are hard constraints: they are never in the same group.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

# Weights of the folded objective. Complementarity per pair is an int in 0..COMPLEMENT_MAX and the seeded
# jitter an int in 0..JITTER_MAX-1; with at most MAX_EDGES pairs in a grouping the levels cannot overlap.
COMPLEMENT_MAX = 1000
JITTER_MAX = 100
MAX_EDGES = 200  # 3 pairs per triad: enough for 130+ councils
COMPLEMENT_WEIGHT = JITTER_MAX * MAX_EDGES
# A CQC quality statement scored 4 for one council of a pair and 1 or 2 for the other adds this much to the pair's
# complementarity: a fifth of the largest domain contrast, so it tips the choice between otherwise similar
# pairings (docs/PAIRING.md). Nine statements at most.
LEARNING_POINTS = 200
LEARNING_MAX = 9 * LEARNING_POINTS
RECENT_PENALTY = 2 * COMPLEMENT_WEIGHT * (COMPLEMENT_MAX + LEARNING_MAX) * MAX_EDGES
CQC_EXCEPTIONAL = 4
CQC_SHORTFALLS = (1, 2)
CQC_WORDS = {1: "significant shortfalls", 2: "some shortfalls"}
DEFAULT_NODE_BUDGET = 60_000
# Up to this many councils the search is bounded by an exact dynamic programme over subsets.
EXACT_LIMIT = 20
EXACT_LIMIT_TRIADS = 16  # when triads are asked for, the programme has a triad count too

# Score bands for plain-English reasons (a domain score is in [-1, 1]).
STRONG = 1 / 3
WEAK = -1 / 3

Pair = frozenset[str]


class PairingError(ValueError):
    """No valid pairing: the message says which constraint makes it impossible."""


@dataclass(frozen=True)
class Group:
    """Councils in rotation order: each challenges the next, the last challenges the first."""

    councils: tuple[str, ...]
    reasons: str = ""

    @property
    def sessions(self) -> list[tuple[str, str]]:
        """(challenger, challenged) in running order: roles reversed for a pair, rotated for a triad."""
        n = len(self.councils)
        return [(self.councils[i], self.councils[(i + 1) % n]) for i in range(n)]

    def observer(self, session_index: int) -> str | None:
        """Who observes the ``session_index``-th session (a triad's third council), else None."""
        if len(self.councils) != 3:
            return None
        challenger, challenged = self.sessions[session_index]
        return next(c for c in self.councils if c not in (challenger, challenged))


@dataclass
class PairingResult:
    groups: list[Group]
    optimal: bool
    recent_repeats: int
    complementarity: int  # sum over pairs in groups, each 0..COMPLEMENT_MAX
    nodes: int = 0
    learning: int = 0  # CQC statements, over the pairs in groups, scored 4 for one and 1 or 2 for the other

    def as_json(self) -> dict:
        return {
            "groups": [
                {
                    "councils": list(g.councils),
                    "sessions": [{"challenger": a, "challenged": b} for a, b in g.sessions],
                    "reasons": g.reasons,
                }
                for g in self.groups
            ],
            "optimal": self.optimal,
        }

    @property
    def signature(self) -> frozenset[frozenset[str]]:
        return grouping_signature([g.councils for g in self.groups])


@dataclass
class PairingProblem:
    """Everything the algorithm needs; build it with plain data (tests) or from the database (services)."""

    codes: Sequence[str]
    avoid: Iterable[tuple[str, str]] = ()
    recent: Mapping[Pair, int | None] | Iterable[tuple[str, str]] = ()
    triads: bool = False
    seed: int = 0
    # code → domain → score in [-1, 1] from the performance data (green +1, amber 0, red -1, averaged)
    data_scores: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    # code → domain → self-rating (a score in [-1, 1] or a word; see rating_score)
    self_ratings: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    # code → CQC's latest scores of its nine quality statements, in CQC's order (statement 1 first)
    cqc_scores: Mapping[str, Sequence[int | None]] = field(default_factory=dict)
    cqc_is_demo: bool = False  # the CQC scores are synthetic demo ones (the reasons say so)
    cqc_statements: Sequence[str] = ()  # the statements' names, in CQC's order (for the reasons)
    last_paired: Mapping[Pair, int] = field(default_factory=dict)  # pair → year last in one group
    exclude: Iterable[frozenset[frozenset[str]]] = ()  # groupings already shown ("another option")
    node_budget: int = DEFAULT_NODE_BUDGET


def pair(a: str, b: str) -> Pair:
    return frozenset((a, b))


def grouping_signature(groups: Iterable[Sequence[str]]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(g) for g in groups)


def parse_pair(text: str) -> tuple[str, str]:
    """``"A:B"`` → ("A", "B"); raises ValueError with a readable message."""
    parts = [p.strip() for p in text.split(":")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(
            f"'{text}' is not a pair: write two codes joined by a colon, e.g. E08000025:E08000026."
        )
    return parts[0], parts[1]


RATING_WORDS = {
    "green": 1.0,
    "strong": 1.0,
    "good": 1.0,
    "outstanding": 1.0,
    "amber": 0.0,
    "adequate": 0.0,
    "requires improvement": -0.5,
    "red": -1.0,
    "weak": -1.0,
    "inadequate": -1.0,
}


def rating_score(rating: object) -> float | None:
    """A self-rating as a score in [-1, 1]: a number in [-1, 1], or a word such as green/amber/red."""
    if rating is None:
        return None
    if isinstance(rating, int | float):
        return max(-1.0, min(1.0, float(rating)))
    return RATING_WORDS.get(str(rating).strip().lower())


def score_word(score: float) -> str:
    if score >= STRONG:
        return "green"
    if score <= WEAK:
        return "red"
    return "amber"


def council_profiles(
    data_scores: Mapping[str, Mapping[str, float]], self_ratings: Mapping[str, Mapping[str, object]]
) -> dict[str, dict[str, float]]:
    """code → domain → combined score: the mean of the data score and the self-rating where both exist."""
    profiles: dict[str, dict[str, float]] = {}
    for code in set(data_scores) | set(self_ratings):
        data = data_scores.get(code, {})
        own = {d: s for d, r in self_ratings.get(code, {}).items() if (s := rating_score(r)) is not None}
        profile: dict[str, float] = {}
        for domain in set(data) | set(own):
            values = [v for v in (data.get(domain), own.get(domain)) if v is not None]
            profile[domain] = sum(values) / len(values)
        profiles[code] = profile
    return profiles


def complementarity(a: Mapping[str, float], b: Mapping[str, float]) -> int:
    """0..COMPLEMENT_MAX: mean absolute difference of the two profiles over the domains both have."""
    shared = set(a) & set(b)
    if not shared:
        return 0
    mean_gap = sum(abs(a[d] - b[d]) for d in shared) / len(shared)  # 0..2
    return round(min(mean_gap, 2.0) / 2.0 * COMPLEMENT_MAX)


def learning_statements(a: Sequence[int | None], b: Sequence[int | None]) -> list[tuple[int, bool]]:
    """The statements (0-based, CQC's order) CQC scored 4 for one council and 1 or 2 for the other, each with
    whether ``a`` is the one scored 4."""
    found = []
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x == CQC_EXCEPTIONAL and y in CQC_SHORTFALLS:
            found.append((index, True))
        elif y == CQC_EXCEPTIONAL and x in CQC_SHORTFALLS:
            found.append((index, False))
    return found


def group_sizes(n: int, *, triads: bool) -> tuple[int, int]:
    """(pairs, triads) for ``n`` councils: as many triads as asked-for allows, else one only if n is odd."""
    if n < 2:
        raise PairingError("At least two councils must take part to pair them.")
    if not triads:
        t = n % 2
    else:
        t = n // 3
        if (n - 3 * t) % 2:
            t -= 1
    return (n - 3 * t) // 2, t


def _jitter(seed: int, a: str, b: str) -> int:
    lo, hi = sorted((a, b))
    digest = hashlib.sha256(f"{seed}|{lo}|{hi}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % JITTER_MAX


class _Solver:
    def __init__(self, problem: PairingProblem) -> None:
        codes = list(problem.codes)
        if len(set(codes)) != len(codes):
            dupes = sorted({c for c in codes if codes.count(c) > 1})
            raise PairingError(f"{', '.join(dupes)} is listed more than once: each council takes part once.")
        self.codes = codes
        self.n = len(codes)
        self.n_pairs, self.n_triads = group_sizes(self.n, triads=problem.triads)
        index = {c: i for i, c in enumerate(codes)}
        self.index = index
        self.avoid: set[tuple[int, int]] = set()
        for a, b in problem.avoid:
            if a == b:
                continue  # a council is never grouped with itself anyway
            if a in index and b in index:
                self.avoid.add((index[a], index[b]))
                self.avoid.add((index[b], index[a]))
        recent_pairs = problem.recent.keys() if isinstance(problem.recent, Mapping) else problem.recent
        self.recent: set[tuple[int, int]] = set()
        for item in recent_pairs:
            a, b = tuple(item) if len(tuple(item)) == 2 else (None, None)
            if a in index and b in index and a != b:
                self.recent.add((index[a], index[b]))
                self.recent.add((index[b], index[a]))
        profiles = council_profiles(problem.data_scores, problem.self_ratings)
        self.comp = [[0] * self.n for _ in range(self.n)]
        self.learning = [[0] * self.n for _ in range(self.n)]
        self.w = [[0] * self.n for _ in range(self.n)]
        cqc = problem.cqc_scores
        for i, j in itertools.combinations(range(self.n), 2):
            c = complementarity(profiles.get(codes[i], {}), profiles.get(codes[j], {}))
            learn = len(learning_statements(cqc.get(codes[i], ()), cqc.get(codes[j], ())))
            self.learning[i][j] = self.learning[j][i] = learn
            weight = (c + learn * LEARNING_POINTS) * COMPLEMENT_WEIGHT + _jitter(
                problem.seed, codes[i], codes[j]
            )
            if (i, j) in self.recent:
                weight -= RECENT_PENALTY
            self.comp[i][j] = self.comp[j][i] = c
            self.w[i][j] = self.w[j][i] = weight
        self.exclude = {frozenset(frozenset(g) for g in sig) for sig in problem.exclude}
        self.budget = problem.node_budget
        self.rng = random.Random(problem.seed)
        # Partners of each council by weight, best first (ties by index for determinism).
        self.partners = [self._partners_by_weight(i) for i in range(self.n)]
        # Best share a council can get from any triad (weight / 3), used by the bound when triads remain.
        self.triad_share = [float("-inf")] * self.n
        if self.n_triads:
            for i, j, k in itertools.combinations(range(self.n), 3):
                if self._ok(i, j) and self._ok(j, k) and self._ok(i, k):
                    share = (self.w[i][j] + self.w[j][k] + self.w[i][k]) / 3
                    for x in (i, j, k):
                        self.triad_share[x] = max(self.triad_share[x], share)

    def _partners_by_weight(self, i: int) -> list[int]:
        """Partners of council ``i`` by weight, best first (ties by index for determinism)."""
        return sorted(
            (j for j in range(self.n) if j != i and (i, j) not in self.avoid),
            key=lambda j: (-self.w[i][j], j),
        )

    def _options(self, i: int, is_free: Callable[[int], bool]) -> tuple[int, int]:
        """How freely council ``i`` can still be grouped: (free partners not met recently, all free partners)."""
        fresh = total = 0
        for j in self.partners[i]:
            if is_free(j):
                total += 1
                if (i, j) not in self.recent:
                    fresh += 1
        return fresh, total

    def _ok(self, i: int, j: int) -> bool:
        return i != j and (i, j) not in self.avoid

    def group_weight(self, g: Sequence[int]) -> int:
        return sum(self.w[a][b] for a, b in itertools.combinations(g, 2))

    def total(self, groups: Sequence[Sequence[int]]) -> int:
        return sum(self.group_weight(g) for g in groups)

    def signature(self, groups: Sequence[Sequence[int]]) -> frozenset[frozenset[str]]:
        return frozenset(frozenset(self.codes[i] for i in g) for g in groups)

    def valid(self, groups: Sequence[Sequence[int]]) -> bool:
        return all(self._ok(a, b) for g in groups for a, b in itertools.combinations(g, 2))

    # --- heuristic: seeded greedy construction + pair-exchange local search ---------------------

    def heuristic(self, restarts: int = 12) -> list[list[int]] | None:
        best: list[list[int]] | None = None
        best_score = None

        def consider(groups: list[list[int]] | None) -> None:
            nonlocal best, best_score
            if groups is None:
                return
            groups = self._improve(groups)
            if not self.valid(groups) or self.signature(groups) in self.exclude:
                return
            score = self.total(groups)
            if best_score is None or score > best_score:
                best, best_score = groups, score

        for r in range(restarts):
            order = list(range(self.n))
            if r:
                self.rng.shuffle(order)
            consider(self._greedy(order))
        if best is None or self.repeats(best):
            # Greedy met a recent pair (or found nothing): look for a grouping that uses only pairs that
            # did not meet recently, then (failing that) any valid grouping, by a constraint-first search.
            consider(self._feasible(lambda i, j: (i, j) not in self.recent))
        if best is None:
            consider(self._feasible(lambda i, j: True))
        return best

    def repeats(self, groups: Sequence[Sequence[int]]) -> int:
        return sum(1 for g in groups for a, b in itertools.combinations(g, 2) if (a, b) in self.recent)

    def _feasible(self, allowed: Callable[[int, int], bool], budget: int = 20_000) -> list[list[int]] | None:
        """Any valid grouping whose pairs all satisfy ``allowed``: depth-first, most constrained council first.

        A council with no allowed free partner left ends a branch at once (forward checking), so this finds
        a grouping of a sparse compatibility graph quickly, or gives up after ``budget`` nodes.
        """
        free = [True] * self.n
        adj = [[j for j in self.partners[i] if allowed(i, j)] for i in range(self.n)]
        groups: list[list[int]] = []
        nodes = [0]

        def count(i: int) -> int:
            return sum(1 for j in adj[i] if free[j])

        def search(pairs_left: int, triads_left: int) -> bool:
            nodes[0] += 1
            if nodes[0] > budget:
                return False
            first, fewest = None, None
            for i in range(self.n):
                if free[i]:
                    c = count(i)
                    if c == 0:
                        return False
                    if fewest is None or c < fewest:
                        first, fewest = i, c
            if first is None:
                return True
            free[first] = False
            options = [j for j in adj[first] if free[j]]
            for j in options:
                free[j] = False
                if pairs_left:
                    groups.append([first, j])
                    if search(pairs_left - 1, triads_left):
                        return True
                    groups.pop()
                if triads_left:
                    for k in options:
                        if k > j and free[k] and self._ok(j, k) and allowed(j, k):
                            free[k] = False
                            groups.append([first, j, k])
                            if search(pairs_left, triads_left - 1):
                                return True
                            groups.pop()
                            free[k] = True
                free[j] = True
            free[first] = True
            return False

        return [list(g) for g in groups] if search(self.n_pairs, self.n_triads) else None

    def _greedy(self, order: list[int]) -> list[list[int]] | None:
        """Triads first (as many as needed), then pairs; each council takes its best free partner(s).

        The council placed next is always the one with the fewest valid free partners left (ties by
        ``order``), so councils with many never-pair constraints are grouped while they still can be.
        """
        position = {c: k for k, c in enumerate(order)}
        free = set(order)
        groups: list[list[int]] = []
        for size in [3] * self.n_triads + [2] * self.n_pairs:
            i = min(free, key=lambda c: (*self._options(c, free.__contains__), position[c]))
            free.discard(i)
            members = [i]
            while len(members) < size:
                options = [j for j in self.partners[i] if j in free and all(self._ok(j, m) for m in members)]
                if not options:
                    return None
                j = max(options, key=lambda j: (sum(self.w[m][j] for m in members), -j))
                free.discard(j)
                members.append(j)
            groups.append(members)
        return groups

    def _best_split(self, union: Sequence[int], sizes: Sequence[int]) -> tuple[int, list[list[int]]] | None:
        """The best valid way to group ``union`` into groups of ``sizes`` (tiny: at most 7 councils)."""
        if not union:
            return 0, []
        anchor, others = union[0], union[1:]
        best: tuple[int, list[list[int]]] | None = None
        for size in sorted(set(sizes)):
            rest_sizes = list(sizes)
            rest_sizes.remove(size)
            for mates in itertools.combinations(others, size - 1):
                g = [anchor, *mates]
                if not self.valid([g]):
                    continue
                sub = self._best_split([c for c in others if c not in mates], rest_sizes)
                if sub is None:
                    continue
                score = self.group_weight(g) + sub[0]
                if best is None or score > best[0]:
                    best = (score, [g, *sub[1]])
        return best

    def _improve(self, groups: list[list[int]]) -> list[list[int]]:
        """Regroup two (and, for small groups, three) groups at a time while that strictly improves the total.

        Every way of splitting the councils of the chosen groups into groups of the same sizes is tried, so
        this subsumes swapping two councils; three-group moves undo cycles that no swap can.
        """
        improved = True
        rounds = 0
        while improved and rounds < 50:
            improved = False
            rounds += 1
            for width in (2,):
                for picked in itertools.combinations(range(len(groups)), width):
                    chosen = [groups[k] for k in picked]
                    before = sum(self.group_weight(g) for g in chosen)
                    union = [c for g in chosen for c in g]
                    found = self._best_split(union, [len(g) for g in chosen])
                    if found is not None and found[0] > before:
                        for k, g in zip(picked, found[1], strict=True):
                            groups[k] = g
                        improved = True
        return groups

    # --- exact: branch and bound over groupings ----------------------------------------------------

    def subset_dp(self) -> Callable[[int, int], float]:
        """Exact optimum of every sub-problem (free councils as a bit mask, triads left), memoised.

        The next group always contains the lowest-numbered free council, so only masks reachable that way
        are ever evaluated. Returns -inf for a sub-problem with no valid grouping.
        """
        full = (1 << self.n) - 1
        partners = [[(j, self.w[i][j]) for j in self.partners[i]] for i in range(self.n)]
        ok = self._ok
        w = self.w

        @cache
        def best(mask: int, triads_left: int) -> float:
            if mask == full:
                return 0
            i = (~mask & (mask + 1)).bit_length() - 1  # lowest free council
            free_count = self.n - mask.bit_count()
            pairs_left = (free_count - 3 * triads_left) // 2
            value = float("-inf")
            m = mask | (1 << i)
            if pairs_left:
                for j, wij in partners[i]:
                    if not m >> j & 1:
                        v = wij + best(m | (1 << j), triads_left)
                        if v > value:
                            value = v
            if triads_left:
                cands = [(j, wij) for j, wij in partners[i] if not m >> j & 1]
                for a, (j, wij) in enumerate(cands):
                    for k, wik in cands[a + 1 :]:
                        if ok(j, k):
                            v = wij + wik + w[j][k] + best(m | (1 << j) | (1 << k), triads_left - 1)
                            if v > value:
                                value = v
            return value

        return best

    def free_bound(self, free: list[bool], triads_left: int) -> float:
        """An upper bound on what the free councils can still add: each its best half-pair or triad share
        (-inf when one of them can go nowhere)."""
        total = 0.0
        for i in range(self.n):
            if not free[i]:
                continue
            share = float("-inf")
            for j in self.partners[i]:
                if free[j]:
                    share = self.w[i][j] / 2
                    break
            if triads_left:
                share = max(share, self.triad_share[i])
            if share == float("-inf"):
                return share
            total += share
        return total

    def most_constrained(self, free: list[bool]) -> int | None:
        """The free council with the fewest valid free partners (ties: lowest index), None when all are
        placed: a council that can go almost nowhere is placed first, which finds valid groupings fast."""
        first, fewest = None, None
        for i in range(self.n):
            if free[i]:
                count = self._options(i, free.__getitem__)
                if fewest is None or count < fewest:
                    first, fewest = i, count
        return first

    def exact(self, incumbent: list[list[int]] | None) -> tuple[list[list[int]] | None, bool, int]:
        limit = EXACT_LIMIT_TRIADS if self.n_triads > 1 else EXACT_LIMIT
        dp = self.subset_dp() if self.n <= limit else None
        best: list[list[list[int]] | None] = [incumbent]
        best_score = [self.total(incumbent) if incumbent is not None else None]
        nodes = [0]
        complete = [True]
        free = [True] * self.n

        def bound(triads_left: int) -> float:
            if dp is not None:
                return dp(sum(0 if f else 1 << i for i, f in enumerate(free)), triads_left)
            return self.free_bound(free, triads_left)

        def search(groups: list[list[int]], score: int, pairs_left: int, triads_left: int) -> None:
            if not complete[0]:
                return
            nodes[0] += 1
            if nodes[0] > self.budget:
                complete[0] = False
                return
            first = self.most_constrained(free)
            if first is None:
                better = best_score[0] is None or score > best_score[0]
                if better and self.signature(groups) not in self.exclude:
                    best[0] = [list(g) for g in groups]
                    best_score[0] = score
                return
            b = bound(triads_left)
            if b == float("-inf") or (best_score[0] is not None and score + b <= best_score[0]):
                return
            free[first] = False
            candidates = [j for j in self.partners[first] if free[j]]
            for j in candidates:
                free[j] = False
                if pairs_left:
                    groups.append([first, j])
                    search(groups, score + self.w[first][j], pairs_left - 1, triads_left)
                    groups.pop()
                if triads_left:
                    for k in candidates:
                        if k > j and free[k] and self._ok(j, k):
                            free[k] = False
                            groups.append([first, j, k])
                            w = self.w[first][j] + self.w[first][k] + self.w[j][k]
                            search(groups, score + w, pairs_left, triads_left - 1)
                            groups.pop()
                            free[k] = True
                free[j] = True
            free[first] = True

        search([], 0, self.n_pairs, self.n_triads)
        return best[0], complete[0], nodes[0]


def _name(problem: PairingProblem, code: str) -> str:
    return problem.names.get(code, code)


def explain_group(
    problem: PairingProblem, councils: Sequence[str], *, recent: set[Pair] | None = None
) -> str:
    """Plain-English reasons for one group: history first, then where they complement each other."""
    if recent is None:
        recent_items = problem.recent.keys() if isinstance(problem.recent, Mapping) else problem.recent
        recent = {frozenset(p) for p in recent_items}
    profiles = council_profiles(problem.data_scores, problem.self_ratings)
    sentences: list[str] = []
    never = [
        (a, b)
        for a, b in itertools.combinations(councils, 2)
        if pair(a, b) not in recent and not problem.last_paired.get(pair(a, b))
    ]
    if len(councils) == 3 and len(never) == 3:
        listed = [_name(problem, c) for c in councils]
        sentences.append(f"none of {listed[0]}, {listed[1]} and {listed[2]} have been paired before")
        never = []
    for a, b in itertools.combinations(councils, 2):
        if (a, b) not in never and pair(a, b) not in recent and not problem.last_paired.get(pair(a, b)):
            continue
        key = pair(a, b)
        year = problem.last_paired.get(key)
        if key in recent:
            when = f" in {year}" if year else " recently"
            sentences.append(
                f"{_name(problem, a)} and {_name(problem, b)} were paired{when}: "
                "repeated because no valid pairing avoids every recent pair"
            )
        elif year:
            sentences.append(f"{_name(problem, a)} and {_name(problem, b)} not paired since {year}")
        else:
            sentences.append(f"{_name(problem, a)} and {_name(problem, b)} not paired before")
    sentences.extend(_learning(problem, councils))
    sentences.extend(_contrasts(problem, councils, profiles))
    text = "; ".join(sentences)
    return text[0].upper() + text[1:] + "."


def _statement_name(problem: PairingProblem, index: int) -> str:
    names = problem.cqc_statements
    return names[index] if index < len(names) else f"quality statement {index + 1}"


def _learning(problem: PairingProblem, councils: Sequence[str]) -> list[str]:
    """Up to two statements where CQC scored one council of the group 4 and another 1 or 2, in words."""
    sentences = []
    source = "CQC's synthetic demo scores" if problem.cqc_is_demo else "CQC"
    for a, b in itertools.combinations(councils, 2):
        for index, a_high in learning_statements(
            problem.cqc_scores.get(a, ()), problem.cqc_scores.get(b, ())
        ):
            high, low = (a, b) if a_high else (b, a)
            score = problem.cqc_scores[low][index]
            verb = "found" if source == "CQC" else "show"
            sentences.append(
                f"on {_statement_name(problem, index)}, {source} {verb} an exceptional standard at "
                f"{_name(problem, high)} (4 of 4) and {CQC_WORDS[score or 2]} at {_name(problem, low)} "
                f"({score} of 4): one can learn from the other"
            )
    if len(sentences) > 2:
        more = len(sentences) - 2
        sentences = [*sentences[:2], f"and {more} more such statement{'s' if more > 1 else ''}"]
    return sentences


def _standing(problem: PairingProblem, code: str, domain: str, *, again: bool = False) -> str:
    """Where a council stands on a domain, saying where each colour comes from: its figures (always, since
    only domains with figures are cited) and, when it has one, its own rating."""
    data = problem.data_scores[code][domain]
    own = rating_score(problem.self_ratings.get(code, {}).get(domain))
    text = f"{_name(problem, code)}'s {'are' if again else 'figures are'} mostly {score_word(data)}"
    if own is not None:
        text += f" (self-rated {score_word(own)})"
    return text


def _contrasts(
    problem: PairingProblem, councils: Sequence[str], profiles: Mapping[str, Mapping[str, float]]
) -> list[str]:
    """Up to two domains where the group's councils complement each other, largest gap first. Only domains
    with figures for both councils are cited; a self-rating is named as such, beside the figures."""
    contrasts: list[tuple[float, str]] = []
    for a, b in itertools.permutations(councils, 2):
        da, db = problem.data_scores.get(a, {}), problem.data_scores.get(b, {})
        pa, pb = profiles.get(a, {}), profiles.get(b, {})
        for domain in sorted(set(da) & set(db)):
            gap = pa[domain] - pb[domain]
            if gap > 0 and score_word(pa[domain]) != score_word(pb[domain]):
                contrasts.append(
                    (
                        gap,
                        f"on {domain}, {_standing(problem, a, domain)} where "
                        f"{_standing(problem, b, domain, again=True)}",
                    )
                )
    contrasts.sort(key=lambda item: (-item[0], item[1]))
    if contrasts:
        return [text for _, text in contrasts[:2]]
    with_figures = [c for c in councils if problem.data_scores.get(c)]
    if len(with_figures) == len(councils):
        return ["their figures are alike, so no one domain stands out"]
    return ["no figures to compare them on"]


def _diagnose(solver: _Solver, problem: PairingProblem) -> str:
    names = [_name(problem, c) for c in solver.codes]
    for i in range(solver.n):
        if not solver.partners[i]:
            return f"No valid pairing: {names[i]} must never be paired with any other council taking part."
    avoid_pairs = sorted({tuple(sorted((a, b))) for a, b in solver.avoid})
    # Which never-pair constraints, dropped alone, would make a pairing possible?
    culprits = []
    for a, b in avoid_pairs[:40]:
        trial = PairingProblem(
            codes=solver.codes,
            avoid=[(solver.codes[x], solver.codes[y]) for x, y in avoid_pairs if (x, y) != (a, b)],
            triads=problem.triads,
            node_budget=5_000,
        )
        sub = _Solver(trial)
        found, _, _ = sub.exact(sub.heuristic(restarts=3))
        if found is not None:
            culprits.append(f"{names[a]} : {names[b]}")
    if culprits:
        return (
            "No valid pairing: the never-pair constraints leave no way to group every council. "
            f"Removing any one of these would allow a pairing: {', '.join(culprits)}."
        )
    return (
        f"No valid pairing: the {len(avoid_pairs)} never-pair constraints leave no way to group all "
        f"{solver.n} councils in pairs{' and triads' if solver.n_triads else ''}."
    )


def pair_councils(problem: PairingProblem) -> PairingResult:
    """The best grouping for ``problem`` (exact within the node budget); raises PairingError if none."""
    solver = _Solver(problem)
    incumbent = solver.heuristic()
    groups, complete, nodes = solver.exact(incumbent)
    if groups is None:
        if complete and solver.exclude:
            raise PairingError("No other valid pairing exists: every valid grouping has been shown already.")
        if complete:
            raise PairingError(_diagnose(solver, problem))
        raise PairingError(
            "No valid pairing was found within the search budget; relax the never-pair constraints."
        )
    # Present groups in a stable order: by the position of their first council in the input.
    groups = sorted((sorted(g) for g in groups), key=lambda g: g[0])
    recent_set = {frozenset((solver.codes[a], solver.codes[b])) for a, b in solver.recent}
    out: list[Group] = []
    for g in groups:
        councils = tuple(solver.codes[i] for i in g)
        out.append(Group(councils=councils, reasons=explain_group(problem, councils, recent=recent_set)))
    repeats = sum(1 for g in groups for a, b in itertools.combinations(g, 2) if (a, b) in solver.recent)
    comp = sum(solver.comp[a][b] for g in groups for a, b in itertools.combinations(g, 2))
    learning = sum(solver.learning[a][b] for g in groups for a, b in itertools.combinations(g, 2))
    return PairingResult(
        groups=out,
        optimal=complete,
        recent_repeats=repeats,
        complementarity=comp,
        nodes=nodes,
        learning=learning,
    )


def check_grouping(
    groups: Sequence[Sequence[str]],
    *,
    codes: Sequence[str],
    avoid: Iterable[tuple[str, str]] = (),
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """Problems with a hand-edited grouping (empty when it can be published)."""
    names = names or {}
    label = lambda c: names.get(c, c)  # noqa: E731
    problems: list[str] = []
    seen: dict[str, int] = {}
    for g in groups:
        if len(g) not in (2, 3):
            problems.append(
                f"A group has {len(g)} council{'s' if len(g) != 1 else ''}: groups are of 2 or 3."
            )
        for c in g:
            seen[c] = seen.get(c, 0) + 1
    for c in codes:
        if c not in seen:
            problems.append(f"{label(c)} takes part but is in no group.")
    for c, count in seen.items():
        if count > 1:
            problems.append(f"{label(c)} is in {count} groups: each council is in exactly one.")
        if c not in codes:
            problems.append(f"{label(c)} is in a group but does not take part.")
    avoid_set = {pair(a, b) for a, b in avoid}
    for g in groups:
        for a, b in itertools.combinations(g, 2):
            if a == b:
                problems.append(f"{label(a)} is grouped with itself.")
            elif pair(a, b) in avoid_set:
                problems.append(f"{label(a)} and {label(b)} must never be paired, but share a group.")
    return problems
