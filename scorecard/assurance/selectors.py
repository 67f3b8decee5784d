"""Reading CQC's published outcomes: a council's latest and older ones, a region's councils side by side."""

from __future__ import annotations

from dataclasses import dataclass

from councils.models import Council, Region
from scorecard.assurance.models import CqcAssessment


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
