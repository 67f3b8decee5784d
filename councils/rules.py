"""Object-level permission rules: every predicate lives here so later features only add rules.

Roles come from :class:`councils.models.Membership`. Admin means a Django superuser or staff member.
Memberships are read once per request and cached on the user object.
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


@rules.predicate
def is_dass_of(user, council) -> bool:  # type: ignore[no-untyped-def]
    return isinstance(council, Council) and any(
        m.role == Membership.Role.DASS and m.council_id == council.pk for m in user_memberships(user)
    )


is_signed_in = rules.is_authenticated & rules.is_active

# Councils, regions and their public facts: anyone signed in.
rules.add_perm("councils.view_council", is_signed_in)
rules.add_perm("councils.view_region", is_signed_in)
# The people page of a region: its SLI lead and coordinator, and admins.
rules.add_perm("councils.view_people", is_admin | is_regional_member_of)
# Loading reference data (nearest neighbours) and performance data: SLI leads and admins.
rules.add_perm("councils.import_data", is_admin | is_sli_lead)


# WHO MAY WRITE WHAT (issue 16) -----------------------------------------------------------------------
# National data (the ASCOF file, values for England, measures no region owns) is loaded by admins only.
# A regional SLI lead writes local measures and values only for their own region: its councils, the
# region itself, and measures that region owns (new local measures they define become their region's).
# scorecard/imports/permissions.py applies these to every parsed import before anything is written.


def led_regions(user) -> set[int]:  # type: ignore[no-untyped-def]
    """Primary keys of the regions the user is SLI lead for."""
    return {m.region_id for m in user_memberships(user) if m.role == Membership.Role.SLI_LEAD}


@rules.predicate
def is_sli_lead_of_owner(user, measure) -> bool:  # type: ignore[no-untyped-def]
    """SLI lead of the region that owns ``measure`` (a local measure with an owning region)."""
    owner_id = getattr(measure, "owner_region_id", None)
    return owner_id is not None and owner_id in led_regions(user)


# Load the national ASCOF file (values for all 153 councils, regions and England).
rules.add_perm("scorecard.import_national_data", is_admin)
# Write figures for a council or a region (obj: a Council or a Region).
rules.add_perm("councils.write_area_data", is_admin | is_sli_lead_of)
# Write figures for, or redefine, a measure (obj: a Measure).
rules.add_perm("scorecard.write_measure", is_admin | is_sli_lead_of_owner)
