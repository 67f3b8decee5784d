"""Who may download a challenge pack, read or edit a question set, and build a summit's packs.

A pack's object is duck-typed (``packs.selectors.PackSubject``): ``council`` (the council it is about),
``region`` and ``summit`` (or None). A question set's (``packs.models.QuestionSet``): ``council`` (the
challenged council), ``challenger``, ``region``, ``is_shared`` (the summit has been held) and ``is_editable``
(the summit is published, not yet held).
"""

import rules

from councils.rules import (
    is_admin,
    is_coordinator_of,
    is_council_member_of,
    is_editable_by_council,
    is_member_of_council_of,
    is_regional_member_of,
    is_shared_beyond_council,
)
from peerchallenge.challengers import challenged_council_ids
from peerchallenge.models import Summit


@rules.predicate
def is_pack_challenger_of(user, subject) -> bool:  # type: ignore[no-untyped-def]
    """The user's council challenges ``subject.council`` in ``subject.summit`` (or, without a summit, in any
    published summit)."""
    council = getattr(subject, "council", None)
    if not getattr(user, "is_authenticated", False) or council is None:
        return False
    summit = getattr(subject, "summit", None)
    if summit is not None and summit.state not in Summit.VISIBLE_TO_PARTICIPANTS:
        return False
    return council.pk in challenged_council_ids(user=user, summit=summit)


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
