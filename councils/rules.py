"""Who someone is: the role predicates every app's rules build on, and the councils app's own permissions.

Roles come from :class:`councils.models.Membership`. Admin means a Django superuser or staff member.
Memberships are read once per request and cached on the user object. Each feature's permissions live beside
it (``selfassessment/rules.py``, ``scorecard/imports/rules.py``, ``peerchallenge/rules.py``, …);
a higher app may extend a lower app's permission (``rules.set_perm``), never the reverse.

Objects are duck-typed, so this module imports no higher app: ``region`` and ``council`` attributes (or a
Region or Council itself), ``is_shared`` (seen beyond its council) and ``is_editable`` (its council may
still change it).
"""

import rules

from councils.models import Council, Membership, Region


def user_memberships(user) -> list[Membership]:  # type: ignore[no-untyped-def]
    """The user's memberships, fetched once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_membership_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("council__region", "region"))
        user._membership_cache = cached
    return cached


def _region_of(obj: object) -> Region | None:
    if isinstance(obj, Region):
        return obj
    if isinstance(obj, Council):
        return obj.region
    return getattr(obj, "region", None)


@rules.predicate
def is_admin(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(user, "is_active", False) and (user.is_superuser or user.is_staff))


@rules.predicate
def has_any_role(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user_memberships(user))


@rules.predicate
def is_sli_lead(user) -> bool:  # type: ignore[no-untyped-def]
    return any(m.role == Membership.Role.SLI_LEAD for m in user_memberships(user))


@rules.predicate
def is_coordinator(user) -> bool:  # type: ignore[no-untyped-def]
    return any(m.role == Membership.Role.COORDINATOR for m in user_memberships(user))


@rules.predicate
def is_regional_member_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """SLI lead or coordinator for the region of ``obj`` (a region, a council, or anything with a region)."""
    region = _region_of(obj)
    return region is not None and any(
        m.role in Membership.REGION_ROLES and m.region_id == region.pk for m in user_memberships(user)
    )


@rules.predicate
def is_sli_lead_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    region = _region_of(obj)
    return region is not None and any(
        m.role == Membership.Role.SLI_LEAD and m.region_id == region.pk for m in user_memberships(user)
    )


@rules.predicate
def is_council_member_of(user, council) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of this council."""
    return isinstance(council, Council) and any(
        m.role in Membership.COUNCIL_ROLES and m.council_id == council.pk for m in user_memberships(user)
    )


def _council_of(obj: object) -> Council | None:
    council = obj if isinstance(obj, Council) else getattr(obj, "council", None)
    return council if isinstance(council, Council) else None


@rules.predicate
def is_member_of_council_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of ``obj.council`` (or of ``obj`` when it is a council)."""
    council = _council_of(obj)
    return council is not None and is_council_member_of.test(user, council)


@rules.predicate
def is_coordinator_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """Peer-challenge coordinator for the region of ``obj`` (a region, a council, or anything with one)."""
    region = _region_of(obj)
    return region is not None and any(
        m.role == Membership.Role.COORDINATOR and m.region_id == region.pk for m in user_memberships(user)
    )


@rules.predicate
def is_council_member_in_region(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of any council in the region of ``obj``."""
    region = _region_of(obj)
    return region is not None and any(
        m.role in Membership.COUNCIL_ROLES and m.council is not None and m.council.region_id == region.pk
        for m in user_memberships(user)
    )


@rules.predicate
def is_shared_beyond_council(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(obj, "is_shared", False))


@rules.predicate
def is_editable_by_council(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(obj, "is_editable", False))


def led_regions(user) -> set[int]:  # type: ignore[no-untyped-def]
    """Primary keys of the regions the user is SLI lead for."""
    return {
        m.region_id
        for m in user_memberships(user)
        if m.role == Membership.Role.SLI_LEAD and m.region_id is not None
    }


is_signed_in = rules.is_authenticated & rules.is_active

# Councils, regions and their public facts: anyone signed in.
rules.add_perm("councils.view_council", is_signed_in)
rules.add_perm("councils.view_region", is_signed_in)
# The people page of a region: its SLI lead and coordinator, and admins.
rules.add_perm("councils.view_people", is_admin | is_regional_member_of)
# Loading reference data (nearest neighbours) and performance data: SLI leads and admins.
rules.add_perm("councils.import_data", is_admin | is_sli_lead)
