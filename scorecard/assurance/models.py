"""CQC's published outcome of each council's local authority assessment: one row per assessment, with history.

A council reassessed by CQC gets a second row (a later ``assessed_on``): the latest is its current outcome and
the older ones are kept and listed. Each row holds the nine quality statements' scores as CQC published them
and the overall rating (blank: "not rated"); the percentage and the implied rating are computed
(``scorecard.scoring.cqc_percent`` / ``cqc_rating``), never stored. These models are scorecard's (imported by
``scorecard/models.py``); they name other scorecard models by label, so this package never imports that module.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from councils.models import Council, Region
from scorecard.scoring import CQC_STATEMENTS, CqcRating, QualityStatement, cqc_percent, cqc_rating

STATEMENT_COUNT = len(CQC_STATEMENTS)
SCORE_FIELDS = tuple(f"score_{s.number}" for s in CQC_STATEMENTS)


class Rating(models.TextChoices):
    """CQC's overall rating as stored; the labels are CQC's words (``scoring.CqcRating``)."""

    OUTSTANDING = "outstanding", CqcRating.OUTSTANDING.value
    GOOD = "good", CqcRating.GOOD.value
    REQUIRES_IMPROVEMENT = "requires_improvement", CqcRating.REQUIRES_IMPROVEMENT.value
    INADEQUATE = "inadequate", CqcRating.INADEQUATE.value
    NOT_RATED = "", "Not rated"


def rating_from_cqc(rating: CqcRating | None) -> str:
    """The stored choice for one of CQC's ratings ("" for not rated)."""
    return "" if rating is None else Rating(rating.name.lower()).value


def rating_disagreement(*, scores: tuple[int, ...], rating: CqcRating | None) -> str | None:
    """Why a published rating cannot be stored with these scores (None when it agrees, or is not rated)."""
    if rating is None:
        return None
    implied = cqc_rating(scores)
    if implied is rating:
        return None
    return (
        f"the rating is {rating.value} but the scores give {implied.value} under CQC's rule "
        f"({sum(scores)} of {4 * len(scores)}): check the scores and the rating against CQC's report"
    )


def _score_field(statement: QualityStatement) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"{statement.number} {statement.name}",
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="CQC's published score, 1–4",
    )


class CqcAssessment(models.Model):
    """One CQC assessment of a council: the month, the nine published scores, the rating, the report."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        IMPORT = "import", "Imported from a file"
        DEMO = "demo", "Demo data"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="cqc_assessments")
    assessed_on = models.DateField(
        "assessment month", help_text="The month of the assessment, stored as its first day"
    )
    rating = models.CharField(
        "overall rating", max_length=24, choices=Rating.choices, blank=True, help_text="Blank: not rated"
    )
    score_1 = _score_field(CQC_STATEMENTS[0])
    score_2 = _score_field(CQC_STATEMENTS[1])
    score_3 = _score_field(CQC_STATEMENTS[2])
    score_4 = _score_field(CQC_STATEMENTS[3])
    score_5 = _score_field(CQC_STATEMENTS[4])
    score_6 = _score_field(CQC_STATEMENTS[5])
    score_7 = _score_field(CQC_STATEMENTS[6])
    score_8 = _score_field(CQC_STATEMENTS[7])
    score_9 = _score_field(CQC_STATEMENTS[8])
    report_url = models.URLField("report's address", max_length=500, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    source_import = models.ForeignKey(
        "scorecard.ImportRecord", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "-assessed_on"]
        verbose_name = "CQC assessment"
        constraints = [
            models.UniqueConstraint(fields=["council", "assessed_on"], name="one_cqc_assessment_per_month"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 4}), name=f"cqc_{name}_1_to_4"
                )
                for name in SCORE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} – CQC {self.assessed_on:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("scorecard:cqc-council", args=[self.council.gss_code])

    def clean(self) -> None:
        """The admin's check: a published rating must be the one its scores give (docs/SCORING.md)."""
        scores = self.scores
        if all(isinstance(score, int) and 1 <= score <= 4 for score in scores):
            problem = rating_disagreement(scores=scores, rating=self.published_rating)
            if problem:
                raise ValidationError({"rating": problem[0].upper() + problem[1:]})

    @property
    def region(self) -> Region | None:
        """The region whose SLI lead may enter and correct it (for the permission rules)."""
        return self.council.region

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in SCORE_FIELDS)

    @property
    def percent(self) -> Decimal:
        return cqc_percent(self.scores)

    @property
    def implied_rating(self) -> CqcRating:
        return cqc_rating(self.scores)

    @property
    def published_rating(self) -> CqcRating | None:
        """CQC's published rating; None when not rated."""
        return CqcRating(self.get_rating_display()) if self.rating else None

    @property
    def assessed_label(self) -> str:
        """The month as the API gives it, e.g. "2025-05"."""
        return f"{self.assessed_on:%Y-%m}"
