"""Who may open cycles and read, write, reopen and trace a self-assessment.

The object is a SelfAssessment (``council``, ``is_shared``: submitted or reopened, ``is_editable``: a draft or
reopened) or, for cycles, a Region. The peer-challenge app extends ``selfassessment.view_selfassessment`` with the
councils paired to challenge it (``peerchallenge/rules.py``).
"""

import rules

from councils.rules import (
    is_admin,
    is_coordinator_of,
    is_council_member_in_region,
    is_editable_by_council,
    is_member_of_council_of,
    is_regional_member_of,
    is_shared_beyond_council,
)

# Open a self-assessment cycle for a region: its coordinator, and admins.
rules.add_perm("selfassessment.add_selfassessmentcycle", is_admin | is_coordinator_of)
# List a region's cycles: anyone with a role in the region (councils see their own row), and admins; not
# another region's users.
rules.add_perm(
    "selfassessment.view_selfassessmentcycle", is_admin | is_regional_member_of | is_council_member_in_region
)
# Read one self-assessment. A draft: its council and admins. Submitted (or reopened): also the region's SLI
# lead and coordinator.
can_view_self_assessment = (
    is_admin | is_member_of_council_of | (is_shared_beyond_council & is_regional_member_of)
)
rules.add_perm("selfassessment.view_selfassessment", can_view_self_assessment)
# Write it: its DASS or delegate while it is a draft or reopened.
rules.add_perm("selfassessment.change_selfassessment", is_member_of_council_of & is_editable_by_council)
# Reopen a submitted one (with a reason): the region's coordinator, and admins.
rules.add_perm(
    "selfassessment.reopen_selfassessment",
    (is_admin | is_coordinator_of) & is_shared_beyond_council & ~is_editable_by_council,
)
# Ask for a submitted one to be reopened (the coordinator then reopens it): its DASS or delegate.
rules.add_perm(
    "selfassessment.request_reopen_selfassessment",
    is_member_of_council_of & is_shared_beyond_council & ~is_editable_by_council,
)
# Read the change history: its council and admins; the region's coordinator once it has been submitted.
rules.add_perm(
    "selfassessment.view_selfassessment_history",
    is_admin | is_member_of_council_of | (is_shared_beyond_council & is_coordinator_of),
)
