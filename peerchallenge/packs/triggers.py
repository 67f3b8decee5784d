"""Risk triggers: the pure rules that turn a council's scorecard and self-assessment into open questions.

No ORM here: :mod:`peerchallenge.packs.selectors` turns the scorecard selector results
(``scorecard.scorecards.selectors.council_scorecard``) and the self-assessment's view against data
(``selfassessment.selectors.divergence_flags``) into the plain facts below, and these rules read
only those facts and :mod:`scorecard.scoring` (also pure). The rules and their wording are written down
in ``docs/TRIGGERS.md``; keep the two in step.

Rules (one :class:`Trigger` each, every one citing its evidence):

- ``worst_quartile``: the measure is in England's worst quartile (quartile 4, the red RAG), or in the worst
  quartile of its nearest neighbours (its value is worse than the neighbours' median by more than one
  median absolute deviation: for a symmetric spread the quartiles sit one MAD either side of the median).
- ``worsening``: the measure got worse in each of the last two (or more) moves between periods, by the
  scorecard's direction-of-travel rule.
  A measure that is both in the worst quartile and worsening gets one question naming both.
- ``self_rating``: the council's submitted self-rating of a domain and that domain's data disagree.
- ``missing_data``: measures of a domain with no figure for the period (missing, suppressed [c], or not
  applicable [x]); one question per domain.
- ``size_quartile``: a measure with no polarity (spend, demand, turnover) is in England's highest or lowest
  quarter of councils by size: a question about its size, never "better" or "worse".
- ``no_evidence``: a domain of the submitted self-assessment with no evidence written and no measure chosen;
  or no self-assessment submitted at all (one question).
- ``cqc_shortfall``: CQC's latest assessment of the council scored a quality statement 1 (significant
  shortfalls) or 2 (some shortfalls); one question per statement.
- ``self_above_cqc``: the council's self-score of a quality statement is above CQC's (a *gap*); one question per
  gap, and that statement gets no ``cqc_shortfall`` question besides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from scorecard import scoring

WORST_QUARTILE = "worst_quartile"
WORSENING = "worsening"
SELF_RATING = "self_rating"
MISSING_DATA = "missing_data"
NO_EVIDENCE = "no_evidence"
SIZE_QUARTILE = "size_quartile"
CQC_SHORTFALL = "cqc_shortfall"
SELF_ABOVE_CQC = "self_above_cqc"
KINDS = (
    WORST_QUARTILE,
    WORSENING,
    SELF_RATING,
    MISSING_DATA,
    NO_EVIDENCE,
    SIZE_QUARTILE,
    CQC_SHORTFALL,
    SELF_ABOVE_CQC,
)
CQC_KINDS = (CQC_SHORTFALL, SELF_ABOVE_CQC)
CQC_TOPIC = "CQC assessment"  # where the pack files the CQC questions (they belong to no scorecard domain)
KIND_LABELS = {
    WORST_QUARTILE: "Worst quarter",
    WORSENING: "Worse two years running",
    SELF_RATING: "Self-rating and figures disagree",
    MISSING_DATA: "No figure where others have one",
    NO_EVIDENCE: "No evidence given",
    SIZE_QUARTILE: "Among the highest or lowest in England",
    CQC_SHORTFALL: "CQC found shortfalls",
    SELF_ABOVE_CQC: "Self-score above CQC's",
}

WORSE_THAN_NEIGHBOURS_MADS = Decimal(1)  # more than one typical spread worse than the neighbours' median
MIN_WORSENING_RUN = 2  # moves between periods
NO_FIGURE = {"missing": "not returned", "suppressed": "suppressed", "not_applicable": "not applicable"}
# How strongly a rule asks to be raised: the brief's "strongest generated questions" are the highest.
SELF_RATING_STRENGTH = Decimal(100)
SELF_ABOVE_CQC_STRENGTH = Decimal(100)  # as a self-rating the figures contradict: self-awareness
CQC_SHORTFALL_STRENGTH = {
    1: Decimal(60),
    2: Decimal(12),
}  # 1: above most measures; 2: below any worst quarter


@dataclass(frozen=True)
class MeasureFacts:
    code: str
    title: str
    domain: str  # the domain's name ("" when the measure has none)
    polarity: str
    unit: str
    decimal_places: int
    value: Decimal | None
    formatted: str
    status: str  # "ok", "suppressed", "not_applicable" or "missing"
    quartile_england: int | None
    neighbour_comparison: str = ""  # the commentary's "better"/"worse"/…; "" without a comparator group
    neighbour_gap_mads: Decimal | None = None
    neighbour_median: str = ""  # formatted
    trend: Sequence[tuple[str, Decimal | None]] = ()  # (period label, value), oldest first
    is_demo: bool = False
    neighbour_phrase: str = ""  # the commentary's words, e.g. "much worse than"
    england: str = ""  # England's figure, formatted ("" when none)
    published: bool = True  # some council or England has a figure for the period: it was due
    source: str = ""  # the collection (ASCS, SACE, SALT…)
    size_quartile_england: int | None = None  # no polarity: quarter of England's councils by size (1 highest)


@dataclass(frozen=True)
class DomainFacts:
    name: str
    assessed: bool  # the council submitted a self-assessment with this domain
    evidence_given: bool  # evidence written or measures chosen
    divergence: str = ""  # the view-against-data text when the rating and the data disagree
    rated_above: bool = True  # the rating is better than the figures (False: worse than them)


@dataclass(frozen=True)
class StatementFacts:
    """CQC's published score of one quality statement in the council's latest assessment."""

    number: int  # 1–9, CQC's order (``scoring.CQC_STATEMENTS``)
    score: int  # 1–4
    assessed: str  # the assessment's month in words, "May 2025"
    is_demo: bool = False  # synthetic demo scores, not CQC's


@dataclass(frozen=True)
class StatementGap:
    """A statement the council scored itself above CQC's score (the self-assessment by statements)."""

    number: int
    self_score: int
    cqc_score: int


@dataclass(frozen=True)
class Trigger:
    kind: str
    domain: str  # domain name, "" for none
    measure_code: str  # "" for a domain-level trigger
    evidence: str
    question: str
    kinds: tuple[str, ...] = field(default=())  # every rule that fired (a combined question has two)
    strength: Decimal = Decimal(0)  # how strongly the figures ask for it (the brief's top five)

    @property
    def label(self) -> str:
        return " and ".join(KIND_LABELS[k] for k in (self.kinds or (self.kind,)))


# --- Measure rules ------------------------------------------------------------------------------------


def in_worst_quartile(facts: MeasureFacts) -> list[str]:
    """Which worst quartiles the measure is in: "England", "nearest neighbours" (or neither)."""
    if not scoring.has_polarity(facts.polarity) or facts.value is None:
        return []
    found = []
    if facts.quartile_england == 4:
        found.append("England")
    gap = facts.neighbour_gap_mads
    if facts.neighbour_comparison == "worse" and gap is not None and abs(gap) > WORSE_THAN_NEIGHBOURS_MADS:
        found.append("nearest neighbours")
    return found


def worsening_run(facts: MeasureFacts) -> int:
    """How many moves in a row, ending with the latest period, the measure got worse (0 if it did not)."""
    if not scoring.has_polarity(facts.polarity):
        return 0
    values = [value for _, value in facts.trend]
    run = 0
    for before, after in zip(reversed(values[:-1]), reversed(values[1:]), strict=True):
        direction = scoring.direction_of_travel(
            current=after, previous=before, polarity=facts.polarity, unit=facts.unit
        )
        if direction is not scoring.Direction.WORSENING:
            break
        run += 1
    return run


def _number(facts: MeasureFacts, value: Decimal | None) -> str:
    if value is None:
        return "no figure"
    return scoring.format_value(value, unit=facts.unit, decimal_places=facts.decimal_places)


def _trend_text(facts: MeasureFacts, periods: int) -> str:
    tail = list(facts.trend)[-periods:]
    return " → ".join(f"{label} {_number(facts, value)}" for label, value in tail)


def measure_name(facts: MeasureFacts) -> str:
    """The measure as a question names it: "the proportion of people who feel safe (4A)"."""
    title = facts.title[:1].lower() + facts.title[1:] if facts.title else facts.code
    if not title.startswith(("the ", "delayed", "long-term")):
        title = f"the {title}"
    return f"{title} ({facts.code})"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rose_or_fell(facts: MeasureFacts) -> str:
    values = [v for _, v in facts.trend if v is not None]
    if len(values) >= 2 and values[-1] > values[-2]:
        return "rose"
    return "fell"


def _years(run: int) -> str:
    return "two years" if run == 2 else f"{run} years"


def _neighbour_words(facts: MeasureFacts) -> str:
    phrase = facts.neighbour_phrase or "a long way behind"  # no phrase: beyond the commentary's bands
    return f"{phrase} its nearest neighbours (their median {facts.neighbour_median})"


def _evidence(facts: MeasureFacts, quartiles: list[str], run: int) -> str:
    parts = [f"{facts.code} {facts.title}: {facts.formatted}"]
    if "England" in quartiles:
        england = f" (England {facts.england})" if facts.england else ""
        parts.append(f"in the worst quarter of councils in England{england}")
    if "nearest neighbours" in quartiles:
        parts.append(_neighbour_words(facts))
    if run >= MIN_WORSENING_RUN:
        parts.append(f"worse {_years(run)} running: {_trend_text(facts, run + 1)}")
    return "; ".join(parts) + "."


def question_pattern(facts: MeasureFacts) -> tuple[str, ...]:
    """Which rules a measure fired, as the key of its question's wording (``()`` when none did)."""
    quartiles = in_worst_quartile(facts)
    worsening = worsening_run(facts) >= MIN_WORSENING_RUN
    return (*quartiles, *(("worsening",) if worsening else ()))


def _measure_question(facts: MeasureFacts, quartiles: list[str], run: int, turn: int) -> str:
    """One question in words a person would use, its pattern chosen by the rules that fired (and varied by
    ``turn``, how many measures before it fired the same rules, so a pack does not repeat one sentence)."""
    name = measure_name(facts)
    value = facts.formatted
    england = f" (England {facts.england})" if facts.england else ""
    median = facts.neighbour_median
    moved = f"{_rose_or_fell(facts)} {_years(run)} running"
    against = f" against England's {facts.england}" if facts.england else ""
    options: tuple[str, ...]
    if run >= MIN_WORSENING_RUN and quartiles:
        where = "in the worst quarter in England" if "England" in quartiles else "behind similar councils"
        moved_perfect = moved.replace("rose", "risen").replace("fell", "fallen")
        options = (
            f"{_capital(name)} {moved} and is now {where}, at {value}. What is driving it, and what are "
            "you doing about it?",
            f"At {value}, {name} is {where} and has {moved_perfect}. What would turn it round, and when "
            "would we see it in the figures?",
            f"{_capital(name)} has {moved_perfect.replace(' running', '')} and now stands at {value}{england}. "
            "Which of your plans addresses it, and how will you know it is working?",
        )
    elif "England" in quartiles and "nearest neighbours" in quartiles:
        options = (
            f"{_capital(name)} is {value}, in the worst quarter in England{england} and behind the councils "
            f"most like you (median {median}). What lies behind this?",
            f"Similar councils reach {median} on {name}{england.replace(' (', ', ').replace(')', '')}; you are "
            f"at {value}, in England's worst quarter. What explains the gap, and what are you changing?",
            f"What would it take to move {name} from {value} to the {median} that similar councils reach, and "
            "who owns that work?",
            f"Why is {name} at {value} when councils like yours reach {median}? What have you tried, and what "
            "worked?",
            f"{_capital(name)} puts you in England's worst quarter ({value}{against}). Which partners would "
            f"you need to close the gap with similar councils ({median})?",
        )
    elif "England" in quartiles:
        options = (
            f"{_capital(name)} is {value}, in the worst quarter of councils in England{england}. "
            "What lies behind this, and what are you doing about it?",
            f"How do you explain {name} at {value}{england}, and what would good look like for you?",
            f"What do your own records say about why {name} is {value}, among the worst quarter in England?",
            f"England's figure for {name} is {facts.england or 'not published'}; yours is {value}. What would "
            "closing that gap take?",
        )
    elif "nearest neighbours" in quartiles:
        options = (
            f"The councils most like yours have a median of {median} on {name}; yours is {value}. "
            "What explains the difference?",
            f"You are at {value} on {name}, against {median} for similar councils. What are they doing that "
            "you are not?",
        )
    else:
        options = (
            f"{_capital(name)} {moved} ({_trend_text(facts, run + 1)}). Did you expect this, and what are you "
            "doing about it?",
            f"What has changed to make {name} worse {_years(run)} running, and is it within your control?",
        )
    return options[turn % len(options)]


def _strength(facts: MeasureFacts, quartiles: list[str], run: int) -> Decimal:
    gap = min(abs(facts.neighbour_gap_mads or Decimal(0)), Decimal("7.5"))
    return (
        Decimal(10) * (len(quartiles) + (run >= MIN_WORSENING_RUN))
        + Decimal(5) * ("England" in quartiles)
        + gap
    )


def measure_triggers(facts: MeasureFacts, *, turn: int = 0) -> Trigger | None:
    """The worst-quartile and worsening rules for one measure, as one question (or None)."""
    quartiles = in_worst_quartile(facts)
    run = worsening_run(facts)
    worsening = run >= MIN_WORSENING_RUN
    if not quartiles and not worsening:
        return None
    kinds = tuple(k for k, on in ((WORST_QUARTILE, quartiles), (WORSENING, worsening)) if on)
    return Trigger(
        kind=kinds[0],
        kinds=kinds,
        domain=facts.domain,
        measure_code=facts.code,
        evidence=_evidence(facts, quartiles, run),
        question=_measure_question(facts, quartiles, run, turn),
        strength=_strength(facts, quartiles, run),
    )


def _measure_triggers_varied(measures: Sequence[MeasureFacts]) -> list[Trigger]:
    """The measure triggers in catalogue order, their wording varied: of the measures that fired the same
    rules, the strongest gets the first wording, the next the second, and so on, so the questions a brief
    puts first do not repeat one sentence."""
    fired = [(i, t) for i, facts in enumerate(measures) if (t := measure_triggers(facts)) is not None]
    turns: dict[tuple[str, ...], int] = {}
    worded: dict[int, Trigger] = {}
    for i, trigger in sorted(fired, key=lambda item: (-item[1].strength, item[0])):
        pattern = question_pattern(measures[i])
        worded[i] = measure_triggers(measures[i], turn=turns.get(pattern, 0)) or trigger
        turns[pattern] = turns.get(pattern, 0) + 1
    return [worded[i] for i, _ in fired]


SIZE_STRENGTH = Decimal(6)  # above a gap in the data, below a measure in the worst quarter


def size_trigger(facts: MeasureFacts, *, turn: int = 0) -> Trigger | None:
    """A measure with no polarity in England's highest or lowest quarter by size: asked about as a size (what
    lies behind it, what it means), since higher or lower is not in itself better (spend, demand, turnover).
    The wording varies with ``turn`` (how many such questions came before it)."""
    if (
        scoring.has_polarity(facts.polarity)
        or facts.value is None
        or facts.size_quartile_england not in (1, 4)
    ):
        return None
    where = "highest" if facts.size_quartile_england == 1 else "lowest"
    high = "high" if where == "highest" else "low"
    england = f" (England {facts.england})" if facts.england else ""
    name, value = measure_name(facts), facts.formatted
    options = (
        f"At {value}{england}, your figure for {name} is among the {where} quarter of councils in England. What "
        "lies behind a figure of this size, and what does it mean for the people who use your services?",
        f"Your figure for {name} puts you among the {where} quarter in England, at {value}{england}. Is that "
        "what you would expect for your area, and what drives it?",
        f"Few councils in England have a figure as {high} as yours for {name}: {value}{england}. What explains "
        "it, and what does it tell you about your services?",
    )
    return Trigger(
        kind=SIZE_QUARTILE,
        kinds=(SIZE_QUARTILE,),
        domain=facts.domain,
        measure_code=facts.code,
        evidence=f"{facts.code} {facts.title}: {value}, among the {where} quarter of councils in England{england}.",
        question=options[turn % len(options)],
        strength=SIZE_STRENGTH,
    )


def _size_triggers(measures: Sequence[MeasureFacts]) -> list[Trigger]:
    found: list[Trigger] = []
    for facts in measures:
        if (trigger := size_trigger(facts, turn=len(found))) is not None:
            found.append(trigger)
    return found


def never_due(measures: Iterable[MeasureFacts]) -> list[MeasureFacts]:
    """Measures no council and not England has a figure for in the period: not collected that year (a
    biennial survey's gap year, a measure not yet in the framework). A line in the brief, never a question."""
    return [f for f in measures if not f.published and f.value is None]


def missing_data_triggers(measures: Iterable[MeasureFacts]) -> list[Trigger]:
    """One question per domain naming its measures the council has no figure for while others do (suppressed,
    not returned, not applicable). Measures collected from no council that year are never asked about."""
    by_domain: dict[str, list[MeasureFacts]] = {}
    for facts in measures:
        if (facts.value is None or facts.status != "ok") and facts.published:
            by_domain.setdefault(facts.domain, []).append(facts)
    result = []
    for domain, rows in by_domain.items():
        listed = "; ".join(f"{f.code} {f.title} ({NO_FIGURE.get(f.status, f.status)})" for f in rows)
        names = ", ".join(f.code for f in rows)
        where = f"in {domain}" if domain else "outside the six domains"
        result.append(
            Trigger(
                kind=MISSING_DATA,
                kinds=(MISSING_DATA,),
                domain=domain,
                measure_code="",
                evidence=f"Other councils have figures {where} that you do not: {listed}.",
                question=(
                    f"Other councils have a figure for {names} this year and you do not. What local "
                    "information tells you how you are doing here?"
                ),
                strength=Decimal(1),
            )
        )
    return result


# --- Domain rules -------------------------------------------------------------------------------------


def self_rating_trigger(domain: DomainFacts, *, turn: int = 0) -> Trigger | None:
    """The self-rating and the figures disagree; the wording varies with ``turn`` (the domain's place among
    those that disagree), so three such domains are not asked the same sentence three times."""
    if not domain.divergence:
        return None
    name = domain.name
    higher = "more highly" if domain.rated_above else "less highly"
    options = (
        f"Your self-rating of {name} and the figures tell different stories. What do you know that the "
        "figures do not show, and what evidence supports your rating?",
        f"You rate {name} {higher} than its figures suggest. What would you show us to back that rating?",
        f"How would people who use your services describe {name}, given that the figures do not match your "
        "rating of it?",
    )
    return Trigger(
        kind=SELF_RATING,
        kinds=(SELF_RATING,),
        domain=name,
        measure_code="",
        evidence=f"{name}: {domain.divergence}",
        question=options[turn % len(options)],
        strength=SELF_RATING_STRENGTH,
    )


def no_evidence_trigger(domain: DomainFacts) -> Trigger | None:
    if not domain.assessed or domain.evidence_given:
        return None
    return Trigger(
        kind=NO_EVIDENCE,
        kinds=(NO_EVIDENCE,),
        domain=domain.name,
        measure_code="",
        evidence=f"{domain.name}: the self-assessment gives no evidence and chooses no measure.",
        question=f"What evidence would you point us to for your view of {domain.name}?",
        strength=Decimal(2),
    )


def no_self_assessment_trigger(evidence: str = "No self-assessment was submitted for this cycle.") -> Trigger:
    """No self-assessment to set beside the figures; ``evidence`` says why (none submitted for the cycle, or
    none that compares these figures, naming the period of the one there is)."""
    return Trigger(
        kind=NO_EVIDENCE,
        kinds=(NO_EVIDENCE,),
        domain="",
        measure_code="",
        evidence=evidence,
        question=(
            "How would you rate yourselves today in each of the six domains, and what evidence would you point "
            "us to?"
        ),
        strength=Decimal(3),
    )


NO_SELF_ASSESSMENT = no_self_assessment_trigger()


# --- CQC's quality statements ----------------------------------------------------------------------------


def _statement_name(number: int) -> str:
    return next((s.name for s in scoring.CQC_STATEMENTS if s.number == number), f"statement {number}")


def _cqc_source(facts: StatementFacts) -> str:
    demo = " (synthetic demo scores, not CQC's)" if facts.is_demo else ""
    return f"CQC's assessment of {facts.assessed}{demo}"


def _score_words(score: int) -> str:
    return scoring.CQC_SCORE_WORDS[score].lower()


def cqc_shortfall_trigger(facts: StatementFacts, *, turn: int = 0) -> Trigger | None:
    """A statement CQC scored 1 or 2; the wording varies with ``turn`` (its place among such statements)."""
    if facts.score > 2:
        return None
    name = _statement_name(facts.number)
    found = _score_words(facts.score)
    if facts.score == 1:
        options = (
            f"CQC found significant shortfalls in {name}. What has changed since {facts.assessed}, and what "
            "would CQC see if it came back today?",
            f"{name} was scored 1 of 4 by CQC: significant shortfalls. Who leads the response, and what "
            "difference have people who draw on care noticed so far?",
            f"What did CQC see in {name} that you had not seen yourselves, and how has that changed the way "
            "you check your own practice?",
        )
    else:
        options = (
            f"CQC found some shortfalls in {name}. Which of them have you addressed, and how do you know it "
            "has made a difference?",
            f"What is your plan for {name}, where CQC found some shortfalls, and what would a good standard "
            "look like here?",
            f"How do the people who use your services experience {name} today, given the shortfalls CQC "
            "found?",
        )
    return Trigger(
        kind=CQC_SHORTFALL,
        kinds=(CQC_SHORTFALL,),
        domain=CQC_TOPIC,
        measure_code="",
        evidence=f"{_cqc_source(facts)}: {name} scored {facts.score} of 4, {found}.",
        question=options[turn % len(options)],
        strength=CQC_SHORTFALL_STRENGTH[facts.score],
    )


def self_above_cqc_trigger(
    gap: StatementGap, *, assessed: str, is_demo: bool = False, turn: int = 0
) -> Trigger:
    """The council scored a statement above CQC's score; ``assessed`` is CQC's month in words."""
    name = _statement_name(gap.number)
    own, cqc = _score_words(gap.self_score), _score_words(gap.cqc_score)
    options = (
        f"You scored yourselves higher on {name} than CQC did. What do you know that CQC did not see, and "
        "what evidence supports your score?",
        f"Your self-assessment scores {name} {gap.self_score} of 4 ({own}); CQC scored it {gap.cqc_score} "
        f"({cqc}). How do you account for the difference?",
        f"If CQC assessed {name} again tomorrow, would it agree with your score? What would you show it?",
    )
    source = _cqc_source(StatementFacts(gap.number, gap.cqc_score, assessed, is_demo))
    return Trigger(
        kind=SELF_ABOVE_CQC,
        kinds=(SELF_ABOVE_CQC,),
        domain=CQC_TOPIC,
        measure_code="",
        evidence=(
            f"{name}: the self-assessment scores it {gap.self_score} of 4 ({own}); {source} scored it "
            f"{gap.cqc_score} of 4 ({cqc})."
        ),
        question=options[turn % len(options)],
        strength=SELF_ABOVE_CQC_STRENGTH,
    )


def _month(statements: Sequence[StatementFacts]) -> tuple[str, bool]:
    if not statements:
        return "its latest assessment", False
    return statements[0].assessed, statements[0].is_demo


def self_above_cqc_triggers(
    statements: Sequence[StatementFacts], gaps: Sequence[StatementGap]
) -> list[Trigger]:
    """One question per gap (a statement the council scored above CQC's score), in CQC's order."""
    month, is_demo = _month(statements)
    ordered = sorted(gaps, key=lambda g: g.number)
    return [
        self_above_cqc_trigger(gap, assessed=month, is_demo=is_demo, turn=turn)
        for turn, gap in enumerate(ordered)
    ]


def cqc_shortfall_triggers(
    statements: Sequence[StatementFacts], gaps: Sequence[StatementGap], *, score: int
) -> list[Trigger]:
    """One question per statement CQC scored ``score`` (1 or 2), in CQC's order; a statement with a gap is
    asked about once, by the gap's question (which cites CQC's score)."""
    asked = {gap.number for gap in gaps}
    chosen = [
        s for s in sorted(statements, key=lambda s: s.number) if s.score == score and s.number not in asked
    ]
    return [t for turn, s in enumerate(chosen) if (t := cqc_shortfall_trigger(s, turn=turn)) is not None]


def triggers_find(
    *,
    measures: Sequence[MeasureFacts],
    domains: Sequence[DomainFacts],
    self_assessed: bool,
    no_assessment: str = "",
    statements: Sequence[StatementFacts] = (),
    gaps: Sequence[StatementGap] = (),
) -> list[Trigger]:
    """Every trigger, in order: self-ratings the data contradicts, self-scores above CQC's, statements CQC
    scored 1, worst quartile/worsening measures (in catalogue order), statements CQC scored 2, missing data,
    domains without evidence. ``no_assessment`` is the evidence of the question asked when there is no self-assessment (the
    default: none submitted for the cycle). ``statements`` are CQC's latest scores, ``gaps`` the statements the
    council scored above them."""
    found: list[Trigger] = []
    disagreeing = [d for d in domains if d.divergence]
    found += [t for turn, d in enumerate(disagreeing) if (t := self_rating_trigger(d, turn=turn)) is not None]
    found += self_above_cqc_triggers(statements, gaps)
    found += cqc_shortfall_triggers(statements, gaps, score=1)
    found += _measure_triggers_varied(measures)
    found += cqc_shortfall_triggers(statements, gaps, score=2)
    found += _size_triggers(measures)
    found += missing_data_triggers(measures)
    if self_assessed:
        found += [t for d in domains if (t := no_evidence_trigger(d)) is not None]
    else:
        found.append(no_self_assessment_trigger(no_assessment) if no_assessment else NO_SELF_ASSESSMENT)
    return found


def strongest(triggers: Sequence[Trigger], count: int = 5) -> list[Trigger]:
    """The ``count`` triggers the figures ask for most strongly, in their order in ``triggers``."""
    chosen = sorted(range(len(triggers)), key=lambda i: (-triggers[i].strength, i))[:count]
    return [triggers[i] for i in sorted(chosen)]
