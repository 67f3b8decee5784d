"""Reads for the councils app."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch, Q, QuerySet

from councils.models import Council, Membership, NearestNeighbour, Region, User
from councils.rules import user_memberships


def council_list(*, region: Region | None = None) -> QuerySet[Council]:
    """Councils with their region, successors and DASS, ready for the councils table (three queries)."""
    queryset = Council.objects.select_related("region").prefetch_related(
        "successors",
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(role=Membership.Role.DASS).select_related("user"),
            to_attr="dass_memberships",
        ),
    )
    if region is not None:
        queryset = queryset.filter(region=region)
    return queryset


@dataclass(frozen=True)
class Neighbour:
    position: int
    gss_code: str
    council: Council | None
    is_demo: bool = False


def council_neighbours(*, council: Council) -> list[Neighbour]:
    """The council's ordered comparator group, each linked to its council where that is known."""
    rows = list(NearestNeighbour.objects.filter(council=council).order_by("position"))
    known = Council.objects.select_related("region").in_bulk(
        [row.neighbour_gss_code for row in rows], field_name="gss_code"
    )
    return [
        Neighbour(row.position, row.neighbour_gss_code, known.get(row.neighbour_gss_code), row.is_demo)
        for row in rows
    ]


def council_people(*, council: Council) -> list[Membership]:
    return list(council.memberships.select_related("user").order_by("role", "user__last_name"))


def region_people(*, region: Region) -> list[Membership]:
    """Everyone with a role in the region: regional roles first, then each council's people."""
    return list(
        Membership.objects.select_related("user", "council", "region")
        .filter(Q(region=region) | Q(council__region=region))
        .order_by(F("council__name").asc(nulls_first=True), "role", "user__last_name")
    )


def home_region_for_user(*, user: User | AnonymousUser) -> Region | None:
    """The region a user works in: their regional role's region, else their council's region."""
    for membership in user_memberships(user):
        if membership.region is not None:
            return membership.region
    for membership in user_memberships(user):
        if membership.council is not None:
            return membership.council.region
    return None


def region_for_user(*, user: User | AnonymousUser, gss_code: str | None = None) -> Region | None:
    """The region a page should show: ``gss_code`` if it names one, else the user's home region, else
    ``settings.DEFAULT_REGION``, else the first region by name."""
    if gss_code:
        region = Region.objects.filter(gss_code=gss_code.strip()).first()
        if region is not None:
            return region
    return (
        home_region_for_user(user=user)
        or Region.objects.filter(gss_code=settings.DEFAULT_REGION).first()
        or Region.objects.order_by("name").first()
    )


def home_council_for_user(*, user: User | AnonymousUser) -> Council | None:
    for membership in user_memberships(user):
        if membership.council is not None:
            return membership.council
    return None
