"""Object-level permission rules: every predicate lives here so later features only add rules.

Roles come from :class:`councils.models.Membership`. Admin means a Django superuser or staff member.
Memberships are read once per request and cached on the user object.
"""

import rules
from django.utils.module_loading import import_string

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


# --- Self-assessments (issue 12) ---------------------------------------------------------------------
# The object is a scorecard SelfAssessment, but councils never imports scorecard: these predicates read
# only ``obj.council`` (a Council), ``obj.is_shared`` (submitted or reopened) and ``obj.is_editable``.


class ChallengerHook:
    """Checks ``check(user, obj) -> bool`` answering "does this user's council challenge ``obj``'s council?".

    The peer-challenge app registers them from its ``AppConfig.ready()``, so a published summit pairing widens
    who may read something without councils (or scorecard) importing peerchallenge. Registering is idempotent.
    """

    def __init__(self) -> None:
        self.checks: list = []

    def register(self, check) -> None:  # type: ignore[no-untyped-def]
        """``check`` is the function or its dotted path, imported at the first test: starting a process that
        never checks a permission (an import command, a task worker) does not import the peer-challenge
        selectors."""
        names = {c if isinstance(c, str) else f"{c.__module__}.{c.__qualname__}" for c in self.checks}
        if check not in self.checks and check not in names:
            self.checks.append(check)

    def test(self, user, obj) -> bool:  # type: ignore[no-untyped-def]
        for index, check in enumerate(self.checks):
            if isinstance(check, str):
                check = self.checks[index] = import_string(check)
            if check(user, obj):
                return True
        return False


# A submitted self-assessment: ``check(user, self_assessment)``.
SELF_ASSESSMENT_CHALLENGERS = ChallengerHook()
register_challenger_check = SELF_ASSESSMENT_CHALLENGERS.register
CHALLENGER_CHECKS = SELF_ASSESSMENT_CHALLENGERS.checks


def _council_of(obj: object) -> Council | None:
    council = obj if isinstance(obj, Council) else getattr(obj, "council", None)
    return council if isinstance(council, Council) else None


@rules.predicate
def is_member_of_council_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of ``obj.council`` (or of ``obj`` when it is a council)."""
    council = _council_of(obj)
    return council is not None and is_council_member_of.test(user, council)


# --- Peer challenge summits (duck-typed: any object with ``region``, ``participating_council_ids`` and
# ``is_visible_to_participants``; councils never imports peerchallenge) ---------------------------------


@rules.predicate
def is_coordinator_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """Peer-challenge coordinator for the region of ``obj`` (a region, a council, or anything with one)."""
    region = _region_of(obj)
    return region is not None and any(
        m.role == Membership.Role.COORDINATOR and m.region_id == region.pk for m in user_memberships(user)
    )


@rules.predicate
def is_shared_beyond_council(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(obj, "is_shared", False))


@rules.predicate
def is_editable_by_council(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(obj, "is_editable", False))


@rules.predicate
def is_assigned_challenger_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """The hook: true when any registered check says the user's council challenges ``obj.council``."""
    return SELF_ASSESSMENT_CHALLENGERS.test(user, obj)


# Open a self-assessment cycle for a region: its coordinator, and admins.
rules.add_perm("scorecard.add_selfassessmentcycle", is_admin | is_coordinator_of)
# List a region's cycles: see below, after ``is_council_member_in_region``.
# Read one self-assessment. A draft: its council and admins. Submitted (or reopened): also the region's SLI
# lead and coordinator, and councils assigned to challenge it (the hook above).
rules.add_perm(
    "scorecard.view_selfassessment",
    is_admin
    | is_member_of_council_of
    | (is_shared_beyond_council & (is_regional_member_of | is_assigned_challenger_of)),
)
# Write it: its DASS or delegate while it is a draft or reopened.
rules.add_perm("scorecard.change_selfassessment", is_member_of_council_of & is_editable_by_council)
# Reopen a submitted one (with a reason): the region's coordinator, and admins.
rules.add_perm(
    "scorecard.reopen_selfassessment",
    (is_admin | is_coordinator_of) & is_shared_beyond_council & ~is_editable_by_council,
)
# Ask for a submitted one to be reopened (the coordinator then reopens it): its DASS or delegate.
rules.add_perm(
    "scorecard.request_reopen_selfassessment",
    is_member_of_council_of & is_shared_beyond_council & ~is_editable_by_council,
)
# Read the change history: its council and admins; the region's coordinator once it has been submitted.
rules.add_perm(
    "scorecard.view_selfassessment_history",
    is_admin | is_member_of_council_of | (is_shared_beyond_council & is_coordinator_of),
)


@rules.predicate
def is_published_participant_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of a council taking part in ``obj``, once it is published."""
    if not getattr(obj, "is_visible_to_participants", False):
        return False
    ids = getattr(obj, "participating_council_ids", set())
    return any(m.role in Membership.COUNCIL_ROLES and m.council_id in ids for m in user_memberships(user))


@rules.predicate
def is_council_member_in_region(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of any council in the region of ``obj``."""
    region = _region_of(obj)
    return region is not None and any(
        m.role in Membership.COUNCIL_ROLES and m.council is not None and m.council.region_id == region.pk
        for m in user_memberships(user)
    )


# List a region's cycles: anyone with a role in the region (councils see their own row), and admins. Not
# another region's users (issue 16 permission matrix: ``has_any_role`` let them read this region's cycles).
rules.add_perm(
    "scorecard.view_selfassessmentcycle", is_admin | is_regional_member_of | is_council_member_in_region
)

# A summit: its region's SLI lead and coordinator, admins, and (once published) its participants.
rules.add_perm("peerchallenge.view_summit", is_admin | is_regional_member_of | is_published_participant_of)
# Planning, pairing, publishing: the region's coordinator and admins.
rules.add_perm("peerchallenge.change_summit", is_admin | is_coordinator_of)
rules.add_perm("peerchallenge.add_summit", is_admin | is_coordinator)
# Lessons learnt of a region: its SLI lead, coordinator, DASSs and delegates; entered by the coordinator.
rules.add_perm("peerchallenge.view_lessons", is_admin | is_regional_member_of | is_council_member_in_region)
rules.add_perm("peerchallenge.change_lessons", is_admin | is_coordinator_of)


# --- Challenge packs and question sets (issue 14) ------------------------------------------------------
# A pack's object is duck-typed: ``council`` (the council it is about), ``region`` and ``summit`` (or None).
# A question set's: ``council`` (the challenged council), ``challenger``, ``region``, ``is_shared`` (the
# summit has been held) and ``is_editable`` (the summit is published, not yet held).

# A pack: ``check(user, pack_subject)``, "in the pack's summit, or in any published summit".
PACK_CHALLENGERS = ChallengerHook()
register_pack_challenger_check = PACK_CHALLENGERS.register


@rules.predicate
def is_pack_challenger_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return PACK_CHALLENGERS.test(user, obj)


@rules.predicate
def is_member_of_challenger_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of ``obj.challenger`` (the council that asks the questions)."""
    return is_council_member_of.test(user, getattr(obj, "challenger", None))


# Download a pack: admins; the region's SLI lead and coordinator; the council's own DASS and delegates (as
# others see it); and the DASS and delegates of a council that challenges it in a published summit.
rules.add_perm(
    "peerchallenge.view_pack",
    is_admin | is_regional_member_of | is_member_of_council_of | is_pack_challenger_of,
)
# Read a question set: the challenging council and the region's coordinator (and admins); once the summit
# has been held, the challenged council too.
rules.add_perm(
    "peerchallenge.view_questionset",
    is_admin
    | is_coordinator_of
    | is_member_of_challenger_of
    | (is_shared_beyond_council & is_member_of_council_of),
)
# Edit it: the challenging council's DASS or delegates, while the summit is published and not yet held.
rules.add_perm("peerchallenge.change_questionset", is_member_of_challenger_of & is_editable_by_council)
# Build every pack of a summit (ZIP) and keep the question bank: the region's coordinator and admins.
rules.add_perm("peerchallenge.build_packs", is_admin | is_coordinator_of)


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
