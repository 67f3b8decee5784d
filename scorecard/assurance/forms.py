"""Entering a council's CQC outcome by hand (an SLI lead for their region's councils, or an admin)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from scorecard.assurance.services import FIRST_ASSESSMENT, month_parse, rating_disagreement, rating_parse
from scorecard.scoring import CQC_SCORE_WORDS, CQC_STATEMENTS, CqcRating

SCORE_CHOICES = [("", "Choose a score")] + [
    (str(n), f"{n} – {words}") for n, words in CQC_SCORE_WORDS.items()
]
RATING_CHOICES = [(r.value, r.value) for r in reversed(CqcRating)] + [("not rated", "Not rated")]


class CqcAssessmentForm(forms.Form):
    assessed = forms.CharField(
        label="Month of the assessment",
        max_length=20,
        help_text="As CQC's report gives it, for example May 2025. Entering a month already recorded corrects it.",
        error_messages={"required": "Enter the month of the assessment, for example May 2025"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    rating = forms.ChoiceField(
        label="Overall rating",
        choices=[("", "Choose the rating"), *RATING_CHOICES],
        help_text="As published; choose Not rated when CQC gave scores but no rating",
        error_messages={"required": "Choose the overall rating, or Not rated"},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    report_url = forms.URLField(
        label="Address of CQC's report",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For example https://www.cqc.org.uk/care-services/local-authority-assessment-reports/…",
        error_messages={"invalid": "Enter the report's web address, starting https://"},
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for statement in CQC_STATEMENTS:
            self.fields[f"score_{statement.number}"] = forms.TypedChoiceField(
                label=f"{statement.number}. {statement.name}",
                help_text=statement.theme,
                choices=SCORE_CHOICES,
                coerce=int,
                error_messages={
                    "required": f"Choose the score for {statement.number}. {statement.name}",
                    "invalid_choice": f"Choose a score from 1 to 4 for {statement.number}. {statement.name}",
                },
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{s.number}"] for s in CQC_STATEMENTS]

    def clean_assessed(self) -> date:
        month = month_parse(self.cleaned_data["assessed"])
        if month is None:
            raise forms.ValidationError("Enter the month as a month and year, for example May 2025")
        if month < FIRST_ASSESSMENT:
            raise forms.ValidationError(
                "CQC's assessments of councils began in April 2023: enter a later month"
            )
        if month > timezone.localdate():
            raise forms.ValidationError("The month of the assessment cannot be in the future")
        return month

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scores = [data.get(f"score_{s.number}") for s in CQC_STATEMENTS]
        _, rating = rating_parse(data.get("rating", ""))
        data["rating"] = rating
        if "rating" not in self.errors and all(isinstance(score, int) for score in scores):
            problem = rating_disagreement(scores=tuple(scores), rating=rating)  # type: ignore[arg-type]
            if problem:
                self.add_error("rating", problem[0].upper() + problem[1:])
        return data
