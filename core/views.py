import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.demo import demo_rows_present

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
    checks = {"database": database}
    if database == "ok" and not settings.DEMO_MODE:
        # Outside demo mode, demo rows keep the service out of rotation (see DemoDataGuardMiddleware).
        try:
            checks["demo_data"] = "present" if demo_rows_present() else "none"
        except DatabaseError:
            logger.exception("Health check: database unavailable")
            checks["database"] = "unavailable"
    healthy = checks["database"] == "ok" and checks.get("demo_data", "none") == "none"
    status = "ok" if healthy else "error"
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
