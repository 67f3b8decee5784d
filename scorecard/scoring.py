"""The scoring rules: ranks, quartiles, RAG, direction of travel, comparators, commentary and formatting.

One pure module (no Django, no database) shared by the scorecard pages, the challenge packs and the API,
so every screen and export agrees. Values are handled as :class:`~decimal.Decimal` (floats and ints are
accepted and converted); ``None`` means missing, suppressed or not applicable: such values are never
ranked, never counted in a population and never used in a comparator.

Every rule here is stated, with a worked example, in ``docs/SCORING.md``; ``tests/scorecard/test_scoring.py``
checks the numbers of that example. Change the three together.

Polarity is one of ``"higher"`` (higher is better), ``"lower"`` (lower is better) or ``"none"``
(the same strings as :class:`scorecard.models.Polarity`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

Number = Decimal | float | int
K = TypeVar("K", bound=Hashable)

HIGHER = "higher"
LOWER = "lower"
NO_POLARITY = "none"

# Units (the same strings as scorecard.models.Unit).
PERCENT = "percent"
SCORE = "score"
RATE_100K = "rate_100k"
RATIO = "ratio"
COUNT = "count"
CURRENCY = "currency"


def to_decimal(value: Number | str | None) -> Decimal | None:
    """``value`` as a Decimal; None for None, NaN, infinities and text that is not a number."""
    if value is None:
        return None
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def _present(values: Iterable[Number | None]) -> list[Decimal]:
    return [d for d in (to_decimal(v) for v in values) if d is not None]


def has_polarity(polarity: str | None) -> bool:
    return polarity in (HIGHER, LOWER)


# --- Ranking ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """A place in a group. ``rank`` is None for a missing value; ``rank_of`` counts the ranked values.

    ``by_size``: the measure has no polarity, so the place is by size (1st = highest), not by merit."""

    rank: int | None
    rank_of: int
    tied: bool = False
    by_size: bool = False

    @property
    def label(self) -> str:
        """E.g. "3rd of 14", "joint 2nd of 6", "3rd highest of 14" (no polarity); "" when unranked."""
        return ordinal_of(self.rank, self.rank_of, tied=self.tied, by_size=self.by_size)


def _better_first(values: list[Decimal], polarity: str | None) -> list[Decimal]:
    # Lower-is-better ranks the smallest first; higher-is-better (and no polarity: by size) the largest first.
    return sorted(values, reverse=polarity != LOWER)


def rank_values(values: Mapping[K, Number | None], *, polarity: str | None) -> dict[K, Rank]:
    """Rank every entry of ``values`` within the group, polarity-aware.

    Standard competition ranking: a value's rank is 1 + the number of values strictly better than it,
    so ties share the better rank and the next rank is skipped (1, 2, 2, 4). Higher-is-better: the
    largest value is 1st; lower-is-better: the smallest is 1st. A measure without polarity is placed by
    size, the largest 1st, and its ranks say so (``by_size``: "2nd highest of 14"), never "best".
    Missing values get ``Rank(None, n)``.
    """
    present = {key: to_decimal(value) for key, value in values.items()}
    by_size = not has_polarity(polarity)
    ranked = _better_first([v for v in present.values() if v is not None], polarity)
    n = len(ranked)
    first_index: dict[Decimal, int] = {}
    counts: dict[Decimal, int] = {}
    for index, value in enumerate(ranked):
        first_index.setdefault(value, index)
        counts[value] = counts.get(value, 0) + 1
    return {
        key: (
            Rank(None, n, by_size=by_size)
            if value is None
            else Rank(first_index[value] + 1, n, tied=counts[value] > 1, by_size=by_size)
        )
        for key, value in present.items()
    }


def rank_in_group(value: Number | None, group: Iterable[Number | None], *, polarity: str | None) -> Rank:
    """The rank of ``value`` among ``group`` (which should include ``value`` itself)."""
    subject = to_decimal(value)
    population = _present(group)
    by_size = not has_polarity(polarity)
    if subject is None:
        return Rank(None, len(population), by_size=by_size)
    if polarity == LOWER:
        better = sum(1 for other in population if other < subject)
    else:
        better = sum(1 for other in population if other > subject)
    same = sum(1 for other in population if other == subject)
    return Rank(better + 1, len(population), tied=same > 1, by_size=by_size)


def ordinal(number: int) -> str:
    """1 → "1st", 2 → "2nd", 11 → "11th", 22 → "22nd", 113 → "113th"."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def ordinal_of(rank: int | None, rank_of: int, *, tied: bool = False, by_size: bool = False) -> str:
    """ "3rd of 14" (or "joint 3rd of 14"; "3rd highest of 14" for a measure without polarity); "" when
    there is no rank."""
    if rank is None:
        return ""
    return f"{'joint ' if tied else ''}{ordinal(rank)}{' highest' if by_size else ''} of {rank_of}"


# --- Quartiles and RAG ------------------------------------------------------------------------------

MIN_QUARTILE_POPULATION = 4


def quartile_from_rank(rank: int | None, rank_of: int) -> int | None:
    """Quartile 1 (best) to 4 (worst) from a competition rank: ``floor(4 × (rank − 1) / n) + 1``.

    In words: quartile 1 when fewer than a quarter of the ranked councils are better, 2 when fewer
    than half, 3 when fewer than three quarters, else 4. Tied councils share a rank and so a quartile.
    None when unranked or when fewer than 4 values are ranked.
    """
    if rank is None or rank_of < MIN_QUARTILE_POPULATION:
        return None
    return 4 * (rank - 1) // rank_of + 1


def quartile_values(values: Mapping[K, Number | None], *, polarity: str | None) -> dict[K, int | None]:
    """Each entry's quartile within ``values`` (1 = best). No polarity: no quartiles (all None)."""
    if not has_polarity(polarity):
        return dict.fromkeys(values)
    return {
        key: quartile_from_rank(r.rank, r.rank_of)
        for key, r in rank_values(values, polarity=polarity).items()
    }


class RAG(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


def rag_for_quartile(quartile_england: int | None, *, polarity: str | None) -> RAG | None:
    """The RAG rule: England quartile 1 green, quartiles 2–3 amber, quartile 4 red.

    No RAG for measures without polarity or without an England quartile.
    """
    if not has_polarity(polarity) or quartile_england is None:
        return None
    if quartile_england == 1:
        return RAG.GREEN
    if quartile_england == 4:
        return RAG.RED
    return RAG.AMBER


# --- Direction of travel ----------------------------------------------------------------------------


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    INCREASING = "increasing"
    DECREASING = "decreasing"
    NOT_COMPARABLE = "not_comparable"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# Changes smaller than this are "no change". Bounded units: an absolute amount in the unit;
# unbounded units (rates, counts, money): a share of the previous value.
ABSOLUTE_TOLERANCE: dict[str, Decimal] = {
    PERCENT: Decimal("0.5"),  # percentage points
    SCORE: Decimal("0.1"),  # points on the scale
    RATIO: Decimal("0.005"),
}
RELATIVE_TOLERANCE = Decimal("0.02")  # 2% of the previous value, for rate_100k, count and currency


def change_tolerance(*, unit: str, previous: Number) -> Decimal:
    """The smallest change in ``unit`` that counts as a movement, from ``previous``."""
    if unit in ABSOLUTE_TOLERANCE:
        return ABSOLUTE_TOLERANCE[unit]
    return abs(to_decimal(previous) or Decimal(0)) * RELATIVE_TOLERANCE


def direction_of_travel(
    *, current: Number | None, previous: Number | None, polarity: str | None, unit: str
) -> Direction:
    """Compare ``current`` with the previous period's value of the same series.

    Not comparable when either is missing. No change when the change is zero or smaller than
    :func:`change_tolerance`. Otherwise improving/worsening by polarity, or increasing/decreasing for
    measures without polarity.
    """
    now, before = to_decimal(current), to_decimal(previous)
    if now is None or before is None:
        return Direction.NOT_COMPARABLE
    delta = now - before
    if delta == 0 or abs(delta) < change_tolerance(unit=unit, previous=before):
        return Direction.NO_CHANGE
    if polarity == HIGHER:
        return Direction.IMPROVING if delta > 0 else Direction.WORSENING
    if polarity == LOWER:
        return Direction.IMPROVING if delta < 0 else Direction.WORSENING
    return Direction.INCREASING if delta > 0 else Direction.DECREASING


def relative_change(*, current: Number | None, previous: Number | None) -> Decimal | None:
    """(current − previous) / |previous|; None when either is missing or previous is zero."""
    now, before = to_decimal(current), to_decimal(previous)
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before)


# --- Comparators ------------------------------------------------------------------------------------


def median(values: Iterable[Number | None]) -> Decimal | None:
    """The median of the values present (mean of the middle two for an even count); None if none."""
    ordered = sorted(_present(values))
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    if n % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def mean(values: Iterable[Number | None]) -> Decimal | None:
    present = _present(values)
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def median_absolute_deviation(values: Iterable[Number | None]) -> Decimal | None:
    """MAD: the median of the absolute differences from the median (unscaled)."""
    present = _present(values)
    centre = median(present)
    if centre is None:
        return None
    return median(abs(v - centre) for v in present)


def mean_absolute_deviation_from_median(values: Iterable[Number | None]) -> Decimal | None:
    present = _present(values)
    centre = median(present)
    if centre is None:
        return None
    return mean(abs(v - centre) for v in present)


def nearest_neighbour_median(neighbour_values: Iterable[Number | None]) -> Decimal | None:
    """The median of the nearest neighbours' values (the council itself is not one of them)."""
    return median(neighbour_values)


def computed_comparator(council_values: Iterable[Number | None]) -> Decimal | None:
    """A region, England or council-type figure computed when none is published: the MEDIAN of the
    council values present (unweighted). Pages label it "computed"."""
    return median(council_values)


# --- Oflog-style commentary -------------------------------------------------------------------------


class Band(StrEnum):
    BROADLY_SIMILAR = "broadly_similar"
    SLIGHTLY = "slightly"
    CLEARLY = "clearly"
    MUCH = "much"
    MANUAL = "manual"


# Upper bounds (inclusive) of |gap| in MADs for each band; beyond the last, commentary is manual.
BAND_LIMITS: tuple[tuple[Decimal, Band], ...] = (
    (Decimal("0.5"), Band.BROADLY_SIMILAR),
    (Decimal("1.5"), Band.SLIGHTLY),
    (Decimal("3"), Band.CLEARLY),
    (Decimal("7.5"), Band.MUCH),
)
MIN_COMMENTARY_GROUP = 3


def band_for_gap(gap_mads: Decimal) -> Band:
    size = abs(gap_mads)
    for limit, band in BAND_LIMITS:
        if size <= limit:
            return band
    return Band.MANUAL


@dataclass(frozen=True)
class Commentary:
    """An Oflog-style comparison of a value with a comparator group's median, in MADs."""

    band: Band
    comparison: str  # "better", "worse", "higher", "lower" or "similar"
    phrase: str  # e.g. "slightly better than"; "" when manual
    text: str  # the plain-English sentence
    gap_mads: Decimal | None  # signed (value − median) / scale; None when the scale is zero
    median: Decimal
    mad: Decimal
    scale: Decimal | None  # the MAD, or the fallback used when the MAD is zero

    @property
    def needs_manual(self) -> bool:
        return self.band is Band.MANUAL


def commentary_for(
    *,
    name: str,
    value: Number | None,
    group_values: Iterable[Number | None],
    polarity: str | None,
    unit: str,
    decimal_places: int | None = None,
    scale_max: Number | None = None,
    group_label: str = "its nearest neighbours",
) -> Commentary | None:
    """Describe ``value`` against the median of ``group_values`` (the council is not in the group).

    gap = (value − median) / MAD. When the MAD is zero (half or more of the group share one value) the
    mean absolute deviation from the median is used instead; when that is zero too (the whole group
    is identical), an equal value is "broadly similar" and any other value is flagged for manual
    commentary. None when the value is missing or fewer than 3 group values are present.
    """
    subject = to_decimal(value)
    group = _present(group_values)
    if subject is None or len(group) < MIN_COMMENTARY_GROUP:
        return None
    centre = median(group)
    mad = median_absolute_deviation(group)
    assert centre is not None and mad is not None
    scale: Decimal | None = mad if mad > 0 else mean_absolute_deviation_from_median(group)
    if not scale:
        scale = None
    difference = subject - centre
    gap: Decimal | None = difference / scale if scale is not None else None
    if scale is None and difference == 0:
        gap = Decimal(0)
    band = band_for_gap(gap) if gap is not None else Band.MANUAL

    if band is Band.BROADLY_SIMILAR:
        comparison = "similar"
    elif polarity == HIGHER:
        comparison = "better" if difference > 0 else "worse"
    elif polarity == LOWER:
        comparison = "better" if difference < 0 else "worse"
    else:
        comparison = "higher" if difference > 0 else "lower"

    shown_median = format_value(centre, unit=unit, decimal_places=decimal_places, scale_max=scale_max)
    if band is Band.MANUAL:
        phrase = ""
        text = (
            f"{name} is a long way {'above' if difference > 0 else 'below'} {group_label} "
            f"(median {shown_median}): write this commentary by hand."
        )
    else:
        phrase = {
            Band.BROADLY_SIMILAR: "broadly similar to",
            Band.SLIGHTLY: f"slightly {comparison} than",
            Band.CLEARLY: f"{comparison} than",
            Band.MUCH: f"much {comparison} than",
        }[band]
        text = f"{name} is {phrase} {group_label} (median {shown_median})."
    return Commentary(
        band=band,
        comparison=comparison,
        phrase=phrase,
        text=text,
        gap_mads=gap,
        median=centre,
        mad=mad,
        scale=scale,
    )


# --- Formatting -------------------------------------------------------------------------------------

DEFAULT_DECIMAL_PLACES: dict[str, int] = {
    PERCENT: 1,
    RATE_100K: 1,
    SCORE: 1,
    RATIO: 3,
    CURRENCY: 0,
    COUNT: 0,
}
STATUS_TEXT = {"suppressed": "[c]", "not_applicable": "[x]"}
MISSING_TEXT = "No data"
# The same words in full, where a page has room for them (a "Status" column).
STATUS_WORDS = {"suppressed": "[c] Suppressed", "not_applicable": "[x] Not applicable"}


def status_words(status: str | None) -> str:
    """Why a value is missing, in words: "[c] Suppressed", "[x] Not applicable" or "No data"; "" for a figure."""
    if status == "ok":
        return ""
    return STATUS_WORDS.get(status or "", MISSING_TEXT)


def format_number(value: Number, *, decimal_places: int) -> str:
    """Round half up to ``decimal_places`` and group thousands: 1234.56 → "1,234.6"."""
    number = to_decimal(value)
    if number is None:
        return MISSING_TEXT
    quantum = Decimal(1).scaleb(-decimal_places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0"
    return f"{rounded:,.{decimal_places}f}"


def format_value(
    value: Number | None,
    *,
    unit: str,
    decimal_places: int | None = None,
    scale_max: Number | None = None,
    status: str | None = None,
) -> str:
    """A value as people read it: "81.2%", "612.3 per 100,000", "19.1 out of 24", "0.412", "£1,234",
    "1,234". Missing values: "[c]" (suppressed), "[x]" (not applicable) or "No data"."""
    number = to_decimal(value)
    if number is None:
        return STATUS_TEXT.get(status or "", MISSING_TEXT)
    places = DEFAULT_DECIMAL_PLACES.get(unit, 1) if decimal_places is None else decimal_places
    if unit == CURRENCY:
        text = format_number(abs(number), decimal_places=places)
        return f"{'-' if number < 0 and text.strip('0.,') else ''}£{text}"
    text = format_number(number, decimal_places=places)
    if unit == PERCENT:
        return f"{text}%"
    if unit == RATE_100K:
        return f"{text} per 100,000"
    if unit == SCORE:
        top = to_decimal(scale_max)
        if top is None:
            return text
        shown = f"{int(top):,}" if top == top.to_integral_value() else f"{top.normalize():f}"
        return f"{text} out of {shown}"
    return text


def format_short(value: Number | None, *, unit: str, decimal_places: int | None = None) -> str:
    """A value where an axis or a column heading already names the unit (chart labels, heat-map cells):
    "72.4%", "£1,234", "-£5", "612.3" (not "per 100,000"), "19.1" (not "out of 24"). Missing: ""."""
    if to_decimal(value) is None:
        return ""
    if unit in (PERCENT, CURRENCY):
        return format_value(value, unit=unit, decimal_places=decimal_places)
    places = DEFAULT_DECIMAL_PLACES.get(unit, 1) if decimal_places is None else decimal_places
    return format_number(value, decimal_places=places)  # type: ignore[arg-type]  # not None: checked above


# --- View against data (self-assessment) ------------------------------------------------------------


class Divergence(StrEnum):
    RATED_BETTER = "rated_better_than_data"
    RATED_WORSE = "rated_worse_than_data"


@dataclass(frozen=True)
class ViewAgainstData:
    """A council's self-rating in a domain set beside the RAG mix of that domain's measures.

    ``compared`` is False when there is nothing to compare (no rating, or no measure with a RAG):
    then ``divergence`` is None and that None is never an agreement.
    """

    rating: RAG | None
    green: int
    amber: int
    red: int
    compared: bool
    divergence: Divergence | None
    text: str

    @property
    def rated(self) -> int:
        return self.green + self.amber + self.red

    @property
    def no_data(self) -> bool:
        return self.rated == 0

    @property
    def gives_counts(self) -> bool:
        """Whether ``text`` states the green, amber and red counts (a page beside it need not repeat them)."""
        return self.rated > 0 and (self.rating is None or (self.compared and self.divergence is None))


def _of_measures(count: int, total: int) -> str:
    return f"{count} of its {total} {'measure' if total == 1 else 'measures'} with a colour"


def _every(total: int) -> str:
    return (
        "its only measure with a colour" if total == 1 else f"every one of its {total} measures with a colour"
    )


def view_against_data(
    *, rating: RAG | str | None, green: int, amber: int, red: int, label: str | None = None
) -> ViewAgainstData:
    """Compare a self-rating with the data's RAG mix (counts of the domain's green/amber/red measures).

    The rule (``docs/SCORING.md``, "View against data"); n = green + amber + red, measures without a RAG
    are left out:

    - n = 0: no data to compare (never an agreement).
    - Rated better than the data: self-rated green while at least half of the n measures are red
      (2 × red ≥ n); or self-rated amber while every one of them is red.
    - Rated worse than the data: self-rated red while none is red (every measure green or amber); or
      self-rated amber while every one of them is green.
    - Anything else: no divergence.
    """
    rag = RAG(rating) if rating else None
    counts = f"{green} green, {amber} amber, {red} red"
    n = green + amber + red
    if rag is None:
        text = "Not self-rated." if n == 0 else f"Not self-rated; the data shows {counts}."
        return ViewAgainstData(None, green, amber, red, False, None, text)
    label = label or f"Self-rated {rag.value}"
    if n == 0:
        return ViewAgainstData(
            rag, green, amber, red, False, None, f"{label}; no data to compare (no measure with a colour)."
        )
    divergence: Divergence | None = None
    if rag is RAG.GREEN and 2 * red >= n:
        verb = "is" if red == 1 else "are"
        divergence, text = Divergence.RATED_BETTER, f"{label}; {_of_measures(red, n)} {verb} red."
    elif rag is RAG.AMBER and red == n:
        divergence = Divergence.RATED_BETTER
        text = f"{label}; {_every(n)} is red."
    elif rag is RAG.RED and red == 0:
        divergence = Divergence.RATED_WORSE
        text = f"{label}; every measure is green or amber ({green} green, {amber} amber)."
    elif rag is RAG.AMBER and green == n:
        divergence = Divergence.RATED_WORSE
        text = f"{label}; {_every(n)} is green."
    else:
        text = f"{label}; the data shows {counts}."
    return ViewAgainstData(rag, green, amber, red, True, divergence, text)


# --- CQC's local authority assessment: the implied rating ------------------------------------------

# CQC's pages for the framework (docs/domain.md §5): what the themes and statements are, and the scoring rule.
CQC_FRAMEWORK_URL = "https://www.cqc.org.uk/guidance-regulation/local-authorities/role-and-responsibilities"
CQC_RATINGS_URL = "https://www.cqc.org.uk/guidance-regulation/local-authorities/how-we-determine-ratings"

CQC_SCORE_MIN = 1
CQC_SCORE_MAX = 4

# CQC's words for each score.
CQC_SCORE_WORDS = {
    1: "Significant shortfalls",
    2: "Some shortfalls",
    3: "Good standard",
    4: "Exceptional standard",
}


@dataclass(frozen=True)
class QualityStatement:
    """One of CQC's quality statements for local authorities, numbered 1–9 in CQC's order."""

    number: int
    theme: str
    name: str
    # CQC publishes no stable address per statement that we have documented; every statement links to the
    # framework's page until one is.
    url: str = CQC_FRAMEWORK_URL


CQC_THEMES = (
    "Working with people",
    "Providing support",
    "How the local authority ensures safety within the system",
    "Leadership",
)

CQC_STATEMENTS = (
    QualityStatement(1, CQC_THEMES[0], "Assessing needs"),
    QualityStatement(2, CQC_THEMES[0], "Supporting people to live healthier lives"),
    QualityStatement(3, CQC_THEMES[0], "Equity in experience and outcomes"),
    QualityStatement(4, CQC_THEMES[1], "Care provision, integration and continuity"),
    QualityStatement(5, CQC_THEMES[1], "Partnerships and communities"),
    QualityStatement(6, CQC_THEMES[2], "Safe systems, pathways and transitions"),
    QualityStatement(7, CQC_THEMES[2], "Safeguarding"),
    QualityStatement(8, CQC_THEMES[3], "Governance, management and sustainability"),
    QualityStatement(9, CQC_THEMES[3], "Learning, improvement and innovation"),
)


class CqcRating(StrEnum):
    """CQC's overall ratings, worst first; the values are CQC's own words."""

    INADEQUATE = "Inadequate"
    REQUIRES_IMPROVEMENT = "Requires improvement"
    GOOD = "Good"
    OUTSTANDING = "Outstanding"


# The lowest whole percentage of each rating (CQC: 25–38 Inadequate, 39–62 Requires improvement, 63–87 Good,
# 88 and above Outstanding), best first.
CQC_RATING_FLOORS = (
    (88, CqcRating.OUTSTANDING),
    (63, CqcRating.GOOD),
    (39, CqcRating.REQUIRES_IMPROVEMENT),
    (25, CqcRating.INADEQUATE),
)


class CqcScoresInvalid(ValueError):
    """Scores that CQC's rule cannot rate: none, or one outside 1–4."""


def _cqc_fraction(scores: Iterable[int]) -> Decimal:
    values = list(scores)
    if not values:
        raise CqcScoresInvalid("There are no quality statement scores.")
    for score in values:
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not CQC_SCORE_MIN <= score <= CQC_SCORE_MAX
        ):
            raise CqcScoresInvalid(
                f"A quality statement score must be a whole number from 1 to 4, not {score!r}."
            )
    return Decimal(100 * sum(values)) / Decimal(CQC_SCORE_MAX * len(values))


def cqc_percent(scores: Iterable[int]) -> Decimal:
    """The overall score: the sum of the statements' scores as a percentage of the maximum, to one decimal.

    Every statement is weighted equally; half a tenth rounds up. E.g. scores of (3, 3, 3, 3, 3, 3, 3, 4, 4)
    sum to 29 of 36 → 80.6.
    """
    return _cqc_fraction(scores).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cqc_rating(scores: Iterable[int]) -> CqcRating:
    """The rating CQC's thresholds give these scores (``docs/SCORING.md``, "CQC's implied rating").

    The thresholds are whole percentages, so the exact percentage is rounded to a whole number (half up)
    before it is placed: 38.9% (14 of 36) is 39, Requires improvement; 62.5% (20 of 32) is 63, Good;
    87.5% (28 of 32) is 88, Outstanding. The exact value is rounded, never the one-decimal one.
    """
    whole = _cqc_fraction(scores).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    for floor, rating in CQC_RATING_FLOORS:
        if whole >= floor:
            return rating
    raise AssertionError("unreachable: scores of 1 or more are at least 25%")  # pragma: no cover


# A statement's self-score set beside its data: a score of good or exceptional standard counts as green, some
# shortfalls as amber, significant shortfalls as red (docs/SCORING.md, "A statement's score against its data").
CQC_SCORE_AS_RAG = {4: RAG.GREEN, 3: RAG.GREEN, 2: RAG.AMBER, 1: RAG.RED}


def statement_against_data(*, score: int | None, green: int, amber: int, red: int) -> ViewAgainstData:
    """Compare a statement's self-score (1–4) with the RAG mix of the measures the council cited for it, by
    the same rule as a domain's self-rating (:func:`view_against_data`), the score read as its colour."""
    if score is None:
        return view_against_data(rating=None, green=green, amber=amber, red=red)
    return view_against_data(
        rating=CQC_SCORE_AS_RAG[score],
        green=green,
        amber=amber,
        red=red,
        label=f"Self-scored {score} ({CQC_SCORE_WORDS[score].lower()})",
    )


def cqc_scores_rating(scores: Iterable[int | None]) -> tuple[Decimal, CqcRating] | None:
    """The percentage and implied rating of a set of statement scores, or None while any is not scored."""
    values = list(scores)
    if not values or any(score is None for score in values):
        return None
    whole = [int(score) for score in values if score is not None]
    return cqc_percent(whole), cqc_rating(whole)
