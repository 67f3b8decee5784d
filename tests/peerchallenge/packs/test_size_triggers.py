"""Measures with no polarity (spend, demand, turnover) at the edges of England's range raise a question about
their size, never about better or worse."""

from decimal import Decimal

import pytest

from peerchallenge.packs import triggers as tr


def turnover(**overrides) -> tr.MeasureFacts:  # type: ignore[no-untyped-def]
    base = {
        "code": "ASC7",
        "title": "Staff turnover rate in adult social care",
        "domain": "Resources and Workforce Management",
        "polarity": "none",
        "unit": "percent",
        "decimal_places": 1,
        "value": Decimal("38.2"),
        "formatted": "38.2%",
        "status": "ok",
        "quartile_england": None,
        "england": "29.0%",
        "size_quartile_england": 1,
        "trend": (("2021-22", Decimal("30")), ("2022-23", Decimal("34")), ("2023-24", Decimal("38.2"))),
    }
    base.update(overrides)
    return tr.MeasureFacts(**base)


def test_turnover_in_englands_highest_quarter_is_asked_about_its_size():
    trigger = tr.size_trigger(turnover())
    assert trigger is not None and trigger.kind == tr.SIZE_QUARTILE and trigger.measure_code == "ASC7"
    assert trigger.domain == "Resources and Workforce Management"
    assert trigger.question == (
        "At 38.2% (England 29.0%), your figure for the staff turnover rate in adult social care (ASC7) is among "
        "the highest quarter of councils in England. What lies behind a figure of this size, and what does it "
        "mean for the people who use your services?"
    )
    assert trigger.evidence == (
        "ASC7 Staff turnover rate in adult social care: 38.2%, among the highest quarter of councils in England "
        "(England 29.0%)."
    )
    for words in ("better", "worse", "worst"):
        assert words not in trigger.question and words not in trigger.evidence


def test_spend_in_the_lowest_quarter_is_asked_about_too():
    spend = turnover(code="ASCFR-GCE-ADULT", title="Gross current expenditure on adult social care per adult",
                     unit="currency", value=Decimal(452), formatted="£452", size_quartile_england=4)  # fmt: skip
    trigger = tr.size_trigger(spend)
    assert trigger is not None and "among the lowest quarter of councils in England" in trigger.question
    assert "as low as yours" in tr.size_trigger(spend, turn=2).question  # the wordings vary


def test_several_size_questions_do_not_repeat_one_sentence():
    found = tr.triggers_find(measures=[turnover(), turnover(code="ASC6"), turnover(code="X")], domains=[],
                             self_assessed=True)  # fmt: skip
    assert len({t.question.split(",")[0][:20] for t in found}) == 3


@pytest.mark.parametrize(
    "overrides",
    [
        {"size_quartile_england": 2},  # the middle of the range
        {"size_quartile_england": 3},
        {"size_quartile_england": None},  # not ranked
        {"value": None, "formatted": "–"},  # no figure
        {"polarity": "lower", "quartile_england": 4},  # a polarity: the worst-quartile rule's business
    ],
)
def test_no_size_question_otherwise(overrides):
    assert tr.size_trigger(turnover(**overrides)) is None


def test_a_measure_with_no_polarity_fires_only_the_size_rule_among_all_triggers():
    found = tr.triggers_find(measures=[turnover()], domains=[], self_assessed=True)
    assert [t.kind for t in found] == [
        tr.SIZE_QUARTILE
    ]  # rising three years: no "worsening" without polarity
    assert found[0].label == "Among the highest or lowest in England"
