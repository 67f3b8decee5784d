import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)


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
