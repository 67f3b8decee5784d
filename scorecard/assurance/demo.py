"""Synthetic CQC outcomes for demo mode: deterministic, plausible, flagged ``is_demo`` and shown as demo data.

Each current council of the region gets one outcome. Its scores come from a generator seeded by its GSS code
(so a second run changes nothing): a council-wide level, mostly 2s and 3s as CQC's published scores are, with an
occasional 1 or 4; the month falls between April 2024 and November 2025; the rating is the one the scores give
under CQC's rule. No report address is made up. A council with a real outcome keeps it: demo data never joins
or replaces a real one (``services.cqc_assessment_save``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from councils.models import Council, Region
from scorecard.assurance.models import CqcAssessment
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.scoring import CQC_STATEMENTS, cqc_rating


@dataclass
class CqcDemoSummary:
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})

    def __str__(self) -> str:
        c = self.counts
        return (
            f"Demo CQC outcomes: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged."
        )


def demo_scores(gss_code: str) -> tuple[int, ...]:
    """Nine plausible scores for a council, the same every time for the same code."""
    rng = random.Random(f"cqc-demo|{gss_code}")
    level = rng.choice((2.2, 2.5, 2.7, 2.9, 3.1))
    scores = []
    for _ in CQC_STATEMENTS:
        draw = level + rng.gauss(0, 0.55)
        scores.append(min(4, max(1, round(draw))))
    return tuple(scores)


def demo_month(gss_code: str) -> date:
    months = random.Random(f"cqc-demo-month|{gss_code}").randrange(20)  # April 2024 + 0–19 months
    year, month = divmod(3 + months, 12)
    return date(2024 + year, month + 1, 1)


def cqc_demo_seed(*, region_gss_code: str = "E12000005") -> CqcDemoSummary:
    """One demo outcome for each current council of the region (idempotent)."""
    summary = CqcDemoSummary()
    region = Region.objects.get(gss_code=region_gss_code)
    for council in Council.objects.filter(region=region, status=Council.Status.CURRENT).order_by("gss_code"):
        scores = demo_scores(council.gss_code)
        outcome = CqcOutcome(
            council=council,
            assessed_on=demo_month(council.gss_code),
            scores=scores,
            rating=cqc_rating(scores),
        )
        _, result = cqc_assessment_save(outcome=outcome, source=CqcAssessment.Source.DEMO, is_demo=True)
        summary.counts[result] += 1
    return summary
