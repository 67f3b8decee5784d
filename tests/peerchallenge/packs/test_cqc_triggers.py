"""The CQC triggers (pure, hand-made facts): a statement CQC scored 1 or 2, and a self-score above CQC's."""

from decimal import Decimal as D

from peerchallenge.packs import triggers as tr


def statements(*scores: int, demo: bool = False) -> list[tr.StatementFacts]:
    return [
        tr.StatementFacts(number=n, score=s, assessed="May 2025", is_demo=demo)
        for n, s in enumerate(scores, 1)
    ]


def test_a_statement_scored_1_or_2_raises_a_question_with_its_evidence_in_words():
    found = tr.cqc_shortfall_triggers(statements(3, 2, 3, 1, 3, 3, 3, 3, 4), (), score=1)
    assert [t.kind for t in found] == [tr.CQC_SHORTFALL]
    (trigger,) = found
    assert trigger.domain == tr.CQC_TOPIC and trigger.label == "CQC found shortfalls"
    assert trigger.evidence == (
        "CQC's assessment of May 2025: Care provision, integration and continuity scored 1 of 4, significant "
        "shortfalls."
    )
    assert "significant shortfalls in Care provision, integration and continuity" in trigger.question
    assert trigger.question.endswith("?") and "May 2025" in trigger.question
    (some,) = tr.cqc_shortfall_triggers(statements(3, 2, 3, 1, 3, 3, 3, 3, 4), (), score=2)
    assert some.evidence.endswith("Supporting people to live healthier lives scored 2 of 4, some shortfalls.")
    assert "some shortfalls" in some.question


def test_good_and_exceptional_statements_raise_nothing():
    assert tr.cqc_shortfall_triggers(statements(3, 4, 3, 3, 4, 3, 3, 3, 3), (), score=1) == []
    assert tr.cqc_shortfall_triggers(statements(3, 4, 3, 3, 4, 3, 3, 3, 3), (), score=2) == []
    assert tr.self_above_cqc_triggers(statements(3, 4, 3, 3, 4, 3, 3, 3, 3), ()) == []


def test_several_shortfalls_are_worded_differently():
    found = tr.cqc_shortfall_triggers(statements(2, 2, 2, 1, 1, 1, 3, 3, 3), (), score=2)
    assert len(found) == 3 and len({t.question for t in found}) == 3
    assert ["Assessing needs" in found[0].question, "Supporting people" in found[1].question] == [True, True]
    severe = tr.cqc_shortfall_triggers(statements(2, 2, 2, 1, 1, 1, 3, 3, 3), (), score=1)
    assert len({t.question.split(" ")[0] for t in severe}) == 3  # three different openings


def test_a_self_score_above_cqcs_raises_its_own_question_and_no_second_one_on_that_statement():
    gaps = [
        tr.StatementGap(number=7, self_score=3, cqc_score=2),
        tr.StatementGap(number=4, self_score=4, cqc_score=1),
    ]
    found = tr.triggers_find(
        measures=[],
        domains=[],
        self_assessed=True,
        statements=statements(3, 2, 3, 1, 3, 3, 2, 3, 4),
        gaps=gaps,
    )
    kinds = [(t.kind, t.evidence.split(":")[0]) for t in found]
    # The gaps first (CQC's order), then statement 2 (the only shortfall without a gap).
    assert kinds == [
        (tr.SELF_ABOVE_CQC, "Care provision, integration and continuity"),
        (tr.SELF_ABOVE_CQC, "Safeguarding"),
        (tr.CQC_SHORTFALL, "CQC's assessment of May 2025"),
    ]
    gap = found[1]
    assert gap.label == "Self-score above CQC's" and gap.domain == tr.CQC_TOPIC
    assert gap.evidence == (
        "Safeguarding: the self-assessment scores it 3 of 4 (good standard); CQC's assessment of May 2025 scored "
        "it 2 of 4 (some shortfalls)."
    )
    assert found[0].question != gap.question and gap.question.endswith("?")
    assert gap.strength == tr.SELF_RATING_STRENGTH


def test_the_gap_question_is_raised_from_the_gaps_alone():
    """No CQC facts at hand (the hook gives the gaps as data): the question still cites CQC's score."""
    (trigger,) = tr.self_above_cqc_triggers([], [tr.StatementGap(number=1, self_score=4, cqc_score=3)])
    assert "Assessing needs" in trigger.question
    assert (
        "scores it 4 of 4 (exceptional standard)" in trigger.evidence
        and "3 of 4 (good standard)" in trigger.evidence
    )


def test_demo_scores_say_so_in_the_evidence():
    (trigger,) = tr.cqc_shortfall_triggers(statements(1, 3, 3, 3, 3, 3, 3, 3, 3, demo=True), (), score=1)
    assert "CQC's assessment of May 2025 (synthetic demo scores, not CQC's)" in trigger.evidence


def test_significant_shortfalls_come_before_the_measures_and_some_shortfalls_after():
    measure = tr.MeasureFacts(
        code="1A",
        title="Social care-related quality of life",
        domain="Performance and outcomes",
        polarity="higher",
        unit="score",
        decimal_places=1,
        value=D("18.3"),
        formatted="18.3",
        status="ok",
        quartile_england=4,
    )
    found = tr.triggers_find(
        measures=[measure], domains=[], self_assessed=True, statements=statements(2, 1, 3, 3, 3, 3, 3, 3, 3)
    )
    assert [t.kind for t in found] == [tr.CQC_SHORTFALL, tr.WORST_QUARTILE, tr.CQC_SHORTFALL]
    assert found[0].strength > found[1].strength > found[2].strength
