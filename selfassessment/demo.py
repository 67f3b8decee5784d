"""Demo self-assessments (demo mode only): a closed past cycle and an open current one for a region on the six
domains, and an open one on CQC's quality statements with synthetic self-scores.

Every council of the region submits in both cycles except one, whose current self-assessment is still a
draft. Ratings follow each council's demo data, except that a few councils rate themselves better than
their data (and one worse), so the "view against data" flags show. Texts are synthetic and generic;
cycles and self-assessments are marked ``is_demo``. Deterministic and idempotent: existing cycles and
self-assessments are left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from core.cache import rows_written
from councils.models import Council, Region
from scorecard.models import Domain, Period, Value
from scorecard.scorecards.selectors import council_scorecard
from selfassessment import selectors, services
from selfassessment.frameworks import CQC_LOCAL_AUTHORITY
from selfassessment.models import SelfAssessment, SelfAssessmentCycle, SelfAssessmentFramework

CURRENT = ("2026-27 peer challenge", "2026-27-peer-challenge", date(2027, 1, 29))
# Closes before CURRENT, so the region's current six-domain cycle stays the one its pages open first.
CQC_CYCLE = ("2026-27 CQC assurance self-assessment", "2026-27-cqc-assurance", date(2027, 1, 15))
SCORE_WEIGHTS = (1, 4, 6, 2)  # how often a demo council scores itself 1, 2, 3, 4
ACTIONS = [
    ("Clear the waiting list for Care Act assessments", "Head of assessment and care management"),
    ("Agree a joint discharge plan with the NHS trust", "Director of adult social care"),
    ("Publish a co-produced carers' strategy", "Head of commissioning"),
    ("Review every out-of-area placement", "Principal social worker"),
    ("Report quarterly to members on safeguarding timeliness", "Safeguarding adults board manager"),
]
PAST = ("2025-26 peer challenge", "2025-26-peer-challenge", date(2026, 1, 30))
OPTIMISTS = 4  # councils rating every domain green whatever their data
DRAFT_COUNCIL = "E08000030"  # Walsall (West Midlands); else the region's last council by code

STRENGTHS = [
    "A stable senior team and a clear adult social care plan agreed with members.",
    "Good take-up of reablement, with most people staying at home 91 days after discharge.",
    "Strong relationships with the NHS and the voluntary sector through the place partnership.",
    "Carers' and service users' voices are heard through a standing co-production group.",
    "Commissioning plans are based on a current market position statement.",
    "The workforce strategy has cut agency use and filled most social worker posts.",
]
IMPROVEMENTS = [
    "Waiting times for Care Act assessments are too long in two localities.",
    "Too many younger adults are placed in residential care.",
    "Quality of home care is uneven; two providers are under enhanced monitoring.",
    "The local account does not yet say plainly where we fell short.",
    "Sickness absence in the in-house service is above the council average.",
    "Direct payment take-up has fallen for two years.",
]
RISKS = [
    "Budget overspend on packages of care for younger adults.",
    "Fragility of the home care market in rural areas.",
    "Recruitment and retention of occupational therapists.",
    "Readiness for CQC assessment of our Care Act duties.",
    "Hospital discharge pressure over winter.",
    "Safeguarding enquiry backlog after a rise in referrals.",
]


@dataclass
class SelfAssessmentDemoSummary:
    cycles_created: int = 0
    assessments_created: int = 0
    skipped: str = ""

    def __str__(self) -> str:
        if self.skipped:
            return f"Demo self-assessments skipped: {self.skipped}"
        return (
            f"Demo self-assessments: {self.cycles_created} cycles and "
            f"{self.assessments_created} self-assessments created"
        )


def data_rating(*, green: int, amber: int, red: int) -> str:
    """The rating the data alone suggests (demo use only): net share of green minus red."""
    n = green + amber + red
    if n == 0:
        return "amber"
    net = (green - red) / n
    return "green" if net >= 1 / 3 else "red" if net <= -1 / 3 else "amber"


def _dass(council: Council):  # type: ignore[no-untyped-def]
    return get_user_model().objects.filter(username=f"dass.{council.slug}").first()


def _input(
    *, council: Council, cycle: SelfAssessmentCycle, optimist: bool, pessimist: bool, complete: bool
) -> services.SelfAssessmentInput:
    view = selectors.self_assessment_view(cycle=cycle, council=council, include_previous=False)
    rng = random.Random(f"{council.gss_code}|{cycle.slug}|self-assessment")
    domains: dict[int, services.DomainInput] = {}
    for index, d in enumerate(view.domains):
        if not complete and index >= 3:
            domains[d.domain.pk] = services.DomainInput()
            continue
        rating = data_rating(green=d.data.green, amber=d.data.amber, red=d.data.red)
        if optimist:
            rating = "green"
        elif pessimist and d.data.red == 0 and d.data.rated:
            rating = "red"
        measure_ids = [row.measure.pk for row in _section_rows(council, cycle, d.domain)][:2]
        domains[d.domain.pk] = services.DomainInput(
            rating=rating,
            strengths=rng.choice(STRENGTHS),
            improvements=rng.choice(IMPROVEMENTS),
            evidence=f"Our scorecard for {cycle.period}, the local account and the latest peer review.",
            measure_ids=measure_ids,
        )
    risks = rng.sample(RISKS, 3)
    return services.SelfAssessmentInput(domains=domains, top_risks=risks if complete else [risks[0], "", ""])


_ROWS: dict[tuple[int, int], dict[int, list]] = {}


def _section_rows(council: Council, cycle: SelfAssessmentCycle, domain: Domain) -> list:

    key = (council.pk, cycle.period_id)
    if key not in _ROWS:
        card = council_scorecard(council=council, period=cycle.period)
        _ROWS[key] = {s.domain.pk: s.rows for s in card.domains if s.domain is not None}
    return _ROWS[key].get(domain.pk, [])


def _statements_input(
    *, council: Council, cycle: SelfAssessmentCycle, complete: bool
) -> services.SelfAssessmentInput:
    """Synthetic self-scores on CQC's statements (deterministic), each with text, two cited measures and an
    action; a draft has only its first three statements scored."""
    card = council_scorecard(council=council, period=cycle.period)
    coloured = [row.measure.pk for row in card.rows if row.rag is not None]
    statements: dict[int, services.StatementInput] = {}
    for index, statement in enumerate(cycle.framework.statements.all()):
        rng = random.Random(f"{council.gss_code}|{cycle.slug}|{statement.number}")
        if not complete and index >= 3:
            statements[statement.pk] = services.StatementInput()
            continue
        what, owner = rng.choice(ACTIONS)
        statements[statement.pk] = services.StatementInput(
            score=rng.choices((1, 2, 3, 4), weights=SCORE_WEIGHTS)[0],
            strengths=rng.choice(STRENGTHS),
            improvements=rng.choice(IMPROVEMENTS),
            evidence=f"Our scorecard for {cycle.period}, case file audits and what people told us.",
            measure_ids=rng.sample(coloured, min(2, len(coloured))),
            actions=[services.ActionInput(what=what, owner=owner, due=date(2027, 3, 31))],
        )
    rng = random.Random(f"{council.gss_code}|{cycle.slug}|risks")
    risks = rng.sample(RISKS, 3)
    return services.SelfAssessmentInput(
        domains={}, statements=statements, top_risks=risks if complete else [risks[0], "", ""]
    )


def _cycle(  # type: ignore[no-untyped-def]
    region: Region, spec: tuple[str, str, date], period: Period, summary, framework=None
) -> SelfAssessmentCycle:
    name, slug, closes_on = spec
    cycle = SelfAssessmentCycle.objects.filter(region=region, slug=slug).first()
    if cycle is None:
        cycle = services.cycle_open(
            region=region,
            name=name,
            slug=slug,
            closes_on=closes_on,
            period=period,
            prompts=selectors.default_prompts(),
            framework=framework,
            is_demo=True,
        )
        summary.cycles_created += 1
    return cycle


def self_assessment_demo_seed(*, region_gss_code: str = "E12000005") -> SelfAssessmentDemoSummary:
    """Create the region's demo cycles and self-assessments (see the module docstring). Idempotent."""
    summary = SelfAssessmentDemoSummary()
    region = Region.objects.get(gss_code=region_gss_code)
    councils = list(region.councils.order_by("gss_code"))
    periods = list(Period.objects.order_by("-start_year")[:2])
    if Value.objects.filter(is_demo=False).exists():
        summary.skipped = "real (non-demo) figures are loaded; demo ratings are never set beside real data."
        return summary
    if len(periods) < 2 or not councils:
        summary.skipped = "needs two years of data and councils in the region."
        return summary
    _ROWS.clear()
    draft_gss = DRAFT_COUNCIL if any(c.gss_code == DRAFT_COUNCIL for c in councils) else councils[-1].gss_code
    ranked = sorted(councils, key=lambda c: random.Random(f"{c.gss_code}|optimist").random())
    optimists = {c.gss_code for c in ranked[:OPTIMISTS]}
    pessimist = ranked[OPTIMISTS].gss_code if len(ranked) > OPTIMISTS else None
    with transaction.atomic():
        past = _cycle(region, PAST, periods[1], summary)
        current = _cycle(region, CURRENT, periods[0], summary)
        cqc = _cycle(
            region,
            CQC_CYCLE,
            periods[0],
            summary,
            framework=SelfAssessmentFramework.objects.get(slug=CQC_LOCAL_AUTHORITY),
        )
        for cycle in (past, current, cqc):
            reopen_closed = not cycle.is_open
            if reopen_closed:
                cycle.state = SelfAssessmentCycle.State.OPEN  # briefly, to write the demo rows
            existing = set(
                SelfAssessment.objects.filter(cycle=cycle).values_list("council__gss_code", flat=True)
            )
            for council in councils:
                if council.gss_code in existing:
                    continue
                draft = cycle is not past and council.gss_code == draft_gss
                if cycle.framework.by_statements:
                    data = _statements_input(council=council, cycle=cycle, complete=not draft)
                else:
                    data = _input(
                        council=council,
                        cycle=cycle,
                        optimist=council.gss_code in optimists and cycle is current,
                        pessimist=council.gss_code == pessimist,
                        complete=not draft,
                    )
                services.self_assessment_save(
                    cycle=cycle,
                    council=council,
                    data=data,
                    user=_dass(council),
                    expected_version=0,
                    submit=not draft,
                )
                SelfAssessment.objects.filter(cycle=cycle, council=council).update(is_demo=True)
                rows_written(SelfAssessment)  # the demo label shows on the pages
                summary.assessments_created += 1
            if cycle is past:
                services.cycle_close(cycle=cycle)
            elif reopen_closed:
                cycle.refresh_from_db()
    return summary
