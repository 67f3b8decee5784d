"""The scoring rules, checked against the hand-computed worked example in docs/SCORING.md."""

from decimal import Decimal

import pytest

from scorecard import scoring
from scorecard.scoring import RAG, Band, Direction
from tests.worked_example import HIGHER, HIGHER_PREVIOUS, LOWER, LOWER_PREVIOUS


def dec(values: dict[str, str | None]) -> dict[str, Decimal | None]:
    return {k: Decimal(v) if v is not None else None for k, v in values.items()}


# --- Rank -------------------------------------------------------------------------------------------


def test_rank_higher_is_better_with_tie_and_suppressed_value():
    ranks = scoring.rank_values(dec(HIGHER), polarity="higher")
    assert {k: r.rank for k, r in ranks.items()} == {
        "A": 1,
        "B": 2,
        "C": 2,
        "D": 4,
        "E": 5,
        "F": 6,
        "G": None,
    }
    assert {r.rank_of for r in ranks.values()} == {6}
    assert ranks["B"].label == "joint 2nd of 6"
    assert ranks["D"].label == "4th of 6"
    assert ranks["G"].label == ""


def test_rank_lower_is_better():
    ranks = scoring.rank_values(dec(LOWER), polarity="lower")
    assert {k: r.rank for k, r in ranks.items()} == {
        "F": 1,
        "A": 2,
        "C": 3,
        "D": 3,
        "B": 5,
        "E": 6,
        "G": 7,
    }
    assert ranks["G"].label == "7th of 7"
    assert ranks["C"].tied and not ranks["A"].tied


def test_rank_in_group_agrees_with_rank_values():
    group = list(dec(LOWER).values())
    assert scoring.rank_in_group(Decimal("598.3"), group, polarity="lower") == scoring.Rank(3, 7, tied=True)
    assert scoring.rank_in_group(Decimal("85.0"), list(dec(HIGHER).values()), polarity="higher").rank == 1
    assert scoring.rank_in_group(None, group, polarity="lower") == scoring.Rank(None, 7)


def test_no_polarity_is_placed_by_size_and_has_no_quartile_or_rag():
    values = {"x": 1, "y": 3, "z": None, "w": 5}
    ranks = scoring.rank_values(values, polarity="none")
    assert ranks["w"] == scoring.Rank(1, 3, by_size=True) and ranks["x"] == scoring.Rank(3, 3, by_size=True)
    assert ranks["z"].rank is None
    assert ranks["w"].label == "1st highest of 3"
    assert scoring.rank_in_group(5, values.values(), polarity="none") == scoring.Rank(1, 3, by_size=True)
    assert set(scoring.quartile_values(values, polarity="none").values()) == {None}
    assert scoring.rag_for_quartile(1, polarity="none") is None


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (152, "152nd"),
    ],
)
def test_ordinal(number, text):
    assert scoring.ordinal(number) == text


def test_ordinal_of():
    assert scoring.ordinal_of(3, 14) == "3rd of 14"
    assert scoring.ordinal_of(None, 14) == ""


# --- Quartiles and RAG ------------------------------------------------------------------------------


def test_quartiles_higher_example():
    assert scoring.quartile_values(dec(HIGHER), polarity="higher") == {
        "A": 1,
        "B": 1,
        "C": 1,
        "D": 3,
        "E": 3,
        "F": 4,
        "G": None,
    }


def test_quartiles_lower_example():
    assert scoring.quartile_values(dec(LOWER), polarity="lower") == {
        "F": 1,
        "A": 1,
        "C": 2,
        "D": 2,
        "B": 3,
        "E": 3,
        "G": 4,
    }


def test_quartile_sizes_for_14_and_152_councils():
    def sizes(n):
        quartiles = [scoring.quartile_from_rank(rank, n) for rank in range(1, n + 1)]
        return [quartiles.count(q) for q in (1, 2, 3, 4)]

    assert sizes(14) == [4, 3, 4, 3]
    assert sizes(152) == [38, 38, 38, 38]


def test_no_quartile_for_fewer_than_four_values():
    assert scoring.quartile_from_rank(1, 3) is None
    assert scoring.quartile_from_rank(1, 4) == 1
    assert scoring.quartile_from_rank(None, 10) is None


def test_rag_from_england_quartile():
    rag = {
        k: scoring.rag_for_quartile(q, polarity="higher")
        for k, q in scoring.quartile_values(dec(HIGHER), polarity="higher").items()
    }
    assert rag == {
        "A": RAG.GREEN,
        "B": RAG.GREEN,
        "C": RAG.GREEN,
        "D": RAG.AMBER,
        "E": RAG.AMBER,
        "F": RAG.RED,
        "G": None,
    }
    rag_lower = {
        k: scoring.rag_for_quartile(q, polarity="lower")
        for k, q in scoring.quartile_values(dec(LOWER), polarity="lower").items()
    }
    assert rag_lower == {
        "F": RAG.GREEN,
        "A": RAG.GREEN,
        "C": RAG.AMBER,
        "D": RAG.AMBER,
        "B": RAG.AMBER,
        "E": RAG.AMBER,
        "G": RAG.RED,
    }


# --- Direction of travel ----------------------------------------------------------------------------


def test_direction_higher_is_better_example():
    now, before = dec(HIGHER), dec(HIGHER_PREVIOUS)
    directions = {
        k: scoring.direction_of_travel(current=now[k], previous=before[k], polarity="higher", unit="percent")
        for k in now
    }
    assert directions == {
        "A": Direction.NO_CHANGE,  # +0.2 < 0.5
        "B": Direction.IMPROVING,
        "C": Direction.WORSENING,  # −0.5 is not < 0.5
        "D": Direction.NOT_COMPARABLE,
        "E": Direction.WORSENING,
        "F": Direction.NO_CHANGE,
        "G": Direction.NOT_COMPARABLE,
    }


def test_direction_lower_is_better_example_uses_relative_tolerance():
    now, before = dec(LOWER), dec(LOWER_PREVIOUS)
    directions = {
        k: scoring.direction_of_travel(current=now[k], previous=before[k], polarity="lower", unit="rate_100k")
        for k in now
    }
    assert directions == {
        "F": Direction.NO_CHANGE,
        "A": Direction.IMPROVING,  # −18.0, tolerance 10.6
        "C": Direction.WORSENING,  # +38.3, tolerance 11.2
        "D": Direction.NOT_COMPARABLE,
        "B": Direction.NO_CHANGE,  # −9.5, tolerance 13.0
        "E": Direction.NO_CHANGE,  # +12.9, tolerance 13.8
        "G": Direction.WORSENING,
    }
    assert scoring.change_tolerance(unit="rate_100k", previous=Decimal("530.0")) == Decimal("10.6")


def test_direction_without_polarity_and_other_units():
    assert (
        scoring.direction_of_travel(current=5, previous=3, polarity="none", unit="count")
        is Direction.INCREASING
    )
    assert (
        scoring.direction_of_travel(current=3, previous=5, polarity="none", unit="count")
        is Direction.DECREASING
    )
    assert (
        scoring.direction_of_travel(current="19.15", previous="19.1", polarity="higher", unit="score")
        is Direction.NO_CHANGE
    )
    assert (
        scoring.direction_of_travel(current="19.2", previous="19.1", polarity="higher", unit="score")
        is Direction.IMPROVING
    )
    assert (
        scoring.direction_of_travel(current=0, previous=0, polarity="lower", unit="rate_100k")
        is Direction.NO_CHANGE
    )
    assert (
        scoring.direction_of_travel(current=3, previous=0, polarity="lower", unit="rate_100k")
        is Direction.WORSENING
    )


def test_relative_change_orders_worst_movers():
    c = scoring.relative_change(current=Decimal("598.3"), previous=Decimal("560.0"))
    g = scoring.relative_change(current=Decimal("810.0"), previous=Decimal("700.0"))
    assert round(c, 3) == Decimal("0.068")
    assert round(g, 3) == Decimal("0.157")
    assert scoring.relative_change(current=1, previous=0) is None


# --- Comparators ------------------------------------------------------------------------------------


def test_median_mean_and_computed_comparator():
    assert scoring.median(dec(HIGHER).values()) == Decimal("79.8")
    assert round(scoring.mean(dec(HIGHER).values()), 4) == Decimal("78.2167")
    assert scoring.computed_comparator(dec(HIGHER).values()) == Decimal("79.8")
    assert scoring.computed_comparator(dec(LOWER).values()) == Decimal("598.3")
    assert scoring.median([]) is None
    assert scoring.mean([None]) is None


def test_nearest_neighbour_median_and_mad():
    neighbours_of_a = [v for k, v in dec(HIGHER).items() if k != "A"]
    assert scoring.nearest_neighbour_median(neighbours_of_a) == Decimal("78.4")
    assert scoring.median_absolute_deviation(neighbours_of_a) == Decimal("2.8")
    neighbours_of_g = [v for k, v in dec(LOWER).items() if k != "G"]
    assert scoring.nearest_neighbour_median(neighbours_of_g) == Decimal("598.3")
    assert scoring.median_absolute_deviation(neighbours_of_g) == Decimal("64.25")


# --- Commentary -------------------------------------------------------------------------------------

NEIGHBOURS_OF_A = ["81.2", "81.2", "78.4", "74.0", "69.5", None]
NEIGHBOURS_OF_G = ["512.0", "640.5", "598.3", "598.3", "702.9", "455.1"]


@pytest.mark.parametrize(
    ("value", "gap", "band", "phrase"),
    [
        ("79.5", "0.39", Band.BROADLY_SIMILAR, "broadly similar to"),
        ("76.0", "-0.86", Band.SLIGHTLY, "slightly worse than"),
        ("85.0", "2.36", Band.CLEARLY, "better than"),
        ("60.0", "-6.57", Band.MUCH, "much worse than"),
        ("100.0", "7.71", Band.MANUAL, ""),
    ],
)
def test_commentary_bands_higher_is_better(value, gap, band, phrase):
    result = scoring.commentary_for(
        name="Council A",
        value=Decimal(value),
        group_values=NEIGHBOURS_OF_A,
        polarity="higher",
        unit="percent",
    )
    assert result.median == Decimal("78.4")
    assert result.mad == Decimal("2.8")
    assert round(result.gap_mads, 2) == Decimal(gap)
    assert result.band is band
    assert result.phrase == phrase
    assert result.needs_manual is (band is Band.MANUAL)


def test_commentary_sentence():
    result = scoring.commentary_for(
        name="Council A", value="85.0", group_values=NEIGHBOURS_OF_A, polarity="higher", unit="percent"
    )
    assert result.text == "Council A is better than its nearest neighbours (median 78.4%)."
    manual = scoring.commentary_for(
        name="Council A", value="100", group_values=NEIGHBOURS_OF_A, polarity="higher", unit="percent"
    )
    assert "write this commentary by hand" in manual.text


@pytest.mark.parametrize(
    ("value", "gap", "band", "phrase"),
    [
        ("600.0", "0.03", Band.BROADLY_SIMILAR, "broadly similar to"),
        ("560.0", "-0.60", Band.SLIGHTLY, "slightly better than"),
        ("450.0", "-2.31", Band.CLEARLY, "better than"),
        ("810.0", "3.29", Band.MUCH, "much worse than"),
    ],
)
def test_commentary_bands_lower_is_better(value, gap, band, phrase):
    result = scoring.commentary_for(
        name="Council G",
        value=Decimal(value),
        group_values=NEIGHBOURS_OF_G,
        polarity="lower",
        unit="rate_100k",
    )
    assert result.mad == Decimal("64.25")
    assert round(result.gap_mads, 2) == Decimal(gap)
    assert result.band is band
    assert result.phrase == phrase


def test_commentary_sentence_lower_is_better():
    result = scoring.commentary_for(
        name="Council G", value="810.0", group_values=NEIGHBOURS_OF_G, polarity="lower", unit="rate_100k"
    )
    assert result.text == "Council G is much worse than its nearest neighbours (median 598.3 per 100,000)."


def test_commentary_without_polarity_says_higher_or_lower():
    result = scoring.commentary_for(
        name="X", value="85.0", group_values=NEIGHBOURS_OF_A, polarity="none", unit="percent"
    )
    assert result.phrase == "higher than"


def test_commentary_when_mad_is_zero():
    fallback = scoring.commentary_for(
        name="X", value=72, group_values=[70, 70, 70, 75], polarity="higher", unit="percent"
    )
    assert fallback.mad == 0
    assert fallback.scale == Decimal("1.25")
    assert fallback.gap_mads == Decimal("1.6")
    assert fallback.phrase == "better than"
    same = scoring.commentary_for(
        name="X", value=70, group_values=[70, 70, 70], polarity="higher", unit="percent"
    )
    assert same.band is Band.BROADLY_SIMILAR
    different = scoring.commentary_for(
        name="X", value=71, group_values=[70, 70, 70], polarity="higher", unit="percent"
    )
    assert different.band is Band.MANUAL
    assert different.gap_mads is None


def test_no_commentary_without_value_or_enough_neighbours():
    assert (
        scoring.commentary_for(
            name="X", value=None, group_values=[1, 2, 3], polarity="higher", unit="percent"
        )
        is None
    )
    assert (
        scoring.commentary_for(
            name="X", value=1, group_values=[1, 2, None], polarity="higher", unit="percent"
        )
        is None
    )


@pytest.mark.parametrize(
    ("gap", "band"),
    [
        ("0.5", Band.BROADLY_SIMILAR),
        ("-0.51", Band.SLIGHTLY),
        ("1.5", Band.SLIGHTLY),
        ("1.51", Band.CLEARLY),
        ("3", Band.CLEARLY),
        ("-3.01", Band.MUCH),
        ("7.5", Band.MUCH),
        ("7.51", Band.MANUAL),
    ],
)
def test_band_boundaries(gap, band):
    assert scoring.band_for_gap(Decimal(gap)) is band


# --- Formatting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        ("81.24", {"unit": "percent"}, "81.2%"),
        ("81.25", {"unit": "percent"}, "81.3%"),
        ("612.345", {"unit": "rate_100k"}, "612.3 per 100,000"),
        ("1612.3", {"unit": "rate_100k"}, "1,612.3 per 100,000"),
        ("19.06", {"unit": "score", "scale_max": Decimal("24.0000")}, "19.1 out of 24"),
        ("0.41249", {"unit": "ratio"}, "0.412"),
        ("1234.4", {"unit": "currency"}, "£1,234"),
        ("-1234.4", {"unit": "currency"}, "-£1,234"),
        ("1234", {"unit": "count"}, "1,234"),
        ("-0.04", {"unit": "percent"}, "0.0%"),
        ("81.24", {"unit": "percent", "decimal_places": 0}, "81%"),
        (None, {"unit": "percent", "status": "suppressed"}, "[c]"),
        (None, {"unit": "percent", "status": "not_applicable"}, "[x]"),
        (None, {"unit": "percent"}, "No data"),
    ],
)
def test_format_value(value, kwargs, text):
    assert scoring.format_value(Decimal(value) if value else None, **kwargs) == text


def test_floats_are_accepted():
    assert scoring.format_value(81.2, unit="percent") == "81.2%"
    assert scoring.median([1.5, 2.5, None]) == Decimal("2.0")
    assert scoring.to_decimal(float("nan")) is None


@pytest.mark.parametrize(
    ("value", "unit", "places", "expected"),
    [
        (Decimal("72.44"), "percent", 1, "72.4%"),
        (Decimal("1234"), "currency", 0, "£1,234"),
        (Decimal("-5"), "currency", 0, "-£5"),
        (Decimal("612.34"), "rate_100k", 1, "612.3"),
        (Decimal("19.1"), "score", 1, "19.1"),
        (None, "percent", 1, ""),
    ],
)
def test_short_values_name_no_unit_words_but_keep_percent_and_pound_signs(value, unit, places, expected):
    """Chart labels and heat-map cells share one short format (the axis or column names the unit)."""
    assert scoring.format_short(value, unit=unit, decimal_places=places) == expected
