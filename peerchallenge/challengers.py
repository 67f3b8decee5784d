"""Who challenges whom in a published summit: the reads the permission rules ask (``peerchallenge/rules.py``,
``peerchallenge/packs/rules.py``). In a group the councils challenge in rotation: each member challenges the
next, the last the first.
"""

from __future__ import annotations

from councils.models import Membership
from councils.rules import user_memberships
from peerchallenge.models import Summit, SummitGroup


def council_ids_of(user) -> set[int]:  # type: ignore[no-untyped-def]
    """The councils the user is DASS or delegate of."""
    return {
        m.council_id for m in user_memberships(user) if m.role in Membership.COUNCIL_ROLES and m.council_id
    }


def challenged_council_ids(*, user, summit: Summit | None = None) -> set[int]:  # type: ignore[no-untyped-def]
    """Councils the user's council challenges in published (or held, closed) summits (or in ``summit``)."""
    mine = council_ids_of(user)
    if not mine:
        return set()
    memo = getattr(user, "_challenged_memo", None)  # set by packs_for_user while it checks a page of rows
    key = summit.pk if summit is not None else None
    if memo is not None and key in memo:
        return memo[key]
    groups = SummitGroup.objects.filter(
        summit__state__in=Summit.VISIBLE_TO_PARTICIPANTS, members__council_id__in=mine
    )
    if summit is not None:
        groups = groups.filter(summit=summit)
    found: set[int] = set()
    for group in groups.distinct().prefetch_related("members"):
        order = [m.council_id for m in sorted(group.members.all(), key=lambda m: m.position)]
        for index, council_id in enumerate(order):
            challenger = order[index - 1]
            if challenger in mine and council_id != challenger:
                found.add(council_id)
    if memo is not None:
        memo[key] = found
    return found


def is_assigned_challenger(user: object, self_assessment: object) -> bool:
    """Whether ``user`` is a DASS or delegate of a council that challenges ``self_assessment.council`` in a
    published (or held, or closed) summit using ``self_assessment.cycle``.

    ``peerchallenge/rules.py`` extends who may read a submitted self-assessment with it.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    council_ids = council_ids_of(user)
    cycle_id = getattr(self_assessment, "cycle_id", None)
    target_id = getattr(self_assessment, "council_id", None)
    if not council_ids or cycle_id is None or target_id is None:
        return False
    groups = SummitGroup.objects.filter(
        summit__cycle_id=cycle_id,
        summit__state__in=Summit.VISIBLE_TO_PARTICIPANTS,
        members__council_id=target_id,
    ).prefetch_related("members")
    for group in groups:
        order = [m.council_id for m in sorted(group.members.all(), key=lambda m: m.position)]
        index = order.index(target_id)
        challenger = order[index - 1]  # rotation: each member challenges the next, the last the first
        if challenger in council_ids and challenger != target_id:
            return True
    return False
