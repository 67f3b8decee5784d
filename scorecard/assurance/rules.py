"""Who may read and write CQC's published outcomes (loaded by ``scorecard/rules.py``).

CQC publishes every council's report, so its outcome is read like the council's other facts: anyone signed in.
Entering or correcting one (by hand or by import) is for admins and the SLI lead of the council's region; the
object is a CqcAssessment, a Council or a Region (anything with a ``region``).
"""

import rules

from councils.rules import is_admin, is_signed_in, is_sli_lead_of

rules.add_perm("scorecard.view_cqcassessment", is_signed_in)
# The form and the object: the lead of the council's region. Without an object (the import command, a
# navigation link): any SLI lead; the import then refuses councils outside the lead's regions.
rules.add_perm("scorecard.add_cqcassessment", is_admin | is_sli_lead_of)
rules.add_perm("scorecard.change_cqcassessment", is_admin | is_sli_lead_of)
