"""CQC outcome pages: a council's (latest and older), the entry form, the region's table. URLs in ``urls.py``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from core.exports import EXPORT_FORMATS, dict_rows, export_response
from councils.models import Council, Region
from scorecard.assurance import selectors, services
from scorecard.assurance.forms import CqcAssessmentForm
from scorecard.assurance.models import CqcAssessment
from scorecard.assurance.tables import EXPORT_COLUMNS, export_records, region_table
from scorecard.scoring import CQC_RATINGS_URL, CQC_SCORE_WORDS, CQC_STATEMENTS

VIEW = "scorecard.view_cqcassessment"
ADD = "scorecard.add_cqcassessment"


def _council(gss_code: str) -> Council:
    return get_object_or_404(Council.objects.select_related("region"), gss_code=gss_code)


def _require(request: HttpRequest, perm: str, obj: Council | Region) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def statement_rows(
    assessment: CqcAssessment | None,
    own: selectors.SelfScores | None = None,
    evidence: selectors.StatementEvidence | None = None,
) -> list[dict[str, object]]:
    """The nine statements in CQC's order with the assessment's score and CQC's words for it, the council's
    own score beside it (``higher``: the council scored itself above CQC) and the scorecard rows of the
    measures that inform it (``measures``)."""
    scores = assessment.scores if assessment else (None,) * len(CQC_STATEMENTS)
    rows: list[dict[str, object]] = []
    for s, score in zip(CQC_STATEMENTS, scores, strict=True):
        mine = own.scores.get(s.number) if own else None
        rows.append(
            {
                "statement": s,
                "score": score,
                "words": CQC_SCORE_WORDS.get(score or 0, ""),
                "self_score": mine,
                "self_words": CQC_SCORE_WORDS.get(mine or 0, ""),
                "higher": mine is not None and score is not None and mine > score,
                "measures": evidence.by_statement.get(s.number, []) if evidence else [],
            }
        )
    return rows


@require_http_methods(["GET", "HEAD"])
def council_outcome(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = _council(gss_code)
    _require(request, VIEW, council)
    assessments = selectors.cqc_assessments_for_council(council=council)
    latest = assessments[0] if assessments else None
    own = selectors.cqc_self_scores(council=council, viewer=request.user)
    evidence = selectors.cqc_statement_evidence(council=council)
    rows = statement_rows(latest, own, evidence)
    return render(
        request,
        "scorecard/assurance/council.html",
        {
            "council": council,
            "latest": latest,
            "older": assessments[1:],
            "statements": rows,
            "own": own,
            "higher": [row for row in rows if row["higher"]],
            "can_add": request.user.has_perm(ADD, council),
            "ratings_url": CQC_RATINGS_URL,
            "scorecard": evidence.scorecard,
            "shows_demo_data": any(a.is_demo for a in assessments)
            or bool(own and own.is_demo)
            or evidence.scorecard.data_is_demo,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def council_outcome_new(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = _council(gss_code)
    _require(request, ADD, council)
    form = CqcAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = services.CqcOutcome(
            council=council,
            assessed_on=data["assessed"],
            scores=tuple(data[f"score_{s.number}"] for s in CQC_STATEMENTS),
            rating=data["rating"],
            report_url=data["report_url"],
        )
        assessment, result = services.cqc_assessment_save(outcome=outcome, user=request.user)
        words = {"created": "recorded", "updated": "corrected", "unchanged": "already recorded, unchanged"}
        messages.success(
            request, f"CQC's assessment of {council}, {assessment.assessed_on:%B %Y}: {words[result]}."
        )
        return redirect("scorecard:cqc-council", gss_code=council.gss_code)
    status = 400 if request.method == "POST" else 200
    return render(request, "scorecard/assurance/form.html", {"council": council, "form": form}, status=status)


@require_http_methods(["GET", "HEAD"])
def region_outcomes(request: HttpRequest, gss_code: str) -> HttpResponse:
    region = get_object_or_404(Region, gss_code=gss_code)
    _require(request, VIEW, region)
    rows = selectors.cqc_region_rows(region=region)
    table = region_table(rows)
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        headers, data = dict_rows(EXPORT_COLUMNS, export_records(list(table.data)))
        return export_response(
            export_format=export_format, headers=headers, rows=data, filename=f"cqc-outcomes-{region.slug}"
        )
    RequestConfig(request, paginate=False).configure(table)
    assessed = [row.assessment for row in rows if row.assessment]
    return render(
        request,
        "scorecard/assurance/region.html",
        {
            "region": region,
            "table": table,
            "statements": CQC_STATEMENTS,
            "score_words": CQC_SCORE_WORDS.items(),
            "assessed_count": len(assessed),
            "council_count": len(rows),
            "shows_demo_data": any(a.is_demo for a in assessed),
            "ratings_url": CQC_RATINGS_URL,
        },
    )
