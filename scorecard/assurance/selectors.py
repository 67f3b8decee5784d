"""Reading CQC's published outcomes: a council's latest and older ones, a region's councils side by side."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from councils.models import Council, Region
from scorecard.assurance.models import CqcAssessment
from scorecard.models import Period
from scorecard.scorecards.selectors import CouncilScorecard, ScorecardRow, council_scorecard


def cqc_assessments_for_council(*, council: Council) -> list[CqcAssessment]:
    """Every outcome of the council, latest first (the first is its current one)."""
    return list(CqcAssessment.objects.filter(council=council).order_by("-assessed_on", "-pk"))


def cqc_latest_for_council(*, council: Council) -> CqcAssessment | None:
    return CqcAssessment.objects.filter(council=council).order_by("-assessed_on", "-pk").first()


@dataclass(frozen=True)
class RegionCqcRow:
    council: Council
    assessment: CqcAssessment | None


def cqc_latest_by_council(*, councils: list[Council]) -> dict[int, CqcAssessment]:
    """Council id → its latest outcome, for those with one: one query."""
    latest: dict[int, CqcAssessment] = {}
    for assessment in CqcAssessment.objects.filter(council__in=councils).order_by(
        "council_id", "-assessed_on", "-pk"
    ):
        latest.setdefault(assessment.council_id, assessment)
    return latest


def cqc_region_rows(*, region: Region) -> list[RegionCqcRow]:
    """Each current council of the region with its latest outcome (None if none is recorded): two queries."""
    councils = list(Council.objects.filter(region=region, status=Council.Status.CURRENT).order_by("name"))
    latest = cqc_latest_by_council(councils=councils)
    for council in councils:
        if council.pk in latest:
            latest[council.pk].council = council  # no query for the council again
    return [RegionCqcRow(council, latest.get(council.pk)) for council in councils]


@dataclass(frozen=True)
class StatementEvidence:
    """The council's scorecard (its period, demo flag) and, per CQC statement number, the scorecard's own rows
    for the measures the catalogue says inform it, in the scorecard's order."""

    scorecard: CouncilScorecard
    by_statement: dict[int, list[ScorecardRow]]


def cqc_statement_evidence(*, council: Council, period: Period | None = None) -> StatementEvidence:
    """The measures informing each of CQC's statements (``Measure.cqc_statements``), with the council's figure,
    RAG and rank exactly as its scorecard shows them (``council_scorecard``: a fixed number of queries)."""
    scorecard = council_scorecard(council=council, period=period)
    by_statement: dict[int, list[ScorecardRow]] = {}
    for row in scorecard.rows:
        for number in row.measure.cqc_statements:
            by_statement.setdefault(number, []).append(row)
    return StatementEvidence(scorecard=scorecard, by_statement=by_statement)


@dataclass(frozen=True)
class SelfScores:
    """A council's own scores on CQC's statements, as the app that records them gives them to one viewer."""

    label: str  # what they come from, e.g. "Self-assessment, 2026-27 peer challenge (submitted)"
    url: str
    scores: dict[int, int | None]  # statement number → score (None: not scored)
    is_demo: bool = False


# The self-assessment app sits above scorecard: it registers (in its ``AppConfig.ready()``) the function that
# finds a council's self-scores for a viewer, so the council's CQC page can set them beside CQC's.
SelfScoresSource = Callable[..., SelfScores | None]
_SELF_SCORE_SOURCES: list[SelfScoresSource] = []


def self_scores_source_register(source: SelfScoresSource) -> None:
    """Have the council's CQC page ask ``source(council=…, viewer=…)`` for the council's self-scores."""
    if source not in _SELF_SCORE_SOURCES:
        _SELF_SCORE_SOURCES.append(source)


def cqc_self_scores(*, council: Council, viewer: Any) -> SelfScores | None:
    """The council's own scores on CQC's statements that ``viewer`` may read (None: none, or none readable)."""
    for source in _SELF_SCORE_SOURCES:
        found = source(council=council, viewer=viewer)
        if found is not None:
            return found
    return None
