"""Writing CQC's published outcomes: by hand (the form) or from a file (``imports.py``).

``cqc_assessment_save`` is the one writer. A council's outcome for a month is one row: saving the same month
again updates it (history keeps the old values), a later month adds a row and keeps the earlier ones. A real
outcome (not demo) removes every demo outcome of that council, so a council's register is never a mix.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from councils.models import Council
from scorecard.assurance.models import (
    SCORE_FIELDS,
    CqcAssessment,
    Rating,
    rating_disagreement,
    rating_from_cqc,
)
from scorecard.scoring import CqcRating

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_NAMED_MONTH = re.compile(r"^([A-Za-z]+)\.?[\s\-/]+(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
FIRST_ASSESSMENT = date(2023, 4, 1)  # CQC's local authority assessments began in April 2023


def month_parse(text: str) -> date | None:
    """The first day of the month named by "May 2025", "Sept 2024", "2025-05", "2025-05-14" or "05/2025"."""
    text = (text or "").strip()
    year = month = 0
    if named := _NAMED_MONTH.match(text):
        month, year = _MONTHS.get(named.group(1).lower(), 0), int(named.group(2))
    elif iso := _ISO_MONTH.match(text):
        year, month = int(iso.group(1)), int(iso.group(2))
    elif numeric := _NUMERIC_MONTH.match(text):
        month, year = int(numeric.group(1)), int(numeric.group(2))
    if not 1 <= month <= 12 or year < 1900:
        return None
    return date(year, month, 1)


RATING_WORDS = {r.value.lower(): r for r in CqcRating}
NOT_RATED_WORDS = {"", "not rated", "not-rated", "none", "n/a", "-"}


def rating_parse(text: str) -> tuple[bool, CqcRating | None]:
    """(understood, rating): CQC's words in any case ("Requires Improvement", "GOOD"); "Not rated" → None."""
    words = " ".join((text or "").replace("_", " ").split()).lower()
    if words in NOT_RATED_WORDS:
        return True, None
    rating = RATING_WORDS.get(words)
    return rating is not None, rating


@dataclass(frozen=True)
class CqcOutcome:
    """What one council's published outcome looks like, checked, ready to save."""

    council: Council
    assessed_on: date
    scores: tuple[int, ...]
    rating: CqcRating | None
    report_url: str = ""


def _fields(outcome: CqcOutcome) -> dict[str, Any]:
    return {
        "rating": rating_from_cqc(outcome.rating),
        "report_url": outcome.report_url,
        **dict(zip(SCORE_FIELDS, outcome.scores, strict=True)),
    }


def cqc_assessment_save(
    *,
    outcome: CqcOutcome,
    user: Any = None,
    source: str = CqcAssessment.Source.MANUAL,
    source_import: Any = None,
    is_demo: bool = False,
) -> tuple[CqcAssessment, str]:
    """Create or update the council's outcome for that month: (assessment, "created" | "updated" | "unchanged").

    A real outcome removes the council's demo ones first; a demo outcome never replaces a real one (it is
    then not saved: "unchanged").
    """
    with transaction.atomic():
        council = outcome.council
        if is_demo:
            real = CqcAssessment.objects.filter(council=council, is_demo=False).first()
            if real is not None:
                return real, "unchanged"
        else:
            for demo in CqcAssessment.objects.filter(council=council, is_demo=True):
                demo.delete()
        wanted = _fields(outcome)
        found = CqcAssessment.objects.filter(council=council, assessed_on=outcome.assessed_on).first()
        if found is None:
            created = CqcAssessment.objects.create(
                council=council,
                assessed_on=outcome.assessed_on,
                source=source,
                source_import=source_import,
                is_demo=is_demo,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                **wanted,
            )
            return created, "created"
        if all(getattr(found, name) == value for name, value in wanted.items()):
            return found, "unchanged"
        for name, value in wanted.items():
            setattr(found, name, value)
        found.source, found.source_import = source, source_import or found.source_import
        if getattr(user, "is_authenticated", False):
            found._change_reason = f"Changed by {user}"  # type: ignore[attr-defined]
        found.save()
        return found, "updated"


__all__ = [
    "FIRST_ASSESSMENT",
    "CqcOutcome",
    "Rating",
    "cqc_assessment_save",
    "month_parse",
    "rating_disagreement",
    "rating_parse",
]
