"""The scorecard app's permissions, each beside the feature it guards (loaded by django-rules at start-up).

Reading figures needs only ``councils.view_council`` (anyone signed in); imports and CQC's outcomes have
rules of their own (self-assessment's are in ``selfassessment/rules.py``).
"""

import scorecard.assurance.rules
import scorecard.imports.rules  # noqa: F401
