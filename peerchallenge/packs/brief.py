"""The pack's first page: what a director needs from the figures, read from what the pack already holds.

Pure: it reads the council's scorecard rows and the self-assessment beside its data (both already fetched
for the pack), never the database. The headline concerns are the measures furthest behind England and the
council's nearest neighbours; the strengths the furthest ahead; measures collected from no council that year
(a biennial survey's gap year) are one line, never a question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from scorecard import scoring
from scorecard.figures import ENGLAND
from scorecard.scorecards.selectors import CouncilScorecard, ScorecardRow
from selfassessment.selectors import SelfAssessmentView

CONCERNS_MAX = 4
STRENGTHS_MAX = 3
GAP_CAP = Decimal("7.5")  # a gap beyond the commentary's last band counts no more than it
SURVEY_GAP_NOTE = {
    "SACE": "the survey of carers runs every two years",
}


@dataclass(frozen=True)
class BriefRow:
    code: str
    title: str
    figure: str
    england: str
    neighbours: str  # the nearest neighbours' median, "" without a comparator group
    words: str  # the comparison in words: "worst quarter in England; much worse than similar councils; …"


@dataclass
class Brief:
    concerns: list[BriefRow] = field(default_factory=list)
    strengths: list[BriefRow] = field(default_factory=list)
    rated_above: list[tuple[str, str]] = field(default_factory=list)  # (domain, what the data shows)
    not_due: list[str] = field(default_factory=list)  # "1D Carer-reported quality of life score"
    not_due_reason: str = ""  # why they have no figure, when the catalogue knows
    not_due_codes: frozenset[str] = frozenset()
    gaps: list[str] = field(default_factory=list)  # due, but the council has no figure


def _gap(row: ScorecardRow, comparison: str) -> Decimal:
    commentary = row.commentary
    if commentary is None or commentary.comparison != comparison:
        return Decimal(0)
    if commentary.gap_mads is None:  # the neighbours all share one figure: any difference is a long way
        return GAP_CAP
    return min(abs(commentary.gap_mads), GAP_CAP)


def _score(row: ScorecardRow, *, good: bool) -> Decimal | None:
    """How far ahead (``good``) or behind the measure is; None when it is neither a strength nor a concern."""
    if row.value is None or not scoring.has_polarity(row.measure.polarity):
        return None
    quartile = 1 if good else 4
    in_quartile = row.quartile_england == quartile
    gap = _gap(row, "better" if good else "worse")
    if not in_quartile and gap <= 1:
        return None
    moved = scoring.Direction.IMPROVING if good else scoring.Direction.WORSENING
    return Decimal(3) * in_quartile + gap + (row.direction is moved)


def _words(row: ScorecardRow, *, good: bool) -> str:
    parts = []
    if row.quartile_england == (1 if good else 4):
        parts.append(f"{'best' if good else 'worst'} quarter in England")
    commentary = row.commentary
    if commentary is not None and commentary.comparison in ("better", "worse"):
        if commentary.phrase:
            parts.append(f"{commentary.phrase} similar councils")
        else:  # beyond the commentary's bands
            parts.append(f"a long way {'ahead of' if good else 'behind'} similar councils")
    if row.direction is scoring.Direction.WORSENING:
        parts.append(f"worse than last year's {row.previous_formatted}")
    elif row.direction is scoring.Direction.IMPROVING:
        parts.append(f"better than last year's {row.previous_formatted}")
    return "; ".join(parts)


def _brief_row(row: ScorecardRow, *, good: bool) -> BriefRow:
    england = row.comparators.get(ENGLAND)
    commentary = row.commentary
    return BriefRow(
        code=row.code,
        title=row.measure.title,
        figure=row.formatted,
        england=england.formatted if england is not None and england.value is not None else "–",
        neighbours=scoring.format_value(
            commentary.median,
            unit=row.measure.unit,
            decimal_places=row.measure.decimal_places,
            scale_max=row.measure.scale_max,
        )
        if commentary is not None
        else "–",
        words=_words(row, good=good),
    )


def _headline(rows: list[ScorecardRow], *, good: bool, count: int) -> list[BriefRow]:
    scored = [(score, i, row) for i, row in enumerate(rows) if (score := _score(row, good=good)) is not None]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [_brief_row(row, good=good) for _, _, row in scored[:count]]


def pack_brief(*, card: CouncilScorecard, view: SelfAssessmentView | None, due: dict[str, bool]) -> Brief:
    """The brief's figures. ``due`` maps each measure code to whether it was collected for the period (see
    ``selectors.row_was_due``)."""
    rows = card.rows
    not_due = [row for row in rows if not due.get(row.code, True)]
    sources = {row.measure.source.upper() for row in not_due}
    reason = SURVEY_GAP_NOTE.get(next(iter(sources)), "") if len(sources) == 1 else ""
    rated_above = []
    if view is not None:
        for domain in view.domains:
            if domain.data.divergence is scoring.Divergence.RATED_BETTER:
                rated_above.append((domain.domain.name, domain.data.text))
    return Brief(
        concerns=_headline(rows, good=False, count=CONCERNS_MAX),
        strengths=_headline(rows, good=True, count=STRENGTHS_MAX),
        rated_above=rated_above,
        not_due=[f"{row.code} {row.measure.title}" for row in not_due],
        not_due_reason=reason,
        not_due_codes=frozenset(row.code for row in not_due),
        gaps=[
            f"{row.code} {row.measure.title} ({row.formatted})"
            for row in rows
            if row.value is None and due.get(row.code, True)
        ],
    )
