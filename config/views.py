import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from councils.models import Membership
from councils.rules import user_memberships
from councils.views import home as councils_home
from peerchallenge.progress import coordinator_checklists
from peerchallenge.selectors import home_summits_for_user, summit_changes_since
from scorecard.home import Change, council_self_assessment, lead_home

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The councils' home page plus what each role does next, from apps councils may not import: the
    coordinator's summits as checklists of the cycle, the SLI lead's figures and returns, a DASS's
    self-assessment, session, pack and questions."""
    response = councils_home(request)
    user = request.user
    memberships = user_memberships(user)
    by_role = {role: [m for m in memberships if m.role == role] for role in Membership.Role}
    context = response.context_data  # type: ignore[attr-defined]
    context["home_summits"] = home_summits_for_user(user=user)
    context["checklists"] = coordinator_checklists(
        regions=[m.region for m in by_role[Membership.Role.COORDINATOR]]
    )
    context["lead_homes"] = [
        _lead_home(m.region, user.previous_login) for m in by_role[Membership.Role.SLI_LEAD]
    ]
    councils = {m.council for m in memberships if m.role in Membership.COUNCIL_ROLES}
    context["self_assessments"] = [
        found for c in sorted(councils, key=lambda c: c.name) if (found := council_self_assessment(council=c))
    ]
    return response


def _lead_home(region, since):  # type: ignore[no-untyped-def]
    home = lead_home(region=region, since=since)
    if since is not None:
        for change in summit_changes_since(region=region, since=since):
            what = "reopened" if change.is_reopening else f"is now {change.get_to_state_display().lower()}"
            home.changes.append(
                Change(change.at, f"{change.summit.name} {what}", change.summit.get_absolute_url())
            )
        home.changes.sort(key=lambda c: c.when, reverse=True)
    return home


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
        from scorecard.demo import demo_rows_present

        try:
            checks["demo_data"] = "present" if demo_rows_present() else "none"
        except DatabaseError:
            logger.exception("Health check: database unavailable")
            checks["database"] = "unavailable"
    healthy = checks["database"] == "ok" and checks.get("demo_data", "none") == "none"
    status = "ok" if healthy else "error"
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
