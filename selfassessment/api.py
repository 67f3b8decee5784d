"""The self-assessment's JSON (mounted at /api/ beside the scorecard's, in the same ``api`` namespace).

Authentication, errors and serialisation as ``scorecard/api/views.py`` describes: every view here uses its
``api_view``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from councils.models import Council
from scorecard import scoring
from scorecard.api.views import api_error, api_view, cqc_json
from scorecard.assurance import selectors as assurance_selectors
from selfassessment import selectors as sa_selectors
from selfassessment.models import SelfAssessment


def _domain_json(d: Any) -> dict[str, Any]:
    """One domain of a self-assessment view: the council's own words beside its data."""
    return {
        "domain": d.domain.slug,
        "rating": d.rating or None,
        "strengths": d.assessment.strengths if d.assessment else "",
        "improvements": d.assessment.improvements if d.assessment else "",
        "evidence": d.assessment.evidence if d.assessment else "",
        "measures": [m.key for m in d.measures],
        "data_rag": {"green": d.data.green, "amber": d.data.amber, "red": d.data.red},
        "divergence": d.data.divergence.value if d.data.divergence else None,
    }


@api_view
def council_self_assessment(request: HttpRequest, gss_code: str) -> HttpResponse:
    """A council's self-assessment (``?cycle=<slug>``; the latest cycle without it), each domain beside
    its data. Same permission rules as the page: 403 when the user may not read it, never the content."""

    council = Council.objects.select_related("region").filter(gss_code=gss_code.strip().upper()).first()
    if council is None:
        return api_error(404, f"No council with GSS code {gss_code[:12]!r}.")
    if council.region is None:
        return api_error(404, f"{council.name} has no region, so no self-assessment cycle.")
    slug = request.GET.get("cycle", "").strip()
    cycle = sa_selectors.cycle_for_region(region=council.region, slug=slug or None)
    if cycle is None:
        detail = f"No self-assessment cycle {slug[:100]!r}" if slug else "No self-assessment cycle yet"
        return api_error(404, f"{detail} for {council.region.name}.")
    found = sa_selectors.self_assessment_for(cycle=cycle, council=council)
    permission_object = found or SelfAssessment(cycle=cycle, council=council)
    if not request.user.has_perm("selfassessment.view_selfassessment", permission_object):
        return api_error(403, "You do not have permission to read this self-assessment.")
    if found is None:
        return api_error(404, f"{council.name} has not started its self-assessment for {cycle.name}.")
    view = sa_selectors.self_assessment_view(cycle=cycle, council=council, include_previous=False)
    assessment = view.assessment or found
    return JsonResponse(
        {
            "council": {"name": council.name, "gss_code": council.gss_code},
            "cycle": {"slug": cycle.slug, "name": cycle.name, "closes_on": cycle.closes_on.isoformat()},
            "status": assessment.status,
            "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
            "period": cycle.period.label,
            "is_demo": view.data_is_demo,
            "framework": cycle.framework.slug,
            "domains": [_domain_json(d) for d in view.domains],
            "statements": [_statement_json(s) for s in view.statements],
            "top_risks": assessment.top_risks,
        }
    )


def _statement_json(s: Any) -> dict[str, Any]:
    """One statement of a self-assessment view: the council's score and words beside the data it cites."""
    row = s.assessment
    return {
        "number": s.statement.number,
        "theme": s.statement.theme,
        "name": s.statement.name,
        "score": s.score,
        "strengths": row.strengths if row else "",
        "improvements": row.improvements if row else "",
        "evidence": row.evidence if row else "",
        "measures": [m.key for m in s.measures],
        "actions": list(row.actions) if row else [],
        "data_rag": {"green": s.data.green, "amber": s.data.amber, "red": s.data.red},
        "divergence": s.data.divergence.value if s.data.divergence else None,
    }


def _self_assessment_json(assessment: SelfAssessment | None) -> dict[str, Any] | None:
    """The council's self-assessment on CQC's framework: its cycle, status, implied percentage and rating
    (null until every statement is scored), and each statement's score and text, in CQC's order."""
    if assessment is None:
        return None
    rows = {row.statement.number: row for row in assessment.statements.all()}
    statements = []
    framework_statements = list(assessment.cycle.framework.statements.all())
    for statement in framework_statements:
        row = rows.get(statement.number)
        statements.append(
            {
                "number": statement.number,
                "theme": statement.theme,
                "name": statement.name,
                "score": row.score if row else None,
                "strengths": row.strengths if row else "",
                "improvements": row.improvements if row else "",
                "evidence": row.evidence if row else "",
                "actions": list(row.actions) if row else [],
            }
        )
    implied = scoring.cqc_scores_rating(
        rows[s.number].score if s.number in rows else None for s in framework_statements
    )
    return {
        "cycle": assessment.cycle.slug,
        "cycle_name": assessment.cycle.name,
        "framework": assessment.cycle.framework.slug,
        "status": assessment.status,
        "percent": float(implied[0]) if implied else None,
        "rating": implied[1].value if implied else None,
        "is_demo": assessment.is_demo,
        "statements": statements,
    }


@api_view
def council_assurance(request: HttpRequest, gss_code: str) -> HttpResponse:
    """A council's assurance: CQC's latest published outcome (null when none is recorded); its latest
    self-assessment on CQC's framework that the user may read (null when none); and the statements where the
    council scored itself higher than CQC (``gaps``, from the same two)."""
    council = Council.objects.select_related("region").filter(gss_code=gss_code.strip().upper()).first()
    if council is None:
        return api_error(404, f"No council with GSS code {gss_code[:12]!r}.")
    if not request.user.has_perm("scorecard.view_cqcassessment", council):
        return api_error(403, "You do not have permission to read this council's assurance.")
    latest = assurance_selectors.cqc_latest_for_council(council=council)
    own = sa_selectors.cqc_self_assessment_latest(council=council, viewer=request.user)
    gaps = (
        sa_selectors.assurance_gaps_between(assessment=own, cqc_scores=latest.scores)
        if own is not None and latest is not None
        else []
    )
    return JsonResponse(
        {
            "council": council.gss_code,
            "cqc": cqc_json(latest),
            "self_assessment": _self_assessment_json(own),
            "gaps": [{"number": g.number, "self": g.self_score, "cqc": g.cqc_score} for g in gaps],
        }
    )
