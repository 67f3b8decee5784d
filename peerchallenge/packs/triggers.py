"""Risk triggers: the pure rules that turn a council's scorecard and self-assessment into open questions.

No ORM here: :mod:`peerchallenge.packs.selectors` turns the scorecard selector results
(``scorecard.scorecards.selectors.council_scorecard``) and the self-assessment's view against data
(``scorecard.selfassessment.selectors.divergence_flags``) into the plain facts below, and these rules read
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
- ``no_evidence``: a domain of the submitted self-assessment with no evidence written and no measure chosen;
  or no self-assessment submitted at all (one question).
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
KINDS = (WORST_QUARTILE, WORSENING, SELF_RATING, MISSING_DATA, NO_EVIDENCE)
KIND_LABELS = {
    WORST_QUARTILE: "Worst quartile",
    WORSENING: "Worsening",
    SELF_RATING: "Self-rating and data disagree",
    MISSING_DATA: "Missing or suppressed data",
    NO_EVIDENCE: "No evidence given",
}

WORSE_THAN_NEIGHBOURS_MADS = Decimal(1)  # more than one MAD worse than the neighbours' median
MIN_WORSENING_RUN = 2  # moves between periods
NO_FIGURE = {"missing": "missing", "suppressed": "suppressed [c]", "not_applicable": "not applicable [x]"}


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


@dataclass(frozen=True)
class DomainFacts:
    name: str
    assessed: bool  # the council submitted a self-assessment with this domain
    evidence_given: bool  # evidence written or measures chosen
    divergence: str = ""  # the view-against-data text when the rating and the data disagree


@dataclass(frozen=True)
class Trigger:
    kind: str
    domain: str  # domain name, "" for none
    measure_code: str  # "" for a domain-level trigger
    evidence: str
    question: str
    kinds: tuple[str, ...] = field(default=())  # every rule that fired (a combined question has two)

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


def _name(facts: MeasureFacts) -> str:
    title = facts.title[:1].lower() + facts.title[1:] if facts.title else facts.code
    if title.startswith("the "):  # "the proportion of …" → "Your proportion of …"
        title = title[4:]
    return f"Your {title} ({facts.code})"


def _rose_or_fell(facts: MeasureFacts) -> str:
    values = [v for _, v in facts.trend if v is not None]
    if len(values) >= 2 and values[-1] > values[-2]:
        return "rose"
    return "fell"


def measure_triggers(facts: MeasureFacts) -> Trigger | None:
    """The worst-quartile and worsening rules for one measure, as one question (or None)."""
    quartiles = in_worst_quartile(facts)
    run = worsening_run(facts)
    worsening = run >= MIN_WORSENING_RUN
    if not quartiles and not worsening:
        return None
    kinds = tuple(k for k, on in ((WORST_QUARTILE, quartiles), (WORSENING, worsening)) if on)
    facts_text = [f"{facts.code} {facts.title}: {facts.formatted}"]
    wording = []
    if quartiles:
        where = " and of ".join(
            ["England" if q == "England" else "your nearest neighbours" for q in quartiles]
        )
        wording.append(f"is in the worst quartile of {where}")
        if "England" in quartiles:
            facts_text.append("England quartile 4 of 4 (red)")
        if "nearest neighbours" in quartiles:
            facts_text.append(
                f"nearest neighbours' median {facts.neighbour_median}, "
                f"{abs(facts.neighbour_gap_mads or 0):.1f} MADs worse"
            )
    if worsening:
        years = "two years" if run == 2 else f"{run} years"
        wording.append(f"{_rose_or_fell(facts)} {years} running")
        facts_text.append(f"worse {run} periods running: {_trend_text(facts, run + 1)}")
    question = f"{_name(facts)} {' and '.join(wording)}: what is driving it, and what are you doing about it?"
    return Trigger(
        kind=kinds[0],
        kinds=kinds,
        domain=facts.domain,
        measure_code=facts.code,
        evidence="; ".join(facts_text) + ".",
        question=question,
    )


def missing_data_triggers(measures: Iterable[MeasureFacts]) -> list[Trigger]:
    """One question per domain listing its measures with no figure for the period."""
    by_domain: dict[str, list[MeasureFacts]] = {}
    for facts in measures:
        if facts.value is None or facts.status != "ok":
            by_domain.setdefault(facts.domain, []).append(facts)
    result = []
    for domain, rows in by_domain.items():
        listed = "; ".join(f"{f.code} ({NO_FIGURE.get(f.status, f.status)})" for f in rows)
        codes = ", ".join(f.code for f in rows)
        where = f"in {domain}" if domain else "outside the six domains"
        result.append(
            Trigger(
                kind=MISSING_DATA,
                kinds=(MISSING_DATA,),
                domain=domain,
                measure_code="",
                evidence=f"No published figure {where}: {listed}.",
                question=(
                    f"There is no published figure for {codes}: how do you know how you are doing here, "
                    "and what local information do you use instead?"
                ),
            )
        )
    return result


# --- Domain rules -------------------------------------------------------------------------------------


def self_rating_trigger(domain: DomainFacts) -> Trigger | None:
    if not domain.divergence:
        return None
    return Trigger(
        kind=SELF_RATING,
        kinds=(SELF_RATING,),
        domain=domain.name,
        measure_code="",
        evidence=f"{domain.name}: {domain.divergence}",
        question=(
            f"Your self-rating of {domain.name} and the data tell different stories: "
            "what do you know that the data does not show, and what evidence supports your rating?"
        ),
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
    )


NO_SELF_ASSESSMENT = Trigger(
    kind=NO_EVIDENCE,
    kinds=(NO_EVIDENCE,),
    domain="",
    measure_code="",
    evidence="No self-assessment was submitted for this cycle.",
    question=(
        "No self-assessment was submitted: how would you rate yourselves in each domain, and on what evidence?"
    ),
)


def triggers_find(
    *, measures: Sequence[MeasureFacts], domains: Sequence[DomainFacts], self_assessed: bool
) -> list[Trigger]:
    """Every trigger, in order: self-ratings the data contradicts, worst quartile/worsening measures (in
    catalogue order), missing data, domains without evidence."""
    found: list[Trigger] = []
    found += [t for d in domains if (t := self_rating_trigger(d)) is not None]
    found += [t for m in measures if (t := measure_triggers(m)) is not None]
    found += missing_data_triggers(measures)
    if self_assessed:
        found += [t for d in domains if (t := no_evidence_trigger(d)) is not None]
    else:
        found.append(NO_SELF_ASSESSMENT)
    return found
