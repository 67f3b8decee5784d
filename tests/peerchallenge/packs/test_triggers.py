"""The risk-trigger rules (pure, hand-made facts) and one pass through the database."""

from decimal import Decimal as D

import pytest

from peerchallenge.packs import triggers as tr


def facts(**overrides) -> tr.MeasureFacts:  # type: ignore[no-untyped-def]
    base = dict(
        code="2C",
        title="Permanent admissions of people aged 65+ to care homes",
        domain="Performance and outcomes",
        polarity="lower",
        unit="rate_100k",
        decimal_places=1,
        value=D("612.3"),
        formatted="612.3 per 100,000",
        status="ok",
        quartile_england=2,
        trend=(("2021-22", D("600")), ("2022-23", D("580")), ("2023-24", D("612.3"))),
    )
    base.update(overrides)
    return tr.MeasureFacts(**base)


def test_worst_quartile_of_england():
    found = tr.measure_triggers(facts(quartile_england=4))
    assert found is not None and found.kinds == (tr.WORST_QUARTILE,)
    assert "worst quarter of councils in England" in found.question and found.question.endswith("?")
    assert "in the worst quarter of councils in England" in found.evidence
    assert "612.3 per 100,000" in found.evidence


def test_worst_quartile_of_nearest_neighbours_is_more_than_one_mad_worse():
    near = facts(
        neighbour_comparison="worse", neighbour_gap_mads=D("0.9"), neighbour_median="540.0 per 100,000"
    )
    assert tr.measure_triggers(near) is None
    far = tr.measure_triggers(
        facts(neighbour_comparison="worse", neighbour_gap_mads=D("1.6"), neighbour_median="540.0")
    )
    assert far is not None and "most like yours have a median of 540.0" in far.question
    assert "its nearest neighbours (their median 540.0)" in far.evidence
    assert "MAD" not in far.evidence + far.question
    better = facts(neighbour_comparison="better", neighbour_gap_mads=D("-3"))
    assert tr.measure_triggers(better) is None


def test_worsening_two_periods_running_and_the_combined_question():
    rising = facts(trend=(("2021-22", D("500")), ("2022-23", D("560")), ("2023-24", D("612.3"))))
    assert tr.worsening_run(rising) == 2
    found = tr.measure_triggers(rising)
    assert found is not None and found.kinds == (tr.WORSENING,)
    assert "rose two years running" in found.question
    assert "worse two years running" in found.evidence
    assert (
        "2021-22 500.0 per 100,000 → 2022-23 560.0 per 100,000 → 2023-24 612.3 per 100,000" in found.evidence
    )
    both = tr.measure_triggers(
        facts(
            trend=rising.trend,
            neighbour_comparison="worse",
            neighbour_gap_mads=D("2"),
            neighbour_median="540.0",
        )
    )
    assert both is not None and both.kinds == (tr.WORST_QUARTILE, tr.WORSENING)
    assert both.question == (
        "The permanent admissions of people aged 65+ to care homes (2C) rose two years running and is now "
        "behind similar councils, at 612.3 per 100,000. What is driving it, and what are you doing about it?"
    )


def test_one_worse_period_or_a_small_change_is_not_a_run():
    once = facts(trend=(("2021-22", D("600")), ("2022-23", D("580")), ("2023-24", D("612.3"))))
    assert tr.worsening_run(once) == 1 and tr.measure_triggers(once) is None
    # A higher-is-better percentage falling by less than the 0.5 point tolerance is "no change".
    small = facts(
        polarity="higher", unit="percent", trend=(("a", D("80")), ("b", D("79.8")), ("c", D("79.6")))
    )
    assert tr.worsening_run(small) == 0
    falling = facts(polarity="higher", unit="percent", trend=(("a", D("80")), ("b", D("78")), ("c", D("75"))))
    assert (
        tr.worsening_run(falling) == 2 and "fell two years running" in tr.measure_triggers(falling).question
    )


def test_a_title_starting_with_the_reads_as_a_sentence():
    found = tr.measure_triggers(facts(title="The proportion of people who feel safe", quartile_england=4))
    assert found.question.startswith("The proportion of people who feel safe (2C) is 612.3 per 100,000, in")


def test_no_polarity_never_fires():
    context = facts(polarity="none", quartile_england=4, trend=(("a", D("1")), ("b", D("2")), ("c", D("3"))))
    assert tr.measure_triggers(context) is None


def test_missing_and_suppressed_data_one_question_per_domain():
    found = tr.missing_data_triggers(
        [
            facts(code="1A", title="A", value=None, status="suppressed", formatted="[c]"),
            facts(code="1B", title="B", value=None, status="missing", formatted="No data"),
            facts(code="2A", value=None, status="not_applicable", domain="Safeguarding"),
            facts(code="2B"),
        ]
    )
    assert [t.domain for t in found] == ["Performance and outcomes", "Safeguarding"]
    assert (
        found[0].evidence
        == "Other councils have figures in Performance and outcomes that you do not: 1A A (suppressed); "
        "1B B (not returned)."
    )
    assert "1A, 1B" in found[0].question and found[0].question.endswith("?")
    assert "no published figure" not in found[0].question.lower()


def test_a_figure_no_council_was_due_to_publish_is_never_a_question():
    """A biennial survey's gap year (or a measure not yet collected): no council and not England has a
    figure. It is listed for the brief, never asked about."""
    gap_year = facts(code="1D", value=None, status="missing", formatted="No data", published=False)
    assert tr.missing_data_triggers([gap_year]) == []
    assert tr.never_due([gap_year, facts()]) == [gap_year]
    found = tr.triggers_find(measures=[gap_year], domains=[], self_assessed=True)
    assert found == []


def test_questions_on_the_same_rule_do_not_repeat_one_sentence():
    """Measures that fire the same rules get different wordings, the strongest first; none says "MAD"."""
    measures = [
        facts(
            code=f"1{letter}",
            quartile_england=4,
            neighbour_comparison="worse",
            neighbour_gap_mads=D(gap),
            neighbour_median="540.0",
            neighbour_phrase="much worse than",
            england="600.0",
        )
        for letter, gap in zip("ABCDE", ("2", "3", "4", "5", "6"), strict=True)
    ]
    found = tr.triggers_find(measures=measures, domains=[], self_assessed=True)
    wordings = {t.question.replace(t.measure_code, "") for t in found}  # the same figures but the code
    assert len(found) == 5 and len(wordings) == 5, [t.question for t in found]
    assert all("MAD" not in t.question + t.evidence for t in found)
    # The five strongest in catalogue order.
    assert [t.measure_code for t in tr.strongest(found, 3)] == ["1C", "1D", "1E"]


def test_no_self_assessment_says_why():
    found = tr.triggers_find(
        measures=[],
        domains=[],
        self_assessed=False,
        no_assessment="No self-assessment compares the 2019-20 figures.",
    )
    assert [t.evidence for t in found] == ["No self-assessment compares the 2019-20 figures."]
    assert "No self-assessment was submitted" not in found[0].question


def test_self_rating_contradicted_by_the_data():
    domain = tr.DomainFacts(
        name="Safeguarding",
        assessed=True,
        evidence_given=True,
        divergence="Self-rated green; 2 of its 3 measures are red.",
    )
    found = tr.self_rating_trigger(domain)
    assert found is not None and found.kind == tr.SELF_RATING
    assert found.evidence == "Safeguarding: Self-rated green; 2 of its 3 measures are red."
    assert tr.self_rating_trigger(tr.DomainFacts(name="x", assessed=True, evidence_given=True)) is None


def test_a_domain_with_no_evidence_and_no_self_assessment_at_all():
    bare = tr.DomainFacts(name="Leadership", assessed=True, evidence_given=False)
    assert (
        tr.no_evidence_trigger(bare).question
        == "What evidence would you point us to for your view of Leadership?"
    )
    assert (
        tr.no_evidence_trigger(tr.DomainFacts(name="Leadership", assessed=True, evidence_given=True)) is None
    )
    everything = tr.triggers_find(measures=[facts()], domains=[], self_assessed=False)
    assert everything == [tr.NO_SELF_ASSESSMENT]


def test_triggers_come_in_order_self_ratings_measures_missing_evidence():
    found = tr.triggers_find(
        measures=[facts(quartile_england=4), facts(code="1A", value=None, status="suppressed")],
        domains=[
            tr.DomainFacts(
                name="A", assessed=True, evidence_given=False, divergence="Self-rated red; none red."
            ),
        ],
        self_assessed=True,
    )
    assert [t.kind for t in found] == [tr.SELF_RATING, tr.WORST_QUARTILE, tr.MISSING_DATA, tr.NO_EVIDENCE]
    assert all(t.question.endswith("?") for t in found)


@pytest.mark.django_db
def test_triggers_from_the_database_use_the_scorecard_and_divergence_flags():
    """Birmingham's hand-made values: worst of four on 1A and 1D (red), self-rated green: contradicted."""
    from councils.models import Council
    from peerchallenge.packs.selectors import council_triggers
    from tests.selfassessment_helpers import POSTED_DOMAIN, hand_made_values, make_cycle, submitted

    period = hand_made_values()
    cycle = make_cycle(period=period)
    birmingham = Council.objects.get(gss_code="E08000025")
    submitted(cycle=cycle, council=birmingham, **{POSTED_DOMAIN: "green"})
    found = council_triggers(council=birmingham, cycle=cycle)
    kinds = [t.kind for t in found]
    assert tr.SELF_RATING in kinds
    rating = next(t for t in found if t.kind == tr.SELF_RATING)
    assert "Self-rated green" in rating.evidence
    # Four councils: England quartile 4 is the worst of four (1A lowest when higher is better, 1D too).
    worst = {t.measure_code for t in found if t.kind == tr.WORST_QUARTILE}
    assert worst, found


def test_a_pack_charts_at_most_six_measures_those_that_raised_both_rules_first():
    from types import SimpleNamespace

    from peerchallenge.packs.selectors import CHARTS_MAX, _chart_blocks

    codes = [f"M{i}" for i in range(9)]
    rows = [SimpleNamespace(code=code, measure=SimpleNamespace(pk=i)) for i, code in enumerate(codes)]
    card = SimpleNamespace(
        domains=[
            SimpleNamespace(domain=SimpleNamespace(name="First"), rows=rows[:5]),
            SimpleNamespace(domain=None, rows=rows[5:]),
        ]
    )

    def trigger(code: str, *kinds: str) -> tr.Trigger:
        return tr.Trigger(
            kind=kinds[0], domain="", measure_code=code, evidence="", question="", kinds=tuple(kinds)
        )

    both = (tr.WORST_QUARTILE, tr.WORSENING)
    found = [trigger(code, tr.WORSENING) for code in codes[:6]]  # six with one rule, in the scorecard's order
    found += [trigger("M7", *both), trigger("M8", *both)]  # two with both rules, last in the scorecard
    found.append(tr.Trigger(kind=tr.NO_EVIDENCE, domain="First", measure_code="", evidence="", question=""))
    blocks, uncharted = _chart_blocks(card=card, triggers=found, ranking={7: ["ranked"]})
    assert CHARTS_MAX == 6
    # Both-rule measures first, then the scorecard's order; printed in the scorecard's order.
    assert [b.row.code for b in blocks] == ["M0", "M1", "M2", "M3", "M7", "M8"]
    assert uncharted == ["M4", "M5"]  # M6 raised no trigger
    assert blocks[0].domain == "First" and blocks[-1].domain == "Other measures"
    assert blocks[4].ranking == ["ranked"] and blocks[0].ranking == []
    few, none_left = _chart_blocks(card=card, triggers=found[:2], ranking={})
    assert [b.row.code for b in few] == ["M0", "M1"] and none_left == []


def test_domains_whose_rating_and_figures_disagree_are_asked_in_different_words():
    domains = [
        tr.DomainFacts(
            name=name, assessed=True, evidence_given=True, divergence="Self-rated green; 3 of 4 red."
        )
        for name in ("Safeguarding", "Leadership", "Workforce")
    ]
    found = tr.triggers_find(measures=[], domains=domains, self_assessed=True)
    assert [t.kind for t in found] == [tr.SELF_RATING] * 3
    assert len({t.question.replace(t.domain, "") for t in found}) == 3
    assert "more highly than its figures suggest" in found[1].question
