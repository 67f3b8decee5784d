"""The coordinator's question bank form."""

from typing import cast

from django import forms

from peerchallenge.forms import GovUKMixin
from peerchallenge.packs.models import QUESTION_LIMIT
from scorecard.models import Domain


class BankQuestionForm(GovUKMixin, forms.Form):
    domain = forms.ModelChoiceField(
        queryset=Domain.objects.all(),
        label="Domain",
        empty_label="Choose a domain",
        error_messages={"required": "Choose the domain the question belongs to"},
    )
    text = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=QUESTION_LIMIT,
        help_text="An open question every challenging council starts with, e.g. “What is driving …?”",
        error_messages={
            "required": "Enter the question",
            "max_length": f"The question must be {QUESTION_LIMIT:,} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._style()


class PackOnDemandForm(GovUKMixin, forms.Form):
    """Which council and period to make a pack about, outside a summit (read from the query string)."""

    council = forms.ChoiceField(
        label="Council",
        error_messages={
            "required": "Choose the council the pack is about",
            "invalid_choice": "Choose one of the councils listed",
        },
    )
    period = forms.ChoiceField(
        label="Period",
        help_text="The year of the figures, self-assessment and risk triggers in the pack",
        error_messages={
            "required": "Choose the period",
            "invalid_choice": "Choose one of the periods listed",
        },
    )

    confirm = forms.BooleanField(
        required=False,
        label="Make the pack for this year anyway",
        help_text="The pack will say that it has no figures",
    )

    def __init__(self, *args, councils, periods, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["council"]).choices = [("", "Choose a council")] + [
            (c.gss_code, f"{c.name} ({c.gss_code})") for c in councils
        ]
        cast(forms.ChoiceField, self.fields["period"]).choices = [(p.label, p.label) for p in periods]
        if periods:
            self.fields["period"].initial = periods[0].label
        self._style()
