"""The scorecard app's permissions, each beside the feature it guards (loaded by django-rules at start-up).

Reading figures needs only ``councils.view_council`` (anyone signed in); imports and self-assessments have
rules of their own.
"""

import scorecard.assurance.rules
import scorecard.imports.rules
import scorecard.selfassessment.rules  # noqa: F401  (registers the self-assessment permissions)
