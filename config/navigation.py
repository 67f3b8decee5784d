"""The header navigation, by role. Project-level because it links every app's pages."""

from dataclasses import dataclass

from django.urls import reverse

from councils.rules import user_memberships
from councils.selectors import home_council_for_user, home_region_for_user


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for_user(*, user, path: str) -> list[NavItem]:  # type: ignore[no-untyped-def]
    """Links for the user's roles; the most specific link matching ``path`` is marked active."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[tuple[str, str]] = [("Home", reverse("home"))]
    council = home_council_for_user(user=user)
    if council is not None:
        items.append(("My scorecard", reverse("scorecard:council-scorecard", args=[council.gss_code])))
    region = home_region_for_user(user=user)
    if region is not None:
        items.append(("Regional scorecard", reverse("scorecard:region-scorecard", args=[region.gss_code])))
    if council is not None:
        items.append(("Self-assessment", reverse("selfassessment:latest", args=[council.gss_code])))
    elif region is not None:
        items.append(("Self-assessment", reverse("selfassessment:cycles", args=[region.gss_code])))
    items += [
        ("Compare", reverse("scorecard:compare")),
        ("Councils", reverse("councils:council-list")),
        ("Measures", reverse("scorecard:measure-list")),
    ]
    if user.is_staff or user_memberships(user):
        items.append(("Peer challenge", reverse("peerchallenge:summit-list")))
    if region is not None and user.has_perm("peerchallenge.view_work_programme", region):
        url = reverse("themes:work-programme-latest", kwargs={"gss_code": region.gss_code})
        items.append(("Work programme", url))
    if user.has_perm("councils.import_data"):
        items.append(("Imports", reverse("scorecard:import-list")))
    if region is not None and user.has_perm("councils.view_people", region):
        items.append(("People", reverse("councils:region-people", kwargs={"gss_code": region.gss_code})))
    if user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    matches = [url for _, url in items if (path == url if url == "/" else path.startswith(url))]
    best = max(matches, key=len) if matches else None
    return [NavItem(label, url, url == best) for label, url in items]
