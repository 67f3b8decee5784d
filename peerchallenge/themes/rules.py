"""Who may log themes, read them, edit the work programme and read a council's findings.

The predicates build on the role predicates of councils/rules.py. Objects: a Summit (themes), a Region (work
programme) and a SessionFinding (findings and follow-up).

- Coordinator of the region: everything, and names the loggers of a summit.
- Loggers named for a summit: log and edit its themes once it is published (nobody logs or edits themes once
  a summit is closed).
- SLI lead of the region: reads everything (themes before they are published too); edits the work programme.
- DASSs and delegates of the region's councils: the published themes and the published work programme of
  their region, and the findings and follow-up of their own council.
- Another region's users: nothing.

Nothing of a draft summit (its themes, findings, name or date) is visible beyond the region's coordinator and
SLI lead and admins: a draft may still be re-planned or dropped.
"""

import rules

from councils.rules import (
    is_admin,
    is_coordinator_of,
    is_council_member_in_region,
    is_member_of_council_of,
    is_regional_member_of,
)


@rules.predicate
def is_theme_logger_of(user, summit) -> bool:  # type: ignore[no-untyped-def]
    """Named by the coordinator to log themes at ``summit`` (read once per summit object)."""
    if not getattr(user, "is_authenticated", False) or summit is None:
        return False
    ids = getattr(summit, "_theme_logger_ids", None)
    if ids is None:
        ids = set(summit.theme_loggers.values_list("user_id", flat=True))
        summit._theme_logger_ids = ids
    return user.pk in ids


@rules.predicate
def is_published(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(obj, "is_published", False))


@rules.predicate
def is_closed_summit(user, summit) -> bool:  # type: ignore[no-untyped-def]
    return getattr(summit, "state", None) == "closed"


@rules.predicate
def is_draft_summit(user, summit) -> bool:  # type: ignore[no-untyped-def]
    return getattr(summit, "state", None) == "draft"


can_log_themes = is_admin | is_coordinator_of | (is_theme_logger_of & ~is_draft_summit)
# Log, edit, merge, split and undo themes at a summit, until it is closed (its themes are then the record).
rules.add_perm("peerchallenge.log_themes", can_log_themes & ~is_closed_summit)
# Name the loggers and publish the themes: the coordinator.
rules.add_perm("peerchallenge.manage_themes", is_admin | is_coordinator_of)
# Every theme of a summit, published or not.
rules.add_perm("peerchallenge.view_all_themes", can_log_themes | is_regional_member_of)
# The published themes of the summit (the view then shows only published ones); a draft summit's to nobody
# beyond the region's coordinator and lead.
rules.add_perm(
    "peerchallenge.view_themes",
    can_log_themes | is_regional_member_of | (is_council_member_in_region & ~is_draft_summit),
)
# A region's work programme (obj: the Region; council members see only a published programme).
rules.add_perm(
    "peerchallenge.view_work_programme", is_admin | is_regional_member_of | is_council_member_in_region
)
rules.add_perm("peerchallenge.view_draft_work_programme", is_admin | is_regional_member_of)
rules.add_perm("peerchallenge.change_work_programme", is_admin | is_regional_member_of)
# One council's findings and follow-up (obj: a SessionFinding, or anything with ``council`` and ``region``).
rules.add_perm("peerchallenge.view_findings", is_admin | is_regional_member_of | is_member_of_council_of)
rules.add_perm("peerchallenge.change_findings", is_admin | is_coordinator_of)
