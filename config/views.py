import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from councils.models import Council, Membership, Region
from councils.rules import user_memberships
from councils.selectors import home_council_for_user, home_region_for_user
from peerchallenge.progress import coordinator_checklists
from peerchallenge.selectors import home_summits_for_user, summit_changes_since
from selfassessment.home import Change, LeadHome, council_self_assessment, lead_home


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """A landing page that fits the user's roles and says what each does next: their council and region, the
    coordinator's summits as checklists of the cycle, the SLI lead's figures and returns, a DASS's
    self-assessment, session, pack and questions. Project-level, as it gathers every app's panels."""
    user = request.user
    memberships = user_memberships(user)
    by_role = {role: [m for m in memberships if m.role == role] for role in Membership.Role}
    region = home_region_for_user(user=user)
    roles = {m.role for m in memberships}
    councils = {m.council for m in memberships if m.role in Membership.COUNCIL_ROLES and m.council}
    context = {
        "memberships": memberships,
        "council": home_council_for_user(user=user),
        "region": region,
        "is_regional": bool(roles & set(Membership.REGION_ROLES)),
        "is_council": bool(roles & set(Membership.COUNCIL_ROLES)),
        "is_admin": user.is_staff or user.is_superuser,
        "region_councils": list(region.councils.exclude(status=Council.Status.FORMER).order_by("name"))
        if region
        else [],
        "can_import": user.has_perm("councils.import_data"),
        "home_summits": home_summits_for_user(user=user),
        "checklists": coordinator_checklists(
            regions=[m.region for m in by_role[Membership.Role.COORDINATOR] if m.region]
        ),
        "lead_homes": [
            _lead_home(m.region, getattr(user, "previous_login", None))
            for m in by_role[Membership.Role.SLI_LEAD]
            if m.region
        ],
        "self_assessments": [
            found
            for c in sorted(councils, key=lambda c: c.name)
            if (found := council_self_assessment(council=c))
        ],
    }
    return render(request, "councils/home.html", context)


def _lead_home(region: Region, since: dt.datetime | None) -> LeadHome:
    """The SLI lead's panel, with the region's summits' changes since ``since`` among its changes."""
    home = lead_home(region=region, since=since)
    if since is not None:
        for change in summit_changes_since(region=region, since=since):
            what = "reopened" if change.is_reopening else f"is now {change.get_to_state_display().lower()}"
            home.changes.append(
                Change(change.at, f"{change.summit.name} {what}", change.summit.get_absolute_url())
            )
        home.changes.sort(key=lambda c: c.when, reverse=True)
    return home
