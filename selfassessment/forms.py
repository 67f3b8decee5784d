"""Forms: open a cycle; fill in a self-assessment (save as draft, or submit); reopen with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Region
from scorecard.figures import periods_with_figures
from scorecard.models import Domain, Measure, Period
from scorecard.scoring import CQC_SCORE_WORDS
from selfassessment.models import (
    PROMPT_LIMIT,
    RISK_LIMIT,
    TEXT_LIMIT,
    FrameworkStatement,
    Rating,
    SelfAssessment,
    SelfAssessmentCycle,
    SelfAssessmentFramework,
)
from selfassessment.services import ActionInput, DomainInput, SelfAssessmentInput, StatementInput

TEXT_PARTS = (
    ("strengths", "Strengths"),
    ("improvements", "Areas for improvement"),
    ("evidence", "Evidence relied on"),
)
RISK_ORDINALS = ("first", "second", "third")
ACTION_ROWS = 3  # actions a statement's form offers (what, owner, by when)
ACTION_LIMIT = 500
SCORE_CHOICES = [(score, f"{score} {words}") for score, words in CQC_SCORE_WORDS.items()]


class TypedTextField(forms.CharField):
    """Text kept as typed, except that browsers' CRLF line ends become LF before the length is checked
    (so the limit matches the character count the page shows)."""

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace("\r\n", "\n")


def _too_long(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


class CycleForm(forms.Form):
    name = forms.CharField(
        label="Name of the cycle",
        max_length=100,
        help_text="For example, 2026-27 peer challenge",
        error_messages={"required": "Enter a name for the cycle", "max_length": _too_long("The name", 100)},
    )
    closes_on = forms.DateField(
        label="Closing date",
        help_text="The date self-assessments are due, for example 2027-01-31",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "required": "Enter a closing date",
            "invalid": "Enter a real date, for example 2027-01-31",
        },
    )
    framework = forms.ModelChoiceField(
        label="Framework",
        queryset=SelfAssessmentFramework.objects.none(),
        empty_label=None,
        required=False,  # none chosen: the six domains
        help_text="What the councils assess themselves against",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a framework from the list"},
    )
    period = forms.ModelChoiceField(
        label="Data period to compare with",
        queryset=Period.objects.none(),
        empty_label=None,
        help_text="Each self-rating is set beside the council's data for this year",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Select a data period", "invalid_choice": "Select a data period"},
    )

    def __init__(self, *args: Any, region: Region, prompts: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["name"].widget.attrs["class"] = "govuk-input"
        with_figures = [p.pk for p in periods_with_figures()]
        cast(forms.ModelChoiceField, self.fields["period"]).queryset = Period.objects.filter(
            pk__in=with_figures
        ).order_by("-start_year")
        self.fields["period"].help_text += " (only years with figures are listed)"
        framework_field = cast(forms.ModelChoiceField, self.fields["framework"])
        framework_field.queryset = SelfAssessmentFramework.objects.order_by("position", "name")
        framework_field.initial = framework_field.queryset.filter(
            kind=SelfAssessmentFramework.Kind.DOMAINS
        ).first()
        self.domains = list(Domain.objects.all())
        for domain in self.domains:
            self.fields[f"prompt-{domain.slug}"] = forms.CharField(
                label=f"Areas to consider: {domain.name} (six domains)",
                required=False,
                max_length=PROMPT_LIMIT,
                initial=prompts.get(domain.slug, ""),
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
                error_messages={
                    "max_length": _too_long(f"Areas to consider for {domain.name}", PROMPT_LIMIT)
                },
            )

    @property
    def prompt_fields(self) -> list[forms.BoundField]:
        return [self[f"prompt-{d.slug}"] for d in self.domains]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError("Enter a name that contains letters or numbers")
        if slug == "new":
            raise forms.ValidationError("Enter a name other than New, for example 2026-27 peer challenge")
        if SelfAssessmentCycle.objects.filter(region=self.region, slug=slug).exists():
            raise forms.ValidationError(f"{self.region} already has a cycle called {name}")
        return name

    def clean_framework(self) -> SelfAssessmentFramework | None:
        chosen = self.cleaned_data.get("framework")
        return chosen or cast(forms.ModelChoiceField, self.fields["framework"]).initial

    def clean_closes_on(self) -> date:
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError("The closing date must be today or in the future")
        return closes_on

    def prompts(self) -> dict[str, str]:
        return {d.slug: self.cleaned_data.get(f"prompt-{d.slug}", "") for d in self.domains}


class SelfAssessmentForm(forms.Form):
    """Every domain's rating, strengths, improvements, evidence and measures, and the top three risks.

    Saving a draft checks only lengths; ``submitting=True`` also needs every domain rated and three risks.
    Text is kept as typed (not stripped) and shown escaped.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args: Any,
        domains: list[Domain],
        measures: list[Measure],
        statements: list[FrameworkStatement] | None = None,
        submitting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.statements = statements or []
        self.domains = [] if self.statements else domains
        domains = self.domains
        self.submitting = submitting
        self.measure_ids = {m.pk for m in measures}
        for statement in self.statements:
            self._statement_fields(statement, measures)
        for domain in domains:
            name = domain.name
            self.fields[f"{domain.slug}-rating"] = forms.ChoiceField(
                label=f"Self-rating for {name}",
                choices=Rating.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Select green, amber or red for {name}"},
            )
            self._evidence_fields(domain.slug, name, measures)
        for number, ordinal in enumerate(RISK_ORDINALS, start=1):
            self.fields[f"top_risk_{number}"] = TypedTextField(
                label=f"Risk {number}",
                required=False,
                strip=False,
                max_length=RISK_LIMIT,
                widget=forms.Textarea,
                error_messages={"max_length": _too_long(f"The {ordinal} risk", RISK_LIMIT)},
            )

    def _evidence_fields(self, key: str, name: str, measures: list[Measure]) -> None:
        """Strengths, improvements, evidence and the measures relied on, for one domain or statement."""
        for part, label in TEXT_PARTS:
            self.fields[f"{key}-{part}"] = TypedTextField(
                label=label,
                required=False,
                strip=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea,
                error_messages={"max_length": _too_long(f"{label} for {name}", TEXT_LIMIT)},
            )
        self.fields[f"{key}-measures"] = forms.TypedMultipleChoiceField(
            label=f"Measures relied on for {name}",
            required=False,
            coerce=int,
            choices=[(m.pk, str(m)) for m in measures],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": f"Choose measures from the list for {name}"},
        )

    def _statement_fields(self, statement: FrameworkStatement, measures: list[Measure]) -> None:
        key, name = f"qs{statement.number}", f"{statement.number} {statement.name}"
        self.fields[f"{key}-score"] = forms.TypedChoiceField(
            label=f"Self-score for {name}",
            choices=SCORE_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"Choose a score (1, 2, 3 or 4) for {name}"},
        )
        self._evidence_fields(key, name, measures)
        for row in range(1, ACTION_ROWS + 1):
            prefix = f"{key}-action{row}"
            self.fields[f"{prefix}-what"] = forms.CharField(
                label=f"Action {row}: what",
                required=False,
                max_length=ACTION_LIMIT,
                error_messages={"max_length": _too_long(f"Action {row} for {name}", ACTION_LIMIT)},
            )
            self.fields[f"{prefix}-owner"] = forms.CharField(
                label=f"Action {row}: owner",
                required=False,
                max_length=200,
                error_messages={"max_length": _too_long(f"The owner of action {row} for {name}", 200)},
            )
            self.fields[f"{prefix}-due"] = forms.DateField(
                label=f"Action {row}: by when",
                required=False,
                input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={
                    "invalid": f"Enter a real date for action {row} of {name}, for example 2027-03-31"
                },
            )

    @classmethod
    def initial_for(cls, assessment: SelfAssessment | None) -> dict[str, Any]:
        if assessment is None:
            return {"version": 0}
        initial: dict[str, Any] = {
            "version": assessment.version,
            "top_risk_1": assessment.top_risk_1,
            "top_risk_2": assessment.top_risk_2,
            "top_risk_3": assessment.top_risk_3,
        }
        for row in assessment.domains.all():
            slug = row.domain.slug
            initial[f"{slug}-rating"] = row.rating
            initial[f"{slug}-strengths"] = row.strengths
            initial[f"{slug}-improvements"] = row.improvements
            initial[f"{slug}-evidence"] = row.evidence
            initial[f"{slug}-measures"] = [m.pk for m in row.measures.all()]
        for statement_row in assessment.statements.all():
            key = f"qs{statement_row.statement.number}"
            initial[f"{key}-score"] = statement_row.score
            initial[f"{key}-strengths"] = statement_row.strengths
            initial[f"{key}-improvements"] = statement_row.improvements
            initial[f"{key}-evidence"] = statement_row.evidence
            initial[f"{key}-measures"] = [m.pk for m in statement_row.measures.all()]
            for number, action in enumerate(statement_row.actions[:ACTION_ROWS], start=1):
                for part in ("what", "owner", "due"):
                    initial[f"{key}-action{number}-{part}"] = action.get(part, "")
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.submitting:
            return data
        for domain in self.domains:
            field = f"{domain.slug}-rating"
            if not data.get(field) and field not in self.errors:
                self.add_error(field, f"Select a rating for {domain.name}")
        for statement in self.statements:
            field = f"qs{statement.number}-score"
            if not data.get(field) and field not in self.errors:
                self.add_error(field, f"Select a score for {statement.number} {statement.name}")
        for number, ordinal in enumerate(RISK_ORDINALS, start=1):
            field = f"top_risk_{number}"
            if not (data.get(field) or "").strip() and field not in self.errors:
                self.add_error(field, f"Enter the {ordinal} of your top three risks")
        return data

    def domain_groups(self) -> list[dict[str, Any]]:
        """Bound fields per domain, in page order, for the template."""
        return [
            {
                "domain": domain,
                "rating": self[f"{domain.slug}-rating"],
                "texts": [self[f"{domain.slug}-{part}"] for part, _ in TEXT_PARTS],
                "measures": self[f"{domain.slug}-measures"],
            }
            for domain in self.domains
        ]

    def statement_groups(self) -> list[dict[str, Any]]:
        """Bound fields per statement, in CQC's order, for the template."""
        groups = []
        for statement in self.statements:
            key = f"qs{statement.number}"
            groups.append(
                {
                    "statement": statement,
                    "score": self[f"{key}-score"],
                    "texts": [self[f"{key}-{part}"] for part, _ in TEXT_PARTS],
                    "measures": self[f"{key}-measures"],
                    "actions": [
                        [self[f"{key}-action{row}-{part}"] for part in ("what", "owner", "due")]
                        for row in range(1, ACTION_ROWS + 1)
                    ],
                }
            )
        return groups

    def risk_fields(self) -> list[forms.BoundField]:
        return [self[f"top_risk_{n}"] for n in (1, 2, 3)]

    def to_input(self) -> SelfAssessmentInput:
        data = self.cleaned_data
        return SelfAssessmentInput(
            domains={
                d.pk: DomainInput(
                    rating=data.get(f"{d.slug}-rating") or "",
                    strengths=data.get(f"{d.slug}-strengths") or "",
                    improvements=data.get(f"{d.slug}-improvements") or "",
                    evidence=data.get(f"{d.slug}-evidence") or "",
                    measure_ids=[pk for pk in data.get(f"{d.slug}-measures") or [] if pk in self.measure_ids],
                )
                for d in self.domains
            },
            top_risks=[data.get(f"top_risk_{n}") or "" for n in (1, 2, 3)],
            statements={s.pk: self._statement_input(s) for s in self.statements},
        )

    def _statement_input(self, statement: FrameworkStatement) -> StatementInput:
        data, key = self.cleaned_data, f"qs{statement.number}"
        return StatementInput(
            score=data.get(f"{key}-score"),
            strengths=data.get(f"{key}-strengths") or "",
            improvements=data.get(f"{key}-improvements") or "",
            evidence=data.get(f"{key}-evidence") or "",
            measure_ids=[pk for pk in data.get(f"{key}-measures") or [] if pk in self.measure_ids],
            actions=[
                ActionInput(
                    what=(data.get(f"{key}-action{row}-what") or "").strip(),
                    owner=(data.get(f"{key}-action{row}-owner") or "").strip(),
                    due=data.get(f"{key}-action{row}-due"),
                )
                for row in range(1, ACTION_ROWS + 1)
            ],
        )


class ReopenRequestForm(forms.Form):
    reason = forms.CharField(
        label="What needs to change?",
        help_text="The region's peer-challenge coordinator reads this and reopens the self-assessment",
        max_length=RISK_LIMIT,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        error_messages={
            "required": "Say what needs to change in the self-assessment",
            "max_length": _too_long("What needs to change", RISK_LIMIT),
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say what needs to change in the self-assessment")
        return reason


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being reopened?",
        help_text="The council and the region see this reason in the history",
        max_length=RISK_LIMIT,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        error_messages={
            "required": "Enter a reason for reopening the self-assessment",
            "max_length": _too_long("The reason", RISK_LIMIT),
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter a reason for reopening the self-assessment")
        return reason
