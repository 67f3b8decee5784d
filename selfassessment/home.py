"""Reads for the home page: what a region's SLI lead and a council's DASS need to see first.

- :func:`lead_home`: the latest figures loaded (which year, from which file), the region's self-assessment
  returns by council, and what changed since the lead's last visit.
- :func:`council_self_assessment`: a council's self-assessment in its region's current cycle.

A handful of queries each, whatever the size of the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from councils.models import Council, Region
from scorecard.models import ImportRecord, Period
from selfassessment.models import SelfAssessment, SelfAssessmentCycle
from selfassessment.selectors import CycleReturns, cycle_returns, open_cycle_for_region


@dataclass
class Change:
    """One thing that happened: when, in words, and where to see it."""

    when: dt.datetime
    text: str
    url: str = ""


@dataclass
class LeadHome:
    region: Region
    latest_period: Period | None
    imports: list[ImportRecord]  # the latest applied import of each kind
    returns: CycleReturns | None
    since: dt.datetime | None
    changes: list[Change] = field(default_factory=list)

    @property
    def drafts(self) -> list[Council]:
        return self.returns.in_progress if self.returns else []


def latest_period_with_figures(*, region: Region) -> Period | None:
    """The latest year with any figure for a council of ``region``."""
    return (
        Period.objects.filter(values__area__council__region=region).order_by("-start_year").distinct().first()
    )


def _latest_imports() -> list[ImportRecord]:
    latest = []
    for kind in (ImportRecord.Kind.ASCOF, ImportRecord.Kind.LOCAL, ImportRecord.Kind.DEMO):
        record = (
            ImportRecord.objects.filter(kind=kind, status=ImportRecord.Status.APPLIED)
            .select_related("imported_by")
            .order_by("-created_at", "-pk")
            .first()
        )
        if record is not None:
            latest.append(record)
    return sorted(latest, key=lambda r: r.created_at, reverse=True)


def _import_changes(since: dt.datetime) -> list[Change]:
    records = ImportRecord.objects.filter(status=ImportRecord.Status.APPLIED, created_at__gt=since).order_by(
        "-created_at"
    )[:10]
    return [
        Change(
            r.created_at,
            f"{r.file_name} loaded ({r.get_kind_display().lower()}): {r.created} figures added, "
            f"{r.updated} updated",
            reverse("scorecard:import-detail", kwargs={"pk": r.pk}),
        )
        for r in records
    ]


def _self_assessment_changes(region: Region, since: dt.datetime) -> list[Change]:
    changes = []
    found = SelfAssessment.objects.filter(cycle__region=region).filter(
        Q(submitted_at__gt=since) | Q(reopened_at__gt=since) | Q(reopen_requested_at__gt=since)
    )
    for a in found.select_related("council", "cycle__region")[:30]:
        url = a.get_absolute_url()
        if a.submitted_at and a.submitted_at > since:
            changes.append(Change(a.submitted_at, f"{a.council} submitted its self-assessment", url))
        if a.reopened_at and a.reopened_at > since:
            changes.append(Change(a.reopened_at, f"{a.council}'s self-assessment was reopened", url))
        if a.has_reopen_request and a.reopen_requested_at and a.reopen_requested_at > since:
            changes.append(
                Change(a.reopen_requested_at, f"{a.council} asks for its self-assessment to be reopened", url)
            )
    return changes


def lead_home(*, region: Region, since: dt.datetime | None) -> LeadHome:
    """What the SLI lead of ``region`` sees first. ``since``: their previous sign-in (None: first visit)."""
    cycle = open_cycle_for_region(region=region) or (
        SelfAssessmentCycle.objects.filter(region=region).order_by("-closes_on", "-pk").first()
    )
    home = LeadHome(
        region=region,
        latest_period=latest_period_with_figures(region=region),
        imports=_latest_imports(),
        returns=cycle_returns(cycle=cycle) if cycle is not None else None,
        since=since,
    )
    if since is not None:
        home.changes = sorted(
            [*_import_changes(since), *_self_assessment_changes(region, since)],
            key=lambda c: c.when,
            reverse=True,
        )
    return home


@dataclass
class CouncilSelfAssessment:
    council: Council
    cycle: SelfAssessmentCycle
    assessment: SelfAssessment | None

    @property
    def state(self) -> str:
        if self.assessment is None:
            return "Not started"
        return self.assessment.get_status_display()

    @property
    def can_be_changed(self) -> bool:
        return self.cycle.is_open and (self.assessment is None or self.assessment.is_editable)


def council_self_assessment(*, council: Council) -> CouncilSelfAssessment | None:
    """The council's self-assessment in its region's open cycle (else the latest cycle), or None."""
    region = council.region
    if region is None:
        return None
    cycle = open_cycle_for_region(region=region) or (
        SelfAssessmentCycle.objects.filter(region=region).order_by("-closes_on", "-pk").first()
    )
    if cycle is None:
        return None
    assessment = SelfAssessment.objects.filter(cycle=cycle, council=council).first()
    return CouncilSelfAssessment(council=council, cycle=cycle, assessment=assessment)
