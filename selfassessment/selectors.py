"""Reads for self-assessments: cycles, one council's self-assessment beside its data, ratings, history.

The data side of "view against data" comes from :func:`scorecard.scorecards.selectors.council_scorecard` for the
cycle's data period (the same RAG as the scorecard), and the comparison from
:func:`scorecard.scoring.view_against_data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from councils.models import Council, Region
from scorecard import scoring
from scorecard.assurance.selectors import SelfScores, cqc_latest_for_council
from scorecard.catalogue import framework_for_start_year
from scorecard.models import Domain, Framework, Measure
from scorecard.scorecards.selectors import council_scorecard
from selfassessment.frameworks import SIX_DOMAINS
from selfassessment.models import (
    DomainAssessment,
    FrameworkStatement,
    SelfAssessment,
    SelfAssessmentCycle,
    SelfAssessmentFramework,
    StatementAssessment,
)
from selfassessment.prompts import TEASC_AREAS


@dataclass
class DomainView:
    domain: Domain
    prompt: str
    assessment: DomainAssessment | None
    measures: list[Measure]  # measures the council relied on, in catalogue order
    previous: DomainAssessment | None  # the same domain in the previous cycle (when readable)
    data: scoring.ViewAgainstData
    data_measure_count: int  # measures of the domain in the data period, with or without a RAG

    @property
    def rating(self) -> str:
        return self.assessment.rating if self.assessment else ""


@dataclass
class StatementView:
    statement: FrameworkStatement
    assessment: StatementAssessment | None
    measures: list[Measure]  # measures the council cited, in catalogue order
    previous: StatementAssessment | None  # the same statement in the previous cycle (when readable)
    data: scoring.ViewAgainstData  # the score beside the RAG of the measures it cites

    @property
    def score(self) -> int | None:
        return self.assessment.score if self.assessment else None

    @property
    def score_words(self) -> str:
        return scoring.CQC_SCORE_WORDS.get(self.score or 0, "")

    @property
    def actions(self) -> list[dict[str, str]]:
        """What, owner and by when, with ``due_label`` the date as a reader writes it ("31 March 2027")."""
        return [
            {**a, "due_label": due_label(a.get("due", ""))}
            for a in (self.assessment.actions if self.assessment else [])
        ]


@dataclass
class SelfAssessmentView:
    cycle: SelfAssessmentCycle
    council: Council
    assessment: SelfAssessment | None
    previous_cycle: SelfAssessmentCycle | None
    previous_assessment: SelfAssessment | None
    domains: list[DomainView]  # a framework of the six domains; empty for one of statements
    data_is_demo: bool
    statements: list[StatementView] = field(default_factory=list)  # a framework of statements

    @property
    def divergences(self) -> list[DomainView]:
        return [d for d in self.domains if d.data.divergence is not None]

    @property
    def statement_divergences(self) -> list[StatementView]:
        return [s for s in self.statements if s.data.divergence is not None]

    @property
    def by_statements(self) -> bool:
        return self.cycle.framework.by_statements

    @property
    def implied(self) -> tuple[Decimal, scoring.CqcRating] | None:
        """The percentage and the rating CQC's thresholds give the scores, once every statement is scored."""
        if not self.statements:
            return None
        return scoring.cqc_scores_rating(s.score for s in self.statements)


@dataclass
class ScorecardSelfRating:
    """A submitted self-rating shown in a scorecard domain panel."""

    cycle_name: str
    url: str
    data: scoring.ViewAgainstData


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str  # "Self-assessment" or the domain name
    action: str  # Created / Changed / Deleted
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    reason: str = ""


# --- Cycles -----------------------------------------------------------------------------------------


def cycles_for_region(*, region: Region) -> list[SelfAssessmentCycle]:
    """The region's cycles, latest closing date first."""
    return list(
        SelfAssessmentCycle.objects.filter(region=region)
        .select_related("period", "region", "framework")
        .order_by("-closes_on", "-pk")
    )


def cycle_for_region(*, region: Region, slug: str | None = None) -> SelfAssessmentCycle | None:
    """The region's cycle with ``slug``; the latest (by closing date) when ``slug`` is None."""
    cycles = SelfAssessmentCycle.objects.filter(region=region).select_related("period", "region", "framework")
    if slug:
        return cycles.filter(slug=slug).first()
    return cycles.order_by("-closes_on", "-pk").first()


def open_cycle_for_region(*, region: Region) -> SelfAssessmentCycle | None:
    """The region's open cycle (the one closing last, should several be open)."""
    return (
        SelfAssessmentCycle.objects.filter(region=region, state=SelfAssessmentCycle.State.OPEN)
        .select_related("period", "region", "framework")
        .order_by("-closes_on", "-pk")
        .first()
    )


def previous_cycle(*, cycle: SelfAssessmentCycle) -> SelfAssessmentCycle | None:
    """The region's cycle on the same framework that closed last before ``cycle``."""
    return (
        SelfAssessmentCycle.objects.filter(
            region_id=cycle.region_id, framework_id=cycle.framework_id, closes_on__lt=cycle.closes_on
        )
        .select_related("period", "region", "framework")
        .order_by("-closes_on", "-pk")
        .first()
    )


def framework_default() -> SelfAssessmentFramework:
    """The framework a cycle is opened on unless another is chosen: the six domains."""
    return SelfAssessmentFramework.objects.get(slug=SIX_DOMAINS)


def frameworks() -> list[SelfAssessmentFramework]:
    return list(SelfAssessmentFramework.objects.order_by("position", "name"))


def default_prompts() -> dict[str, str]:
    """Each domain's "areas to consider" (TEASC risk awareness tool), keyed by domain slug."""

    return {d.slug: TEASC_AREAS.get(d.slug, d.description) for d in Domain.objects.all()}


@dataclass
class CycleRow:
    council: Council
    assessment: SelfAssessment | None


def cycle_statuses(*, cycle: SelfAssessmentCycle) -> list[CycleRow]:
    """Every council of the cycle's region with its self-assessment (None: not started). Two queries."""
    by_council = {a.council_id: a for a in SelfAssessment.objects.filter(cycle=cycle)}
    councils = Council.objects.filter(region_id=cycle.region_id).select_related("region").order_by("name")
    return [CycleRow(c, by_council.get(c.pk)) for c in councils]


@dataclass
class CycleReturns:
    """Where the councils' returns stand in a cycle: submitted, in draft (or reopened), not started, and the
    submitted ones whose council asks for them to be reopened."""

    cycle: SelfAssessmentCycle
    rows: list[CycleRow]

    def _councils(self, *statuses: str) -> list[Council]:
        return [r.council for r in self.rows if r.assessment is not None and r.assessment.status in statuses]

    @property
    def submitted(self) -> list[Council]:
        return self._councils(SelfAssessment.Status.SUBMITTED)

    @property
    def in_progress(self) -> list[Council]:
        """Drafts and reopened ones: started, not (or no longer) submitted."""
        return self._councils(SelfAssessment.Status.DRAFT, SelfAssessment.Status.REOPENED)

    @property
    def not_started(self) -> list[Council]:
        return [r.council for r in self.rows if r.assessment is None]

    @property
    def reopen_requests(self) -> list[SelfAssessment]:
        return [
            r.assessment for r in self.rows if r.assessment is not None and r.assessment.has_reopen_request
        ]

    @property
    def complete(self) -> bool:
        return bool(self.rows) and len(self.submitted) == len(self.rows)


def cycle_returns(*, cycle: SelfAssessmentCycle, councils: list[Council] | None = None) -> CycleReturns:
    """The returns of ``councils`` (default: the region's current councils) in ``cycle``: one query more."""
    if councils is None:
        councils = list(
            Council.objects.filter(region_id=cycle.region_id)
            .exclude(status=Council.Status.FORMER)
            .select_related("region")
            .order_by("name")
        )
    by_council = {
        a.council_id: a
        for a in SelfAssessment.objects.filter(
            cycle=cycle, council__in=[c.pk for c in councils]
        ).select_related("reopen_requested_by")
    }
    rows = [CycleRow(c, by_council.get(c.pk)) for c in sorted(councils, key=lambda c: c.name)]
    return CycleReturns(cycle=cycle, rows=rows)


# --- One self-assessment ----------------------------------------------------------------------------


def self_assessment_for(*, cycle: SelfAssessmentCycle, council: Council) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(cycle=cycle, council=council)
        .select_related("cycle__period", "cycle__region", "council__region", "submitted_by", "reopened_by")
        .first()
    )


def self_assessment_missing(*, assessment: SelfAssessment | None) -> list[str]:
    """What stops the self-assessment being submitted: domains without a rating, risks not given."""
    if assessment is None:
        return ["Nothing has been saved yet"]
    framework = assessment.cycle.framework
    if framework.by_statements:
        scored = {s.statement_id for s in assessment.statements.all() if s.score}
        missing = [f"{s} has no score" for s in framework.statements.all() if s.pk not in scored]
    else:
        rated = {d.domain_id for d in assessment.domains.all() if d.rating}
        missing = [f"{d.name} has no rating" for d in Domain.objects.all() if d.pk not in rated]
    for number, risk in enumerate(assessment.top_risks, start=1):
        if not risk.strip():
            missing.append(f"Risk {number} is not given")
    return missing


def domain_data_summaries(*, cycle: SelfAssessmentCycle, council: Council) -> dict[int, str]:
    """Domain id → what the council's data for the cycle's period says, in one sentence, for the page where a
    rating is chosen: the RAG counts of the domain's measures (the scorecard's, read once)."""
    card = council_scorecard(council=council, period=cycle.period)
    result = {}
    for section in card.domains:
        if section.domain is None:
            continue
        s = section.summary
        rated = s.green + s.amber + s.red
        if not rated:
            result[section.domain.pk] = (
                f"Your data for {cycle.period}: no measure in this domain has a red, amber or green rating."
            )
            continue
        result[section.domain.pk] = (
            f"Your data for {cycle.period}: {s.green} green, {s.amber} amber and {s.red} red, of the "
            f"{rated} measure{'s' if rated != 1 else ''} with a rating."
        )
    return result


def _with_domains(queryset, by_statements: bool = False):  # type: ignore[no-untyped-def]
    """The self-assessments with their domain ratings (or, ``by_statements``, statement scores) and measures."""
    in_order = Prefetch("measures", queryset=Measure.objects.order_by("framework", "position", "code"))
    if by_statements:
        scored = StatementAssessment.objects.select_related("statement").prefetch_related(in_order)
        return queryset.prefetch_related(Prefetch("statements", queryset=scored))
    rated = DomainAssessment.objects.select_related("domain").prefetch_related(in_order)
    return queryset.prefetch_related(Prefetch("domains", queryset=rated))


def _statement_views(
    *, cycle: SelfAssessmentCycle, current: SelfAssessment | None, previous: SelfAssessment | None, card: Any
) -> list[StatementView]:
    """Each statement of the cycle's framework: the council's score beside the RAG of the measures it cites."""
    rags = {row.measure.pk: row.rag for row in card.rows}
    mine = {s.statement_id: s for s in current.statements.all()} if current else {}
    before = {s.statement_id: s for s in previous.statements.all()} if previous else {}
    views = []
    for statement in cycle.framework.statements.all():
        assessed = mine.get(statement.pk)
        measures = list(assessed.measures.all()) if assessed else []
        colours = [rags.get(m.pk) for m in measures]
        views.append(
            StatementView(
                statement=statement,
                assessment=assessed,
                measures=measures,
                previous=before.get(statement.pk),
                data=scoring.statement_against_data(
                    score=assessed.score if assessed else None,
                    green=colours.count(scoring.RAG.GREEN),
                    amber=colours.count(scoring.RAG.AMBER),
                    red=colours.count(scoring.RAG.RED),
                ),
            )
        )
    return views


def self_assessment_view(
    *,
    cycle: SelfAssessmentCycle,
    council: Council,
    assessment: SelfAssessment | None = None,
    include_previous: bool = True,
) -> SelfAssessmentView:
    """A council's self-assessment for ``cycle``, each domain beside its data and the previous cycle.

    ``assessment`` may be passed when already read (it is then re-read with its domains).
    """

    by_statements = cycle.framework.by_statements
    current = _with_domains(
        SelfAssessment.objects.filter(cycle=cycle, council=council), by_statements
    ).first()
    earlier = previous_cycle(cycle=cycle) if include_previous else None
    previous = (
        _with_domains(SelfAssessment.objects.filter(cycle=earlier, council=council), by_statements).first()
        if earlier
        else None
    )
    card = council_scorecard(council=council, period=cycle.period)
    if by_statements:
        return SelfAssessmentView(
            cycle=cycle,
            council=council,
            assessment=current,
            previous_cycle=earlier,
            previous_assessment=previous,
            domains=[],
            data_is_demo=card.data_is_demo or bool(current and current.is_demo),
            statements=_statement_views(cycle=cycle, current=current, previous=previous, card=card),
        )
    sections = {s.domain.pk: s for s in card.domains if s.domain is not None}
    mine = {d.domain_id: d for d in current.domains.all()} if current else {}
    before = {d.domain_id: d for d in previous.domains.all()} if previous else {}
    prompts = cycle.prompts or {}
    views: list[DomainView] = []
    for section in card.domains:
        domain = section.domain
        if domain is None:
            continue
        assessed = mine.get(domain.pk)
        summary = sections[domain.pk].summary
        views.append(
            DomainView(
                domain=domain,
                prompt=prompts.get(domain.slug, ""),
                assessment=assessed,
                measures=list(assessed.measures.all()) if assessed else [],
                previous=before.get(domain.pk),
                data=scoring.view_against_data(
                    rating=assessed.rating if assessed else None,
                    green=summary.green,
                    amber=summary.amber,
                    red=summary.red,
                ),
                data_measure_count=len(section.rows),
            )
        )
    return SelfAssessmentView(
        cycle=cycle,
        council=council,
        assessment=current,
        previous_cycle=earlier,
        previous_assessment=previous,
        domains=views,
        data_is_demo=card.data_is_demo or bool(current and current.is_demo),
    )


def divergence_flags(*, cycle: SelfAssessmentCycle, council: Council) -> list[DomainView]:
    """The domains where the council's submitted self-rating and its data disagree.

    For the challenge pack and the pro-forma generator: each is a risk trigger ("self-rated green; 4 of
    its 6 measures with a colour are red"). Empty when the self-assessment is not submitted.
    """
    found = SelfAssessment.objects.filter(
        cycle=cycle, council=council, status=SelfAssessment.Status.SUBMITTED
    ).exists()
    if not found:
        return []
    return self_assessment_view(cycle=cycle, council=council, include_previous=False).divergences


def self_ratings_for_cycle(*, cycle: SelfAssessmentCycle) -> dict[str, dict[str, str | None]]:
    """Submitted self-ratings of the cycle: council GSS code → domain slug → green/amber/red (None: unrated).

    One query. Drafts and reopened self-assessments are left out. For pairing complementary councils.
    """
    result: dict[str, dict[str, str | None]] = {}
    rows = DomainAssessment.objects.filter(
        self_assessment__cycle=cycle, self_assessment__status=SelfAssessment.Status.SUBMITTED
    ).values_list("self_assessment__council__gss_code", "domain__slug", "rating")
    for gss, slug, rating in rows:
        result.setdefault(gss, {})[slug] = rating or None
    return result


def measure_choices(*, cycle: SelfAssessmentCycle) -> list[tuple[Domain | None, list[Measure]]]:
    """Catalogue measures a council may cite, grouped by domain: the cycle period's framework, the national
    measures of other publishers and local ones."""

    framework = framework_for_start_year(cycle.period.start_year)
    measures = list(
        Measure.objects.filter(framework__in=[framework, Framework.NATIONAL, Framework.LOCAL])
        .select_related("domain")
        .order_by("domain__position", "framework", "position", "code")
    )
    measures = [
        m for m in measures if m.framework != Framework.LOCAL or m.owner_region_id in (None, cycle.region_id)
    ]
    groups: dict[int | None, tuple[Domain | None, list[Measure]]] = {}
    for measure in measures:
        groups.setdefault(measure.domain_id, (measure.domain, []))[1].append(measure)
    return list(groups.values())


# --- The scorecard panels ---------------------------------------------------------------------------


def attach_self_ratings(*, sections: list, council: Council, period, viewer) -> None:  # type: ignore[no-untyped-def]
    """Set ``section.self_rating`` on scorecard sections from the council's submitted self-assessment.

    One query: the domain ratings of the latest submitted self-assessment whose cycle compares with
    ``period``. Nothing is set when there is none or ``viewer`` may not read it.
    """
    if period is None:
        return
    rows = list(
        DomainAssessment.objects.filter(
            self_assessment__council=council,
            self_assessment__status=SelfAssessment.Status.SUBMITTED,
            self_assessment__cycle__period=period,
        )
        .select_related("self_assessment__cycle")
        .order_by("-self_assessment__cycle__closes_on", "-self_assessment__cycle_id")
    )
    if not rows:
        return
    assessment = rows[0].self_assessment
    assessment.council = council  # for the permission rules, without a query
    if not viewer.has_perm("selfassessment.view_selfassessment", assessment):
        return
    ratings = {r.domain_id: r.rating for r in rows if r.self_assessment_id == assessment.pk}
    cycle = assessment.cycle
    url = reverse("selfassessment:detail", args=[council.gss_code, cycle.slug])
    for section in sections:
        if section.domain is None or section.domain.pk not in ratings:
            continue
        summary = section.summary
        section.self_rating = ScorecardSelfRating(
            cycle_name=cycle.name,
            url=url,
            data=scoring.view_against_data(
                rating=ratings[section.domain.pk], green=summary.green, amber=summary.amber, red=summary.red
            ),
        )


# --- History ----------------------------------------------------------------------------------------

# Bookkeeping the entry itself already says (who, when) or that means nothing to a reader.
_HIDDEN_FIELDS = {
    "version",
    "updated_at",
    "updated_by",
    "submitted_at",
    "submitted_by",
    "reopened_at",
    "reopened_by",
    "is_demo",
    "id",
    "self_assessment",
    "domain",
    "statement",
    "cycle",
    "council",
}


def _display(value: Any, measure_codes: dict[int, str]) -> str:
    if isinstance(value, list) and all(isinstance(v, dict) and "what" in v for v in value) and value:
        return "; ".join(_action_text(v) for v in value)
    if isinstance(value, list):  # m2m: the through-table rows
        codes = sorted(measure_codes.get(v.get("measure") or 0, "?") for v in value if isinstance(v, dict))
        return ", ".join(codes) or "(none)"
    if value is None or value == "":
        return "(blank)"
    return str(value)


def _entries(records: list, *, what, measure_codes: dict[int, str]) -> list[HistoryEntry]:  # type: ignore[no-untyped-def]
    entries: list[HistoryEntry] = []
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    for object_records in by_object.values():
        object_records.sort(key=lambda r: (r.history_date, r.history_id))
        for index, record in enumerate(object_records):
            who = str(record.history_user) if record.history_user else "System"
            action = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
            changes: list[tuple[str, str, str]] = []
            if index:
                delta = record.diff_against(object_records[index - 1])
                for change in delta.changes:
                    if change.field in _HIDDEN_FIELDS:
                        continue
                    changes.append(
                        (
                            change.field.replace("_", " "),
                            _display(change.old, measure_codes),
                            _display(change.new, measure_codes),
                        )
                    )
                if not changes:
                    continue
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=who,
                    what=what(record),
                    action=action,
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
    return entries


def self_assessment_history(*, assessment: SelfAssessment) -> list[HistoryEntry]:
    """Every recorded change to the self-assessment and its domains: who, when, what, newest first."""
    domains = {d.pk: d.name for d in Domain.objects.all()}
    main = list(assessment.history.select_related("history_user").order_by("history_date"))
    parts = list(
        DomainAssessment.history.filter(self_assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date")
    )
    statements = {
        s.pk: str(s) for s in FrameworkStatement.objects.filter(framework_id=assessment.cycle.framework_id)
    }
    scored = list(
        StatementAssessment.history.filter(self_assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date")
    )
    codes = dict(Measure.objects.values_list("pk", "code"))
    entries = (
        _entries(main, what=lambda r: "Self-assessment", measure_codes=codes)
        + _entries(parts, what=lambda r: domains.get(r.domain_id, "Domain"), measure_codes=codes)
        + _entries(scored, what=lambda r: statements.get(r.statement_id, "Statement"), measure_codes=codes)
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def due_label(due: str) -> str:
    """An action's date ("2027-03-31") as a reader writes it ("31 March 2027"); "" for none."""
    try:
        return f"{date.fromisoformat(due):%-d %B %Y}" if due else ""
    except ValueError:
        return due


def _action_text(action: dict[str, str]) -> str:
    parts = [action.get("what", "") or "(no action)"]
    if action.get("owner"):
        parts.append(f"owner {action['owner']}")
    if action.get("due"):
        parts.append(f"by {due_label(action['due'])}")
    return ", ".join(parts)


# --- Assurance: the council's view of itself beside CQC's -------------------------------------------


@dataclass(frozen=True)
class AssuranceGap:
    """A statement the council scored higher than CQC's latest published score."""

    number: int
    name: str
    self_score: int
    cqc_score: int


def cqc_self_assessment_latest(*, council: Council, viewer: Any = None) -> SelfAssessment | None:
    """The council's latest self-assessment on a framework compared with CQC's (by its cycle's closing date).

    With ``viewer``: the latest they may read, whatever its status. Without: the latest shared one (submitted,
    or reopened after submission), as a pack or anyone beyond the council reads it. Two queries, and one
    permission check a self-assessment (newest first) while the viewer may not read it.
    """
    found = (
        SelfAssessment.objects.filter(council=council, cycle__framework__compared_with_cqc=True)
        .select_related("cycle__framework", "cycle__region", "council__region")
        .prefetch_related(
            Prefetch("statements", queryset=StatementAssessment.objects.select_related("statement"))
        )
        .order_by("-cycle__closes_on", "-cycle_id")
    )
    if viewer is None:
        return found.filter(
            status__in=[SelfAssessment.Status.SUBMITTED, SelfAssessment.Status.REOPENED]
        ).first()
    for assessment in found:
        if viewer.has_perm("selfassessment.view_selfassessment", assessment):
            return assessment
    return None


def statement_scores(*, assessment: SelfAssessment) -> dict[int, int | None]:
    """Statement number → the council's score (None: not scored), for every statement of its framework."""
    scored = {s.statement.number: s.score for s in assessment.statements.all()}
    return {s.number: scored.get(s.number) for s in assessment.cycle.framework.statements.all()}


def assurance_gaps(*, council: Council, viewer: Any = None) -> list[AssuranceGap]:
    """The statements where the council scored itself higher than CQC's latest published score, in CQC's
    order; empty with no CQC outcome or no self-assessment on CQC's framework (see
    :func:`cqc_self_assessment_latest` for which self-assessment, and ``viewer``)."""
    assessment = cqc_self_assessment_latest(council=council, viewer=viewer)
    cqc = cqc_latest_for_council(council=council)
    if assessment is None or cqc is None:
        return []
    return assurance_gaps_between(assessment=assessment, cqc_scores=cqc.scores)


def assurance_gaps_between(*, assessment: SelfAssessment, cqc_scores: tuple[int, ...]) -> list[AssuranceGap]:
    """The gaps between one self-assessment on CQC's framework and CQC's nine scores (in CQC's order)."""
    names = {s.number: s.name for s in assessment.cycle.framework.statements.all()}
    own = statement_scores(assessment=assessment)
    return [
        AssuranceGap(number=number, name=names.get(number, ""), self_score=own_score, cqc_score=cqc_score)
        for number, cqc_score in enumerate(cqc_scores, start=1)
        if (own_score := own.get(number)) is not None and own_score > cqc_score
    ]


def assurance_self_scores(*, council: Council, viewer: Any) -> SelfScores | None:
    """The council's latest self-assessment on CQC's framework that ``viewer`` may read, as the council's CQC
    page sets it beside CQC's scores (registered with it in ``apps.py``)."""
    assessment = cqc_self_assessment_latest(council=council, viewer=viewer)
    if assessment is None:
        return None
    return SelfScores(
        label=f"its self-assessment, {assessment.cycle.name} ({assessment.get_status_display().lower()})",
        url=assessment.get_absolute_url(),
        scores=statement_scores(assessment=assessment),
        is_demo=assessment.is_demo,
    )
