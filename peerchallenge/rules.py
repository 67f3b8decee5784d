"""The peer-challenge app's permissions: summits and lessons learnt here, packs and question sets in
``packs/rules.py``, themes and the work programme in ``themes/rules.py`` (loaded by django-rules at start-up).

A summit is duck-typed: ``region``, ``participating_council_ids`` and ``is_visible_to_participants``. This app
also widens a lower app's rule: once a summit pairing is published, the councils assigned to challenge a
council may read its submitted self-assessment.
"""

import rules

import peerchallenge.packs.rules
import peerchallenge.themes.rules  # noqa: F401  (registers the theme and work-programme permissions)
from councils.models import Membership
from councils.rules import (
    is_admin,
    is_coordinator,
    is_coordinator_of,
    is_council_member_in_region,
    is_regional_member_of,
    is_shared_beyond_council,
    user_memberships,
)
from peerchallenge.challengers import is_assigned_challenger
from selfassessment.rules import can_view_self_assessment


@rules.predicate
def is_published_participant_of(user, obj) -> bool:  # type: ignore[no-untyped-def]
    """DASS or delegate of a council taking part in ``obj``, once it is published."""
    if not getattr(obj, "is_visible_to_participants", False):
        return False
    ids: set[int] = getattr(obj, "participating_council_ids", set())
    return any(m.role in Membership.COUNCIL_ROLES and m.council_id in ids for m in user_memberships(user))


@rules.predicate
def is_assigned_challenger_of(user, self_assessment) -> bool:  # type: ignore[no-untyped-def]
    """The user's council challenges ``self_assessment.council`` in a published summit of its cycle."""
    return is_assigned_challenger(user, self_assessment)


# A summit: its region's SLI lead and coordinator, admins, and (once published) its participants.
rules.add_perm("peerchallenge.view_summit", is_admin | is_regional_member_of | is_published_participant_of)
# Planning, pairing, publishing: the region's coordinator and admins.
rules.add_perm("peerchallenge.change_summit", is_admin | is_coordinator_of)
rules.add_perm("peerchallenge.add_summit", is_admin | is_coordinator)
# Lessons learnt of a region: its SLI lead, coordinator, DASSs and delegates; entered by the coordinator.
rules.add_perm("peerchallenge.view_lessons", is_admin | is_regional_member_of | is_council_member_in_region)
rules.add_perm("peerchallenge.change_lessons", is_admin | is_coordinator_of)

# A submitted self-assessment: also the councils paired to challenge it (selfassessment/rules.py).
rules.set_perm(
    "selfassessment.view_selfassessment",
    can_view_self_assessment | (is_shared_beyond_council & is_assigned_challenger_of),
)
