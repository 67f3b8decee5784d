"""Forms for the plenary page, theme edits, merges, splits and the work programme (GOV.UK classes)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from councils.models import Membership
from peerchallenge.forms import GovUKMixin
from peerchallenge.models import Summit
from peerchallenge.themes import services
from peerchallenge.themes.models import Recommendation, Theme, WorkItem
from peerchallenge.themes.selectors import theme_measures
from scorecard.models import Domain


def _multi_select(field: forms.Field, *, size: int) -> None:
    """GovUKMixin styles a multiple select as an input (one line high): make it a tall select."""
    field.widget.attrs["class"] = field.widget.attrs.get("class", "").replace("govuk-input", "govuk-select")
    field.widget.attrs["size"] = size


class ThemeForm(GovUKMixin, forms.Form):
    """One theme. Keys (GSS codes, slugs, measure keys, group numbers) as the JSON API takes them."""

    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title for the theme"})
    councils = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Councils that raised it"
    )
    domains = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    measures = forms.MultipleChoiceField(
        required=False,
        label="Linked measures",
        help_text="Hold Ctrl (or Cmd) to choose more than one",
    )
    sessions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Sessions it came from"
    )
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(
        required=False, max_length=5000, label="What was said", widget=forms.Textarea(attrs={"rows": 3})
    )
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, summit: Summit, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.summit = summit
        cast(forms.ChoiceField, self.fields["councils"]).choices = [
            (c.gss_code, c.name) for c in summit.region.councils.order_by("name")
        ]
        cast(forms.ChoiceField, self.fields["domains"]).choices = [
            (d.slug, d.name) for d in Domain.objects.order_by("position")
        ]
        cast(forms.ChoiceField, self.fields["measures"]).choices = [
            (m.key, f"{m.code} {m.title}") for m in theme_measures(summit=summit)
        ]
        groups = summit.groups.prefetch_related("members__council").order_by("position")
        cast(forms.ChoiceField, self.fields["sessions"]).choices = [
            (str(g.position), f"Group {g.position}: " + ", ".join(m.council.name for m in g.members.all()))
            for g in groups
        ]
        if not self.is_bound and not self.initial.get("client_id"):
            self.initial["client_id"] = uuid.uuid4().hex
        self._style()
        _multi_select(self.fields["measures"], size=8)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        data, errors = services.theme_input_from_keys(
            summit=self.summit,
            title=cleaned.get("title", ""),
            description=cleaned.get("description", ""),
            note=cleaned.get("note", ""),
            domains=cleaned.get("domains", []),
            councils=cleaned.get("councils", []),
            measures=cleaned.get("measures", []),
            sessions=cleaned.get("sessions", []),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        cleaned["input"] = data
        return cleaned

    @staticmethod
    def initial_for(theme: Theme) -> dict:
        return {
            "title": theme.title,
            "description": theme.description,
            "note": theme.note,
            "councils": [c.gss_code for c in theme.councils.all()],
            "domains": [d.slug for d in theme.domains.all()],
            "measures": [m.key for m in theme.measures.all()],
            "sessions": [str(g.position) for g in theme.sessions.all()],
        }


class ThemeListForm(GovUKMixin, forms.Form):
    """Several themes at once, one title a line (the plenary's notes typed or pasted in)."""

    titles = forms.CharField(
        label="Several themes at once",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One theme a line. You can add the councils, domains and measures to each afterwards.",
        error_messages={"required": "Enter at least one theme, one a line"},
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.prefix = "many"
        self._style()

    def clean_titles(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["titles"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Enter at least one theme, one a line")
        return lines


class ThemeBulkForm(forms.Form):
    """Themes ticked on the summit's theme list, and what to do with them."""

    MERGE, PLAN = "merge", "plan"
    themes = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": "Tick the themes first"}, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(choices=[(MERGE, "Merge"), (PLAN, "Add to the work programme")])

    def __init__(self, *args, summit: Summit, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        current = summit.themes.filter(merged_into__isnull=True).order_by("title")
        cast(forms.TypedMultipleChoiceField, self.fields["themes"]).choices = [
            (t.pk, t.title) for t in current
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("action") == self.MERGE and len(cleaned.get("themes") or []) == 1:
            self.add_error("themes", "Tick two or more themes to merge them")
        return cleaned


class MergeForm(GovUKMixin, forms.Form):
    source = forms.TypedChoiceField(
        coerce=int, label="Duplicate to merge into this theme", error_messages={"required": "Choose a theme"}
    )

    def __init__(self, *args, theme: Theme, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        others = theme.summit.themes.filter(merged_into__isnull=True).exclude(pk=theme.pk).order_by("title")
        cast(forms.ChoiceField, self.fields["source"]).choices = [("", "Choose a theme")] + [
            (t.pk, t.title) for t in others
        ]
        self._style()


class LinkForm(GovUKMixin, forms.Form):
    earlier = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="The same theme raised at an earlier summit"
    )

    def __init__(self, *args, theme: Theme, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        earlier = (
            Theme.objects.filter(
                summit__region_id=theme.summit.region_id,
                summit__date__lt=theme.summit.date,
                merged_into__isnull=True,
            )
            .select_related("summit")
            .order_by("-summit__date", "title")
        )
        cast(forms.ChoiceField, self.fields["earlier"]).choices = [("", "Not linked")] + [
            (t.pk, f"{t.title} ({t.summit.date.year})") for t in earlier
        ]
        self._style()


class SplitForm(GovUKMixin, forms.Form):
    title = forms.CharField(
        max_length=200, label="Title of the new theme", error_messages={"required": "Enter a title"}
    )
    councils = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Councils that move to the new theme"
    )

    def __init__(self, *args, theme: Theme, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["councils"]).choices = [
            (c.gss_code, c.name) for c in theme.councils.order_by("name")
        ]
        self._style()


class LoggerForm(GovUKMixin, forms.Form):
    user = forms.TypedChoiceField(coerce=int, label="Person", error_messages={"required": "Choose a person"})

    def __init__(self, *args, summit: Summit, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        region = summit.region
        users = get_user_model().objects.filter(
            Q(memberships__region=region, memberships__role__in=Membership.REGION_ROLES)
            | Q(memberships__council__region=region, memberships__role__in=Membership.COUNCIL_ROLES)
        )
        cast(forms.ChoiceField, self.fields["user"]).choices = [("", "Choose a person")] + [
            (u.pk, u.get_full_name() or u.username) for u in users.distinct().order_by("username")
        ]
        self._style()


class DateInput(forms.DateInput):
    input_type = "date"


class WorkItemForm(GovUKMixin, forms.ModelForm):
    class Meta:
        model = WorkItem
        fields = ["title", "why", "lead", "priority", "due_date", "themes"]
        widgets = {"due_date": DateInput(format="%Y-%m-%d"), "why": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, themes, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["themes"]).queryset = themes
        self.fields["themes"].required = False
        self.fields["themes"].help_text = "Hold Ctrl (or Cmd) to choose more than one"
        self.fields["title"].error_messages["required"] = "Enter a title"
        self._style()
        _multi_select(self.fields["themes"], size=6)


class WorkUpdateForm(GovUKMixin, forms.Form):
    text = forms.CharField(
        required=False, max_length=5000, label="Update", widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(required=False, label="New status")

    def __init__(self, *args, item: WorkItem, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        allowed = WorkItem.TRANSITIONS[WorkItem.Status(item.status)]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", f"No change ({item.get_status_display().lower()})")
        ] + [(s.value, s.label) for s in allowed]
        self._style()


class FindingForm(GovUKMixin, forms.Form):
    key_findings = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    recommendations = forms.CharField(
        required=False,
        max_length=5000,
        label="New recommendations",
        help_text="One a line",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    publish_as_lesson = forms.BooleanField(
        required=False,
        label="Publish the key findings as a lesson learnt",
        help_text="Lessons learnt are read by every DASS and delegate in the region. Leave this unticked to "
        "keep the findings to this council and the coordinator.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._style()


class FollowUpForm(GovUKMixin, forms.Form):
    follow_up = forms.ChoiceField(choices=Recommendation.FollowUp.choices[1:], label="Status at six months")
    follow_up_note = forms.CharField(
        required=False, max_length=5000, label="Note", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._style()
