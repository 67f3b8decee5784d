import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from councils.views import home as councils_home
from peerchallenge.selectors import home_summits_for_user

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The councils' home page plus panels from apps councils may not import (peer challenge summits)."""
    response = councils_home(request)
    response.context_data["home_summits"] = home_summits_for_user(user=request.user)  # type: ignore[attr-defined]
    return response


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers; needs no login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        logger.exception("Health check: database unavailable")
        database = "unavailable"
    status = "ok" if database == "ok" else "error"
    return JsonResponse(
        {"status": status, "checks": {"database": database}}, status=200 if status == "ok" else 503
    )
