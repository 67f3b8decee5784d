"""The read-only JSON API.

Authentication: a signed-in session, or an API token sent as ``Authorization: Token <key>`` or
``Authorization: Bearer <key>`` (see :class:`councils.models.ApiToken`). The middleware already answers
401 to anonymous requests without a token; these views check the token themselves and answer 401 JSON
when it is unknown or revoked.

Serialisation: numbers are JSON numbers (floats converted from the stored decimals), ``null`` when
missing. Errors are ``{"detail": "..."}`` with status 400 (bad parameter), 401, 403, 404 or 405.
"""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from councils.models import ApiToken, Council
from scorecard.assurance.models import CqcAssessment
from scorecard.figures import ENGLAND, ComparatorValue
from scorecard.measures import selectors as measure_selectors
from scorecard.measures.selectors import AreaValue, MeasureValueRow
from scorecard.models import Measure, Period, Polarity
from scorecard.periods import UnknownPeriod, period_from_query
from scorecard.scorecards import selectors as scorecard_selectors
from scorecard.scorecards.selectors import DomainSection, ScorecardRow
from scorecard.scoring import CQC_STATEMENTS

TOKEN_SCHEMES = ("Token", "Bearer")


def api_error(status: int, detail: str) -> JsonResponse:
    """A JSON error ``{"detail": ...}``; a 401 says how to authenticate."""
    response = JsonResponse({"detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")


def api_authenticate(
    request: HttpRequest, *, methods: tuple[str, ...], not_allowed: str, refuse_key_writes: str = ""
) -> HttpResponse | None:
    """The checks every API view starts with; the response that ends the request, or None to go on.

    A method outside ``methods`` is a JSON 405 (``not_allowed``, with ``{method}``) with an ``Allow``
    header; OPTIONS answers 204 with it. A ``Token``/``Bearer`` key signs the token's user in for this
    request (``refuse_key_writes``, when given, refuses a token any write); otherwise the session's user
    must be signed in (401).
    """
    response: HttpResponse
    if request.method not in methods:
        response = api_error(405, not_allowed.format(method=request.method))
        response["Allow"] = ", ".join(methods)
        return response
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = ", ".join(methods)
        return response
    scheme, _, key = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme in TOKEN_SCHEMES:
        if refuse_key_writes and request.method not in ("GET", "HEAD"):
            return api_error(403, refuse_key_writes)
        token = ApiToken.authenticate(key.strip())
        if token is None or (token.user.is_demo and not settings.DEMO_MODE):
            return api_error(401, "Invalid or revoked API token.")
        request.user = token.user
    elif not request.user.is_authenticated:
        return api_error(401, "Authentication required.")
    return None


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read-only: GET (and HEAD); a valid token or a signed-in session; the user may view councils.

    Any other method is a JSON 405 with an ``Allow`` header (OPTIONS answers 204 with it). The view is
    CSRF-exempt only so that a POST meets that 405 rather than a CSRF page: it never changes state.
    Every API view must use this decorator (tests/site/test_security.py checks that each one answers POST
    with a JSON 405); core.middleware.ApiJsonErrorsMiddleware makes any other error JSON too.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = api_authenticate(
            request,
            methods=ALLOWED_METHODS,
            not_allowed="Method {method} is not allowed: this API is read-only.",
        )
        if refused is not None:
            return refused
        if not request.user.has_perm("councils.view_council"):
            return api_error(403, "You do not have permission to read scorecard data.")
        return view(request, *args, **kwargs)

    return wrapper


def _period_param(request: HttpRequest) -> tuple[Period | None, JsonResponse | None]:
    """The ``?period=`` parameter as a Period; None when absent; a 400 response when it is bad."""
    try:
        return period_from_query(request.GET), None
    except UnknownPeriod as exc:
        return None, api_error(400, str(exc))


def _comparator(value: ComparatorValue) -> dict[str, Any]:
    return {"value": _number(value.value), "published": value.published}


def _council_json(council: Council) -> dict[str, Any]:
    region = council.region
    return {
        "name": council.name,
        "gss_code": council.gss_code,
        "cassr_code": council.cassr_code,
        "type": council.council_type,
        "region": {"gss_code": region.gss_code, "name": region.name} if region else None,
    }


def _scorecard_row_json(row: ScorecardRow, section: DomainSection) -> dict[str, Any]:
    measure = row.measure
    return {
        "code": row.code,
        "key": row.key,
        "title": measure.title,
        "series": row.series,
        "domain": section.domain.slug if section.domain else None,
        "unit": measure.unit,
        "polarity": measure.polarity,
        "value": _number(row.value),
        "formatted": row.formatted,
        "status": row.status,
        "is_demo": row.is_demo,
        "rank": row.rank,
        "rank_of": row.rank_of,
        "rank_by_size": measure.polarity == Polarity.NONE,
        "quartile_england": row.quartile_england,
        "quartile_region": row.quartile_region,
        "rag": row.rag.value if row.rag else None,
        "direction": row.direction.value,
        "previous_value": _number(row.previous_value),
        "comparators": {key: _comparator(value) for key, value in row.comparators.items()},
        "commentary": row.commentary.text if row.commentary else None,
    }


def _value_row_json(row: MeasureValueRow) -> dict[str, Any]:
    return {
        "gss_code": row.council.gss_code,
        "name": row.council.name,
        "region": row.council.region.gss_code if row.council.region else None,
        "value": _number(row.value),
        "formatted": row.formatted,
        "status": row.status,
        "is_demo": row.is_demo,
        "rank": row.rank,
        "rank_of": row.rank_of,
        "rank_england": row.rank_england,
        "rank_england_of": row.rank_england_of,
        "quartile_england": row.quartile_england,
        "quartile_region": row.quartile_region,
        "rag": row.rag.value if row.rag else None,
        "direction": row.direction.value,
    }


def _area_json(area: AreaValue) -> dict[str, Any]:
    return {
        "key": area.key,
        "kind": area.kind,
        "name": area.name,
        "value": _number(area.value),
        "status": area.status,
        "is_demo": area.is_demo,
    }


@api_view
def council_scorecard(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = Council.objects.select_related("region").filter(gss_code=gss_code.strip().upper()).first()
    if council is None:
        return api_error(404, f"No council with GSS code {gss_code[:12]!r}.")
    period, error = _period_param(request)
    if error is not None:
        return error
    card = scorecard_selectors.council_scorecard(council=council, period=period)
    measures = [_scorecard_row_json(row, section) for section in card.domains for row in section.rows]
    return JsonResponse(
        {
            "council": _council_json(council),
            "period": card.period.label if card.period else None,
            "previous_period": card.previous_period.label if card.previous_period else None,
            "framework": card.framework,
            "periods": [p.label for p in card.periods],
            "data_is_demo": card.data_is_demo,
            "measures": measures,
        }
    )


def _measure_json(measure: Measure) -> dict[str, Any]:
    return {
        "key": measure.key,
        "code": measure.code,
        "framework": measure.framework,
        "title": measure.title,
        "unit": measure.unit,
        "scale_max": _number(measure.scale_max),
        "decimal_places": measure.decimal_places,
        "polarity": measure.polarity,
        "rank_by_size": measure.polarity == Polarity.NONE,
        "source": measure.source,
        "domain": measure.domain.slug if measure.domain else None,
        "series": measure.series,
        "replaces": measure.replaces.key if measure.replaces else None,
        "owner_region": measure.owner_region.gss_code if measure.owner_region else None,
    }


@api_view
def measure_list(request: HttpRequest) -> HttpResponse:
    measures = Measure.objects.select_related("domain", "replaces", "owner_region").order_by(
        "framework", "position", "code"
    )
    return JsonResponse({"measures": [_measure_json(m) for m in measures]})


@api_view
def measure_values(request: HttpRequest, key: str) -> HttpResponse:
    measure = Measure.objects.select_related("domain", "replaces", "owner_region").filter(key=key).first()
    if measure is None:
        return api_error(404, f"No measure with key {key[:64]!r}.")
    period, error = _period_param(request)
    if error is not None:
        return error
    result = measure_selectors.measure_values(measure=measure, period=period)
    used = result.measure
    if used.pk != measure.pk:
        used = Measure.objects.select_related("domain", "replaces", "owner_region").get(pk=used.pk)
    return JsonResponse(
        {
            "measure": _measure_json(used),
            "requested_measure": measure.key,
            "period": result.period.label if result.period else None,
            "previous_period": result.previous_period.label if result.previous_period else None,
            "periods": [p.label for p in result.periods],
            "data_is_demo": result.data_is_demo,
            "values": [_value_row_json(row) for row in result.rows],
            "england": _comparator(result.comparators[ENGLAND]),
            "comparators": [_area_json(area) for area in result.published_areas],
        }
    )


def cqc_json(assessment: CqcAssessment | None) -> dict[str, Any] | None:
    """CQC's published outcome: rating (CQC's words, null when not rated), percentage to one decimal, the
    month, the report, and the nine statements in CQC's order."""
    if assessment is None:
        return None
    published = assessment.published_rating
    return {
        "rating": published.value if published else None,
        "percent": float(assessment.percent),
        "assessed": assessment.assessed_label,
        "report_url": assessment.report_url,
        "is_demo": assessment.is_demo,
        "statements": [
            {"number": s.number, "theme": s.theme, "name": s.name, "score": score}
            for s, score in zip(CQC_STATEMENTS, assessment.scores, strict=True)
        ],
    }
