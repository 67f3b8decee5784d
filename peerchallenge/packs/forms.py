"""The coordinator's question bank form."""

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
