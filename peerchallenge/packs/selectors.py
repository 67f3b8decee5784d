"""Reads for challenge packs and question sets.

Every figure in a pack comes from the scorecard selectors the web pages use: the council's balanced
scorecard (``scorecard.scorecards.selectors.council_scorecard``), its region's ranking (``region_overview``) and the
self-assessment beside its data (``selfassessment.selectors.self_assessment_view``). Nothing here
reads ``Value`` rows for display; ``pack_version`` only reads timestamps and counts to know when a pack
must be built again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Max
from django.utils import timezone

from core.cache import data_version as scorecard_data_version
from councils.models import Council, Membership, NearestNeighbour, Region
from councils.rules import user_memberships
from peerchallenge.challengers import challenged_council_ids, council_ids_of
from peerchallenge.models import Summit
from peerchallenge.packs import triggers as tr
from peerchallenge.packs.brief import Brief, pack_brief
from peerchallenge.packs.charts import TrendLine
from peerchallenge.packs.models import Question, QuestionBankItem, QuestionSet
from peerchallenge.selectors import (
    group_councils,
    group_sessions,
    summit_groups,
    summit_period,
    summit_timetable,
)
from scorecard import scoring
from scorecard.assurance.models import CqcAssessment
from scorecard.assurance.selectors import cqc_latest_for_council
from scorecard.catalogue import framework_for_start_year
from scorecard.figures import (
    ENGLAND,
    GROUP_DEMO,
    GROUP_NONE,
    GROUP_REAL,
    NEAREST_NEIGHBOURS,
    REGION,
    catalogue,
    period_stats,
)
from scorecard.models import Area, Framework, Measure, Period
from scorecard.periods import periods_with_council_figures
from scorecard.scorecards.selectors import (
    CouncilScorecard,
    DomainSummary,
    RegionOverview,
    ScorecardRow,
    council_scorecard,
    region_overview,
)
from scorecard.templatetags.scorecard_tags import trend_until
from selfassessment.models import SelfAssessment, SelfAssessmentCycle, SelfAssessmentFramework
from selfassessment.selectors import (
    SelfAssessmentView,
    assurance_gaps_between,
    cqc_self_assessment_latest,
    self_assessment_view,
    statement_scores,
)

TEMPLATE_VERSION = "pack-8"  # raise when the pack's layout changes, so cached packs are rebuilt


@dataclass(frozen=True)
class PackSubject:
    """The permission object of a pack: the council it is about, and the summit it is for (if any)."""

    council: Council
    summit: Summit | None = None

    @property
    def region(self) -> Region | None:
        return self.council.region


@dataclass(frozen=True)
class Session:
    challenger: Council
    challenged: Council
    start: dt.datetime | None
    room: str


@dataclass
class RankingBar:
    name: str
    value: Decimal | None
    formatted: str
    rank: int | None
    is_subject: bool


@dataclass
class MeasureBlock:
    row: ScorecardRow
    domain: str
    ranking: list[RankingBar]  # the region's councils, best first (missing last)
    trend_periods: list[str] = field(default_factory=list)  # up to the pack's period
    trend_lines: list[TrendLine] = field(default_factory=list)  # the council's, its region's, England's


@dataclass
class PackQuestion:
    domain: str
    text: str
    evidence: str
    is_top: bool
    source: str
    quotes_demo_figures: bool = False
    strength: Decimal = Decimal(0)  # generated questions: how strongly the figures ask for it


@dataclass
class DomainLine:
    name: str
    summary: DomainSummary
    rating: str  # the submitted self-rating ("" without one)
    flag: str  # the view-against-data text when the rating and the data disagree


@dataclass(frozen=True)
class StatementSelfAssessment:
    """The council's self-assessment by CQC's quality statements, as the pack needs it: each statement's
    self-score (number → 1–4) and the gaps (statements it scored above CQC's latest score)."""

    scores: dict[int, int] = field(default_factory=dict)
    gaps: tuple[tr.StatementGap, ...] = ()
    is_demo: bool = False


def statement_self_assessment(
    *, council: Council, cycle: SelfAssessmentCycle | None = None
) -> StatementSelfAssessment:
    """The council's latest submitted self-assessment by CQC's statements (whatever the pack's cycle: a
    summit's cycle rates the scorecard's domains), its self-scores and the statements it scored above CQC's
    latest score."""
    assessment = cqc_self_assessment_latest(council=council)
    if assessment is None:
        return StatementSelfAssessment()
    scores = {n: score for n, score in statement_scores(assessment=assessment).items() if score is not None}
    cqc = cqc_latest_for_council(council=council)
    gaps = (
        tuple(
            tr.StatementGap(number=gap.number, self_score=gap.self_score, cqc_score=gap.cqc_score)
            for gap in assurance_gaps_between(assessment=assessment, cqc_scores=cqc.scores)
        )
        if cqc is not None
        else ()
    )
    return StatementSelfAssessment(scores=scores, gaps=gaps, is_demo=assessment.is_demo)


@dataclass(frozen=True)
class StatementLine:
    statement: scoring.QualityStatement
    score: int | None  # CQC's
    self_score: int | None = None

    @property
    def words(self) -> str:
        return scoring.CQC_SCORE_WORDS.get(self.score, "") if self.score else ""

    @property
    def self_words(self) -> str:
        return scoring.CQC_SCORE_WORDS.get(self.self_score, "") if self.self_score else ""

    @property
    def self_above(self) -> bool:
        return self.score is not None and self.self_score is not None and self.self_score > self.score


@dataclass
class Assurance:
    """The pack's assurance section: CQC's latest outcome for the council (None: not yet assessed) and the
    self-assessment by statements beside it."""

    assessment: CqcAssessment | None
    own: StatementSelfAssessment

    @property
    def lines(self) -> list[StatementLine]:
        scores = self.assessment.scores if self.assessment else (None,) * len(scoring.CQC_STATEMENTS)
        return [
            StatementLine(statement, score, self.own.scores.get(statement.number))
            for statement, score in zip(scoring.CQC_STATEMENTS, scores, strict=True)
        ]

    @property
    def is_demo(self) -> bool:
        return bool(self.assessment and self.assessment.is_demo)

    @property
    def month(self) -> str:
        return f"{self.assessment.assessed_on:%B %Y}" if self.assessment else ""

    @property
    def rating(self) -> str:
        """CQC's overall rating in its words, or "Not rated"."""
        if self.assessment is None:
            return ""
        rating = self.assessment.published_rating
        return rating.value if rating else "Not rated"

    @property
    def shortfalls(self) -> list[StatementLine]:
        """Statements CQC scored 1 or 2 (the brief names them)."""
        return [line for line in self.lines if line.score is not None and line.score <= 2]

    @property
    def shortfall_summary(self) -> str:
        """The brief's sentence on the statements scored 1 or 2: "significant shortfalls in A; some
        shortfalls in B and C" ("" when there are none)."""
        parts = []
        for score in (1, 2):
            names = [line.statement.name for line in self.shortfalls if line.score == score]
            if names:
                parts.append(f"{scoring.CQC_SCORE_WORDS[score].lower()} in {_and(names)}")
        return "; ".join(parts)

    @property
    def gap_lines(self) -> list[StatementLine]:
        numbers = {gap.number for gap in self.own.gaps}
        return [line for line in self.lines if line.statement.number in numbers]

    def statement_facts(self) -> list[tr.StatementFacts]:
        if self.assessment is None:
            return []
        return [
            tr.StatementFacts(number=s.number, score=score, assessed=self.month, is_demo=self.is_demo)
            for s, score in zip(scoring.CQC_STATEMENTS, self.assessment.scores, strict=True)
        ]


def pack_assurance(
    *, council: Council, cycle: SelfAssessmentCycle | None, own: StatementSelfAssessment | None = None
) -> Assurance:
    """CQC's latest outcome for the council (one query) and its self-assessment by statements: ``own`` when
    given (the self-assessment app's reading), else :func:`statement_self_assessment`."""
    if own is None:
        own = statement_self_assessment(council=council, cycle=cycle)
    return Assurance(assessment=cqc_latest_for_council(council=council), own=own)


@dataclass
class Pack:
    council: Council
    period: Period | None
    summit: Summit | None
    session: Session | None
    card: CouncilScorecard
    cycle: SelfAssessmentCycle | None
    self_assessment: SelfAssessmentView | None  # None when no submitted self-assessment is readable
    blocks: list[MeasureBlock]
    uncharted: list[str]  # codes of measures that raised a trigger but are not charted (over CHARTS_MAX)
    triggers: list[tr.Trigger]
    questions: list[PackQuestion]
    questions_shown: bool  # False: the set exists but this reader may not see it yet
    data_version: str
    generated_at: dt.datetime
    data_is_demo: bool  # the figures (the council's or its comparators') are synthetic
    region_overview_demo: bool = False
    self_assessment_is_demo: bool = False  # a made-up self-assessment (demo mode)
    summit_is_demo: bool = False  # a made-up summit (demo mode): its pairings and sessions
    neighbours: list[str] = field(default_factory=list)
    neighbour_source: str = ""
    brief: Brief = field(default_factory=Brief)
    no_assessment: str = ""  # why there is no self-assessment beside the figures ("" when there is one)
    chosen_by_challenger: bool = False  # the questions are a challenger's set (their order, their top five)
    assurance: Assurance = field(default_factory=lambda: Assurance(None, StatementSelfAssessment()))

    TOP_QUESTIONS = 5

    @property
    def top_questions(self) -> list[PackQuestion]:
        """The brief's questions: those the challenger marked as their top five; else the first five of
        their set (their order); else the five the figures raise most strongly."""
        marked = [q for q in self.questions if q.is_top]
        if marked:
            return marked[: self.TOP_QUESTIONS]
        if self.chosen_by_challenger:
            return self.questions[: self.TOP_QUESTIONS]
        order = sorted(range(len(self.questions)), key=lambda i: (-self.questions[i].strength, i))
        return [self.questions[i] for i in sorted(order[: self.TOP_QUESTIONS])]

    @property
    def framework_label(self) -> str:
        """The framework in words ("ASCOF 2014-15 to 2022-23"), for the colophon."""
        return Framework(self.card.framework).label if self.card.framework in Framework.values else ""

    @property
    def figures_are_demo(self) -> bool:
        return self.data_is_demo or self.region_overview_demo

    @property
    def questions_quote_demo(self) -> bool:
        """Some questions were generated while the figures were synthetic (before a real import)."""
        return not self.figures_are_demo and any(q.quotes_demo_figures for q in self.questions)

    @property
    def demo_parts(self) -> list[str]:
        """What in the pack is synthetic, read from the data it shows (not from the summit's flag): after
        a real import the figures are real even in the demo summit's packs."""
        parts = ["the figures"] if self.figures_are_demo else []
        if self.self_assessment_is_demo:
            parts.append("the self-assessment")
        if self.summit_is_demo:
            parts.append("the summit")
        if self.assurance.is_demo:
            parts.append("CQC's scores")
        if self.assurance.own.is_demo:
            parts.append("the self-assessment by CQC's statements")
        if self.questions_quote_demo:
            parts.append("the evidence of some questions")
        return parts

    @property
    def demo_note(self) -> str:
        """The cover's sentences on what is synthetic ("" when nothing is)."""
        if self.figures_are_demo:
            others = [p for p in self.demo_parts if p != "the figures"]
            also = ""
            if others:
                listed = _and(others)
                also = f" {listed[0].upper()}{listed[1:]} {_be(others)} made up too."
            return (
                "Demo data: the figures in this pack are synthetic, made up for demonstration. They are not "
                f"real statistics about {self.council.name}.{also}"
            )
        made_up = [p for p in self.demo_parts if p != "the evidence of some questions"]
        sentences = []
        if made_up:
            sentences.append(
                f"Demo example: {_and(made_up)} in this pack {_be(made_up)} made up for demonstration."
            )
        if self.questions_quote_demo:
            sentences.append(
                "Some questions were generated from synthetic demo figures loaded before the real ones: "
                "their evidence quotes figures that are not real."
            )
        if sentences:
            sentences.append("The figures are real published statistics.")
        return " ".join(sentences)

    @property
    def domain_lines(self) -> list[DomainLine]:
        views = {d.domain.pk: d for d in self.self_assessment.domains} if self.self_assessment else {}
        lines = []
        for section in self.card.domains:
            if section.domain is None:
                continue
            view = views.get(section.domain.pk)
            lines.append(
                DomainLine(
                    name=section.domain.name,
                    summary=section.summary,
                    rating=view.rating if view else "",
                    flag=view.data.text if view and view.data.divergence is not None else "",
                )
            )
        return lines

    @property
    def questions_by_domain(self) -> list[tuple[str, list[PackQuestion]]]:
        grouped: dict[str, list[PackQuestion]] = {}
        for question in self.questions:
            grouped.setdefault(question.domain or "General", []).append(question)
        return list(grouped.items())


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _be(parts: list[str]) -> str:
    """ "is" after one singular part ("the summit"), "are" after a plural one or a list."""
    return "is" if len(parts) == 1 and parts[0].startswith(("the self-assessment", "the summit")) else "are"


# --- Who challenges whom -------------------------------------------------------------------------------


def summit_sessions(*, summit: Summit) -> list[Session]:
    """Every (challenger → challenged) session of the summit, with its start time and room."""

    groups = summit_groups(summit=summit)
    starts: dict[tuple[str, str], tuple[dt.datetime, str]] = {}
    if groups:
        timetable = summit_timetable(summit=summit, groups=groups)
        for item in timetable.items:
            for s in item.sessions:
                starts[(s.challenger, s.challenged)] = (item.start, s.room)
    result = []
    for group in groups:
        for challenger, challenged, _ in group_sessions(group_councils(group)):
            start, room = starts.get((challenger.name, challenged.name), (None, group.room))
            result.append(Session(challenger=challenger, challenged=challenged, start=start, room=room))
    return result


def session_for(*, summit: Summit, challenged: Council) -> Session | None:
    return next((s for s in summit_sessions(summit=summit) if s.challenged.pk == challenged.pk), None)


def packs_for_user(*, user, summit: Summit) -> list[Session]:  # type: ignore[no-untyped-def]
    """The sessions of ``summit`` whose packs the user may download (in running order).

    The pairings are read once for the whole list (not once per row): the challenger check keeps its
    answer on the user object only while this list is made.
    """
    user._challenged_memo = {}
    try:
        return [
            s
            for s in summit_sessions(summit=summit)
            if user.has_perm("peerchallenge.view_pack", PackSubject(council=s.challenged, summit=summit))
        ]
    finally:
        del user._challenged_memo


def pack_councils_for_user(*, user) -> list[Council]:  # type: ignore[no-untyped-def]
    """Councils whose pack (outside a summit) the user may download, by name: every council for admins;
    their regions' councils for SLI leads and coordinators; their own council, and the councils it challenges
    in a published summit, for a DASS or delegate. The rule (``peerchallenge.view_pack``) decides."""
    councils = Council.objects.select_related("region").order_by("name")
    if not (user.is_superuser or user.is_staff):
        memberships = user_memberships(user)
        regions = {m.region_id for m in memberships if m.role in Membership.REGION_ROLES}
        wanted = council_ids_of(user) | challenged_council_ids(user=user)
        councils = councils.filter(models.Q(region_id__in=regions) | models.Q(pk__in=wanted))
    user._challenged_memo = {}
    try:
        return [c for c in councils if user.has_perm("peerchallenge.view_pack", PackSubject(council=c))]
    finally:
        del user._challenged_memo


def pack_data_is_demo(*, council: Council, period: Period | None) -> bool:
    """A pack outside a summit on ``council`` for ``period`` shows synthetic figures: the scorecard's own
    answer (its figures or comparators), as the pack's cover says."""
    return council_scorecard(council=council, period=period).data_is_demo


def pack_periods() -> list[Period]:
    """Periods with figures, newest first: those a pack outside a summit can be about."""
    return periods_with_council_figures()


# --- Question sets ---------------------------------------------------------------------------------------


def question_set_get(*, summit: Summit, challenger: Council, challenged: Council) -> QuestionSet | None:
    """The set ``challenger`` prepares on ``challenged`` (after a re-pairing, another challenger's old set is
    not theirs)."""
    return (
        QuestionSet.objects.filter(summit=summit, challenger=challenger, challenged=challenged)
        .select_related("summit__region", "challenger", "challenged")
        .first()
    )


def question_sets_of(*, summit: Summit) -> dict[tuple[int, int], QuestionSet]:
    """Every question set of the summit, by (challenger id, challenged id): one query for a page of rows."""
    return {
        (qs.challenger_id, qs.challenged_id): qs
        for qs in QuestionSet.objects.filter(summit=summit).select_related(
            "summit__region", "challenger", "challenged"
        )
    }


def question_bank(*, cycle: SelfAssessmentCycle) -> list[QuestionBankItem]:
    return list(QuestionBankItem.objects.filter(cycle=cycle).select_related("domain"))


def questions_of(*, question_set: QuestionSet) -> list[Question]:
    return list(question_set.questions.select_related("domain").order_by("position", "pk"))


# --- The pack's content ----------------------------------------------------------------------------------


def cycle_for(
    *, council: Council, period: Period | None, summit: Summit | None
) -> SelfAssessmentCycle | None:
    """The summit's cycle; outside a summit, the council's region's latest cycle on the scorecard's domains
    (a self-assessment by CQC's statements has its own section) that compares ``period``'s
    figures (None if no cycle does: a self-assessment made against other figures is never set beside
    these), or its latest cycle when there is no period."""
    if summit is not None and summit.cycle_id:
        return summit.cycle
    if council.region_id is None:
        return None
    cycles = SelfAssessmentCycle.objects.filter(
        region_id=council.region_id, framework__kind=SelfAssessmentFramework.Kind.DOMAINS
    ).select_related("period")
    if period is not None:
        cycles = cycles.filter(period=period)
    return cycles.order_by("-closes_on").first()


def measure_facts(card: CouncilScorecard) -> list[tr.MeasureFacts]:
    """The scorecard's rows as the facts the trigger rules read."""
    facts = []
    until = card.period.label if card.period else ""
    for section in card.domains:
        for row in section.rows:
            commentary = row.commentary
            median = row.comparators.get(NEAREST_NEIGHBOURS)
            facts.append(
                tr.MeasureFacts(
                    code=row.code,
                    title=row.measure.title,
                    domain=section.domain.name if section.domain else "",
                    polarity=row.measure.polarity,
                    unit=row.measure.unit,
                    decimal_places=row.measure.decimal_places,
                    value=row.value,
                    formatted=row.formatted,
                    status=row.status,
                    quartile_england=row.quartile_england,
                    neighbour_comparison=commentary.comparison if commentary else "",
                    neighbour_gap_mads=commentary.gap_mads if commentary else None,
                    neighbour_median=median.formatted if median else "",
                    trend=tuple(trend_until(row.trend, until)),
                    is_demo=row.is_demo,
                    neighbour_phrase=commentary.phrase if commentary else "",
                    england=_england(row),
                    published=row_was_due(row),
                    source=row.measure.source,
                    size_quartile_england=row.size_quartile_england,
                )
            )
    return facts


def _england(row: ScorecardRow) -> str:
    england = row.comparators.get(ENGLAND)
    return england.formatted if england is not None and england.value is not None else ""


def row_was_due(row: ScorecardRow) -> bool:
    """Whether the measure was collected for the period at all: the council has a figure or a marker
    (suppressed, not applicable), another council of its region is ranked, or England has a figure. A
    biennial survey's gap year, or a measure not in that year's framework, has none of these."""
    england = row.comparators.get(ENGLAND)
    return (
        row.value is not None
        or row.status != "missing"
        or row.rank_of > 0
        or (england is not None and england.value is not None)
    )


def domain_facts(view: SelfAssessmentView | None) -> list[tr.DomainFacts]:
    """Each domain of the submitted self-assessment as facts, with the view's divergences from the data."""
    if view is None:
        return []
    diverging = {d.domain.pk: d.data.text for d in view.divergences}
    above = {d.domain.pk for d in view.divergences if d.data.divergence is scoring.Divergence.RATED_BETTER}
    return [
        tr.DomainFacts(
            name=d.domain.name,
            assessed=d.assessment is not None,
            evidence_given=bool(d.assessment and (d.assessment.evidence.strip() or d.measures)),
            divergence=diverging.get(d.domain.pk, ""),
            rated_above=d.domain.pk in above,
        )
        for d in view.domains
    ]


def pack_triggers(
    card: CouncilScorecard,
    view: SelfAssessmentView | None,
    *,
    no_assessment: str = "",
    assurance: Assurance | None = None,
) -> list[tr.Trigger]:
    return tr.triggers_find(
        measures=measure_facts(card),
        domains=domain_facts(view),
        self_assessed=view is not None,
        no_assessment=no_assessment,
        statements=assurance.statement_facts() if assurance else (),
        gaps=assurance.own.gaps if assurance else (),
    )


def council_triggers(
    *, council: Council, cycle: SelfAssessmentCycle | None, period: Period | None = None
) -> list[tr.Trigger]:
    """The triggers for the question generator, the same as the pack prints: the scorecard for ``period``
    (the summit's, :func:`peerchallenge.selectors.summit_period`; else the cycle's, else the latest) and
    the submitted (or reopened) self-assessment."""
    if period is None and cycle is not None:
        period = cycle.period
    card = council_scorecard(council=council, period=period)
    assurance = pack_assurance(council=council, cycle=cycle)
    return pack_triggers(card, submitted_view(cycle=cycle, council=council), assurance=assurance)


def submitted_view(*, cycle: SelfAssessmentCycle | None, council: Council) -> SelfAssessmentView | None:
    """The self-assessment beside its data when it has been submitted (or reopened after submission)."""
    if cycle is None:
        return None
    shared = SelfAssessment.objects.filter(
        cycle=cycle,
        council=council,
        status__in=[SelfAssessment.Status.SUBMITTED, SelfAssessment.Status.REOPENED],
    ).exists()
    if not shared:
        return None
    return self_assessment_view(cycle=cycle, council=council, include_previous=False)


def _ranking(overview: RegionOverview | None, council: Council) -> dict[int, list[RankingBar]]:
    """Measure id → the region's councils for that measure, best first (from ``region_overview``)."""
    if overview is None:
        return {}
    result: dict[int, list[RankingBar]] = {}
    for index, measure in enumerate(overview.measures):
        bars = [
            RankingBar(
                name=row.council.name,
                value=row.cells[index].value,
                formatted=row.cells[index].formatted,
                rank=row.cells[index].rank,
                is_subject=row.council.pk == council.pk,
            )
            for row in overview.rows
        ]
        bars.sort(key=lambda b: (b.rank is None, b.rank or 0, b.name))
        result[measure.pk] = bars
    return result


# At most this many measures are charted in a pack. Every measure's figures, trend, rank and comparators are
# in the section 3 tables; a chart and its two data tables cost WeasyPrint as much as two pages of text, and
# a pack with a dozen of them neither reads nor builds quickly (docs/PERFORMANCE.md, "Packs").
CHARTS_MAX = 6


def _chart_blocks(
    *, card: CouncilScorecard, triggers: list[tr.Trigger], ranking: dict[int, list[RankingBar]]
) -> tuple[list[MeasureBlock], list[str]]:
    """Charts for the measures that raised a risk trigger (worst quartile, worsening), at most
    ``CHARTS_MAX``: those that raised both rules first, then in the scorecard's order; the charts are
    printed in the scorecard's order. Returns the blocks and the codes left uncharted."""
    rules: dict[str, int] = {}
    for trigger in triggers:
        if trigger.measure_code:
            fired = len(trigger.kinds or (trigger.kind,))
            rules[trigger.measure_code] = max(rules.get(trigger.measure_code, 0), fired)
    candidates = [(section, row) for section in card.domains for row in section.rows if row.code in rules]
    order = sorted(range(len(candidates)), key=lambda i: (-rules[candidates[i][1].code], i))
    chosen = set(order[:CHARTS_MAX])
    blocks = [
        MeasureBlock(
            row=row,
            domain=section.domain.name if section.domain else "Other measures",
            ranking=ranking.get(row.measure.pk, []),
        )
        for i, (section, row) in enumerate(candidates)
        if i in chosen
    ]
    uncharted = [row.code for i, (_, row) in enumerate(candidates) if i not in chosen]
    return blocks, uncharted


def _attach_trends(*, card: CouncilScorecard, blocks: list[MeasureBlock]) -> None:
    """Each charted measure's trend up to the pack's period: the council's figures, and its region's and
    England's as the scorecard shows them (published, else computed: ``period_stats``, kept per data version,
    so no query once a period's statistics are kept). A real figure is set beside real comparators only."""
    until = card.period.start_year if card.period else None
    periods = [p for p in card.periods if until is None or p.start_year <= until]
    measures = catalogue()[2]
    in_framework = {(m.series, m.framework): m for m in measures}
    council = card.council
    region_name = council.region.name if council.region_id and council.region else ""
    stats = {p.pk: period_stats(period=p) for p in periods} if blocks else {}
    for block in blocks:
        row = block.row
        own = dict(row.trend)
        real_only = not row.is_demo if row.value is not None else not card.data_is_demo
        lines: dict[str, list[Decimal | None]] = {REGION: [], ENGLAND: []}
        for period in periods:
            measure = _measure_in(row.measure, period, in_framework)
            figures = stats[period.pk].measure(measure.pk)
            for key, kind, scope in (
                (REGION, Area.Kind.REGION, council.region_id),
                (ENGLAND, Area.Kind.ENGLAND, ""),
            ):
                found = figures.comparator(kind, scope, real_only=real_only) if scope is not None else None
                lines[key].append(found.value if found else None)
        block.trend_periods = [p.label for p in periods]
        block.trend_lines = [TrendLine(council.name, tuple(own.get(p.label) for p in periods), "council")]
        if region_name and any(v is not None for v in lines[REGION]):
            block.trend_lines.append(TrendLine(region_name, tuple(lines[REGION]), "region"))
        if any(v is not None for v in lines[ENGLAND]):
            block.trend_lines.append(TrendLine("England", tuple(lines[ENGLAND]), "england"))


def pack_reads_warm(*, period: Period | None) -> None:
    """Compute (or fetch) once what every pack of ``period`` reads through the kept reads: the catalogue and
    the statistics of the period and of every period before it (the charts' trends). Called before forking
    pack builders, so each starts with them in its memory instead of reading them again."""
    for each in catalogue()[0]:
        if period is None or each.start_year <= period.start_year:
            period_stats(period=each)


def _measure_in(measure: Measure, period: Period, in_framework: dict[tuple[str, str], Measure]) -> Measure:
    """The measure of ``measure``'s series as published in ``period``'s framework (2A2 in 2022-23, 2C after)."""
    if measure.framework == Framework.LOCAL:
        return measure
    return in_framework.get((measure.series, framework_for_start_year(period.start_year)), measure)


def _pack_questions(
    *,
    question_set: QuestionSet | None,
    generated: list[tr.Trigger],
    bank: list[QuestionBankItem],
    demo: bool = False,
) -> list[PackQuestion]:
    if question_set is not None:
        return [
            PackQuestion(
                domain=q.topic,
                text=q.text,
                evidence=q.evidence,
                is_top=q.is_top,
                source=q.get_source_display(),
                quotes_demo_figures=q.quotes_demo_figures,
            )
            for q in questions_of(question_set=question_set)
        ]
    questions = [
        PackQuestion(
            domain=t.domain,
            text=t.question,
            evidence=t.evidence,
            is_top=False,
            source="From the data",
            quotes_demo_figures=demo,
            strength=t.strength,
        )
        for t in generated
    ]
    questions += [
        PackQuestion(
            domain=b.domain.name, text=b.text, evidence="", is_top=False, source="From the question bank"
        )
        for b in bank
    ]
    return questions


def data_version(*, council: Council) -> str:
    """A short key that changes whenever the figures could have changed: the data version (``core.cache``:
    imports, value, reference-data and comparator-group writes)."""
    return scorecard_data_version()


def pack_version(
    *,
    council: Council,
    period: Period | None,
    summit: Summit | None,
    include_questions: bool,
) -> str:
    """The version key of one pack: the data version, the self-assessment's and the question set's
    updated times, the summit's, CQC's latest outcome for the council and its self-assessments by CQC's
    statements, and the layout version. A new import or an edit makes a new key."""
    cycle = cycle_for(council=council, period=period, summit=summit)
    assessment = (
        SelfAssessment.objects.filter(cycle=cycle, council=council)
        .values_list("updated_at", "version")
        .first()
        if cycle
        else None
    )
    question_set = None
    session = (
        session_for(summit=summit, challenged=council) if summit is not None and include_questions else None
    )
    if session is not None:
        question_set = (
            QuestionSet.objects.filter(summit=summit, challenger=session.challenger, challenged=council)
            .values_list("pk", "updated_at")
            .first()
        )
    bank = (
        QuestionBankItem.objects.filter(cycle=cycle).aggregate(n=Count("pk"), at=Max("updated_at"))
        if cycle
        else None
    )
    # Without a cycle the pack names the period of the council's latest self-assessment (or says there is none).
    others = (
        SelfAssessment.objects.filter(council=council).aggregate(at=Max("updated_at"), n=Count("pk"))
        if cycle is None
        else None
    )
    cqc = (
        CqcAssessment.objects.filter(council=council)
        .order_by("-assessed_on", "-pk")
        .values_list("pk", "updated_at")
        .first()
    )
    by_statements = SelfAssessment.objects.filter(
        council=council, cycle__framework__compared_with_cqc=True
    ).aggregate(at=Max("updated_at"), n=Count("pk"))
    parts = [
        TEMPLATE_VERSION,
        data_version(council=council),
        council.pk,
        period.pk if period else None,
        summit.pk if summit else None,
        summit.updated_at if summit else None,
        cycle.pk if cycle else None,
        assessment,
        others,
        include_questions,
        question_set,
        bank,
        cqc,
        by_statements,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def pack_build_data(
    *,
    council: Council,
    period: Period | None = None,
    summit: Summit | None = None,
    include_questions: bool = True,
    overview_cache: dict | None = None,
    statements_self: StatementSelfAssessment | None = None,
) -> Pack:
    """Everything a pack shows, from the scorecard selectors. ``overview_cache`` shares one region
    overview between the packs of a summit (keyed by region and period). ``statements_self`` is the
    council's self-assessment by CQC's statements when the caller has it (else :func:`statement_self_assessment`
    reads it)."""
    cycle = cycle_for(council=council, period=period, summit=summit) if summit is not None else None
    if period is None and summit is not None:
        period = summit_period(summit=summit)
    card = council_scorecard(council=council, period=period)
    period = card.period
    if summit is None:  # the cycle that compares the figures shown (the latest period's, when none was asked)
        cycle = cycle_for(council=council, period=period, summit=None)
    view = submitted_view(cycle=cycle, council=council)
    no_assessment = (
        "" if view is not None else no_assessment_text(council=council, period=period, cycle=cycle)
    )
    facts = measure_facts(card)
    assurance = pack_assurance(council=council, cycle=cycle, own=statements_self)
    found = tr.triggers_find(
        measures=facts,
        domains=domain_facts(view),
        self_assessed=view is not None,
        no_assessment=no_assessment,
        statements=assurance.statement_facts(),
        gaps=assurance.own.gaps,
    )
    overview = None
    if council.region_id is not None and council.region is not None:
        key = (council.region_id, period.pk if period else None)
        if overview_cache is not None and key in overview_cache:
            overview = overview_cache[key]
        else:
            overview = region_overview(region=council.region, period=period)
            if overview_cache is not None:
                overview_cache[key] = overview
    ranking = _ranking(overview, council)
    blocks, uncharted = _chart_blocks(card=card, triggers=found, ranking=ranking)
    _attach_trends(card=card, blocks=blocks)
    neighbours, source = neighbour_group(council=council, group=card.neighbour_group)
    session = session_for(summit=summit, challenged=council) if summit is not None else None
    question_set = (
        question_set_get(summit=summit, challenger=session.challenger, challenged=council)
        if summit is not None and session is not None
        else None
    )
    bank = question_bank(cycle=cycle) if cycle is not None else []
    questions = (
        _pack_questions(question_set=question_set, generated=found, bank=bank, demo=card.data_is_demo)
        if include_questions
        else []
    )
    return Pack(
        council=council,
        period=period,
        summit=summit,
        session=session,
        card=card,
        cycle=cycle,
        self_assessment=view,
        blocks=blocks,
        uncharted=uncharted,
        triggers=found,
        questions=questions,
        questions_shown=include_questions,
        data_version=data_version(council=council),
        generated_at=timezone.now(),
        data_is_demo=card.data_is_demo,
        region_overview_demo=bool(overview and overview.data_is_demo),
        self_assessment_is_demo=bool(view and view.assessment and view.assessment.is_demo),
        summit_is_demo=bool(summit and summit.is_demo),
        neighbours=neighbours,
        neighbour_source=source,
        brief=pack_brief(card=card, view=view, due={f.code: f.published for f in facts}),
        no_assessment=no_assessment,
        chosen_by_challenger=question_set is not None,
        assurance=assurance,
    )


def no_assessment_text(*, council: Council, period: Period | None, cycle: SelfAssessmentCycle | None) -> str:
    """Why no self-assessment sits beside the figures, in a sentence: none submitted for the cycle; or (outside
    a summit, no cycle comparing these figures) which period the council's latest one compares, or that it
    has none at all. One query."""
    if cycle is not None:
        return f"{council.name} has not submitted a self-assessment for {cycle.name}."
    latest = (
        SelfAssessment.objects.filter(
            council=council, status__in=[SelfAssessment.Status.SUBMITTED, SelfAssessment.Status.REOPENED]
        )
        .select_related("cycle__period")
        .order_by("-cycle__closes_on")
        .first()
    )
    label = period.label if period else "these"
    if latest is None:
        return f"{council.name} has not submitted a self-assessment in any cycle yet."
    return (
        f"No self-assessment compares the {label} figures. {council.name}'s latest, for {latest.cycle.name}, "
        f"compares the {latest.cycle.period.label} figures: see that period's pack."
    )


NEIGHBOUR_SOURCES = {
    GROUP_REAL: "The councils most like this one in population, need and circumstances, from the "
    "published nearest-neighbour model the region loaded (such as CIPFA's).",
    GROUP_DEMO: "A made-up demonstration group: not a real comparator group.",
    GROUP_NONE: "No comparator group is loaded, so there is no comparison with similar councils.",
}


def neighbour_group(*, council: Council, group: str) -> tuple[list[str], str]:
    """The names (or GSS codes) of the council's comparator group as the scorecard uses it, and its source."""
    rows = list(
        NearestNeighbour.objects.filter(council=council, is_demo=group == GROUP_DEMO)
        .order_by("position")
        .values_list("neighbour_gss_code", flat=True)
    )
    names = dict(Council.objects.filter(gss_code__in=rows).values_list("gss_code", "name"))
    return [names.get(code, code) for code in rows], NEIGHBOUR_SOURCES.get(group, "")
