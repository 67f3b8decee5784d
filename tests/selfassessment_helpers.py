"""Hand-made data for the self-assessment tests: a cycle, values with known RAG, and saving through services."""

from datetime import date
from decimal import Decimal

from councils.models import Council, Region
from scorecard.areas import area_for_council
from scorecard.models import Domain, Measure, Period, Value
from scorecard.periods import period_get_or_create
from selfassessment import selectors, services
from selfassessment.models import SelfAssessment, SelfAssessmentCycle, SelfAssessmentFramework

BIRMINGHAM = "E08000025"
COVENTRY = "E08000026"
WEST_MIDLANDS = "E12000005"
POSTED_DOMAIN = "performance-and-outcomes"
# Four WM councils; Birmingham is worst on 1A and 1D (red) and best on 1C (green): 1 green, 0 amber, 2 red.
FOUR = ["E08000025", "E08000026", "E08000027", "E08000028"]
HAND_VALUES = {
    "ascof-2023-1a": [Decimal("15"), Decimal("18"), Decimal("19"), Decimal("20")],
    "ascof-2023-1c": [Decimal("9"), Decimal("6"), Decimal("5"), Decimal("4")],
    "ascof-2023-1d": [Decimal("10"), Decimal("40"), Decimal("50"), Decimal("60")],
}


def hand_made_values() -> Period:
    """Values for 2023-24 with known RAG for Birmingham in Performance and Outcomes (see HAND_VALUES)."""
    period = period_get_or_create(start_year=2023)
    councils = {c.gss_code: c for c in Council.objects.filter(gss_code__in=FOUR)}
    for key, numbers in HAND_VALUES.items():
        measure = Measure.objects.get(key=key)
        for gss, number in zip(FOUR, numbers, strict=True):
            Value.objects.create(
                measure=measure, period=period, area=area_for_council(council=councils[gss]), value=number
            )
    return period


def make_cycle(
    *, period: Period | None = None, slug: str = "2026-27-peer-challenge", closes_on=None, framework: str = ""
) -> SelfAssessmentCycle:  # type: ignore[no-untyped-def]
    """A West Midlands cycle; ``framework``: a framework's slug (default: the six domains)."""
    period = period or period_get_or_create(start_year=2023)
    return services.cycle_open(
        framework=SelfAssessmentFramework.objects.get(slug=framework) if framework else None,
        region=Region.objects.get(gss_code=WEST_MIDLANDS),
        name=slug.replace("-", " ").capitalize(),
        slug=slug,
        closes_on=closes_on or date(2099, 1, 31),
        period=period,
        prompts=selectors.default_prompts(),
    )


def complete_input(rating: str = "amber", **overrides: str) -> services.SelfAssessmentInput:
    domains = {
        d.pk: services.DomainInput(
            rating=overrides.get(d.slug, rating),
            strengths=f"Strengths in {d.name}",
            improvements="Improve",
            evidence="Evidence",
        )
        for d in Domain.objects.all()
    }
    return services.SelfAssessmentInput(domains=domains, top_risks=["Risk one", "Risk two", "Risk three"])


def submitted(
    *, cycle: SelfAssessmentCycle, council: Council, user=None, rating: str = "amber", **overrides: str
) -> SelfAssessment:  # type: ignore[no-untyped-def]
    return services.self_assessment_save(
        cycle=cycle,
        council=council,
        data=complete_input(rating, **overrides),
        user=user,
        expected_version=0,
        submit=True,
    )


def drafted(*, cycle: SelfAssessmentCycle, council: Council, user=None) -> SelfAssessment:  # type: ignore[no-untyped-def]
    data = complete_input("")
    data.top_risks = ["Only one risk so far", "", ""]
    return services.self_assessment_save(
        cycle=cycle, council=council, data=data, user=user, expected_version=0
    )


def form_data(*, version: int = 0, rating: str = "amber", action: str = "save", **extra: str) -> dict:
    data: dict = {"version": str(version), "action": action}
    for d in Domain.objects.all():
        data[f"{d.slug}-rating"] = rating
        data[f"{d.slug}-strengths"] = f"Typed strengths for {d.name}"
        data[f"{d.slug}-improvements"] = "Typed improvements"
        data[f"{d.slug}-evidence"] = "Typed evidence"
    data.update({"top_risk_1": "Risk A", "top_risk_2": "Risk B", "top_risk_3": "Risk C"})
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


CQC = "cqc-local-authority"


def make_cqc_cycle(
    *, period: Period | None = None, slug: str = "2026-27-cqc-assurance"
) -> SelfAssessmentCycle:
    """A West Midlands cycle on CQC's quality statements, closing in 2099."""
    return make_cycle(period=period, slug=slug, framework=CQC)


def cqc_input(scores: list[int | None], *, risks: bool = True) -> services.SelfAssessmentInput:
    """Scores for CQC's nine statements in CQC's order (None: not scored), with text and one action each."""
    statements = SelfAssessmentFramework.objects.get(slug=CQC).statements.order_by("number")
    return services.SelfAssessmentInput(
        domains={},
        statements={
            s.pk: services.StatementInput(
                score=score,
                strengths=f"Strengths in {s.name}",
                improvements="Improve",
                evidence="Evidence",
                actions=[
                    services.ActionInput(
                        what=f"Act on {s.name}", owner="Head of service", due=date(2027, 3, 31)
                    )
                ],
            )
            for s, score in zip(statements, scores, strict=True)
        },
        top_risks=["Risk one", "Risk two", "Risk three"] if risks else ["", "", ""],
    )


def cqc_submitted(
    *, cycle: SelfAssessmentCycle, council: Council, scores: list[int], user=None
) -> SelfAssessment:  # type: ignore[no-untyped-def]
    return services.self_assessment_save(
        cycle=cycle, council=council, data=cqc_input(list(scores)), user=user, expected_version=0, submit=True
    )


def cqc_form_data(*, scores: list[int | None], version: int = 0, action: str = "save", **extra: str) -> dict:
    """What the edit page posts for a CQC-framework self-assessment."""
    data: dict = {"version": str(version), "action": action}
    for number, score in enumerate(scores, start=1):
        if score is not None:
            data[f"qs{number}-score"] = str(score)
        data[f"qs{number}-strengths"] = f"Typed strengths {number}"
        data[f"qs{number}-improvements"] = f"Typed improvements {number}"
        data[f"qs{number}-evidence"] = f"Typed evidence {number}"
        data[f"qs{number}-action1-what"] = f"Typed action {number}"
        data[f"qs{number}-action1-owner"] = "Principal social worker"
        data[f"qs{number}-action1-due"] = "2027-03-31"
    data.update({"top_risk_1": "Risk A", "top_risk_2": "Risk B", "top_risk_3": "Risk C"})
    data.update(extra)
    return data
