from typing import cast

from django import forms

from councils.models import Council, Region
from peerchallenge.models import LessonLearnt, Summit
from peerchallenge.progress import today
from peerchallenge.selectors import PeriodGaps, period_gaps
from scorecard.models import Domain, Period
from scorecard.periods import periods_with_council_figures
from selfassessment.models import SelfAssessmentCycle
from selfassessment.selectors import open_cycle_for_region

INPUT = {"class": "govuk-input"}
SHORT = {"class": "govuk-input govuk-input--width-4"}


CSS_BY_WIDGET: dict[type[forms.Widget], str] = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
}


class GovUKMixin:
    """GOV.UK classes on widgets and an error class on fields with errors."""

    def _style(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = CSS_BY_WIDGET.get(type(widget), "govuk-input")
            if (css == "govuk-input" and name.endswith("minutes")) or name in ("lookback_years", "seed"):
                css += " govuk-input--width-4"
            if self.errors.get(name):  # type: ignore[attr-defined]
                css += f" {css.split()[0]}--error"
            widget.attrs["class"] = css
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"


class SummitForm(GovUKMixin, forms.ModelForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), empty_label=None)
    participants = forms.ModelMultipleChoiceField(
        queryset=Council.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Every council of the region takes part unless you untick it",
        error_messages={"required": "Choose the councils taking part"},
    )

    class Meta:
        model = Summit
        fields = [
            "region",
            "name",
            "date",
            "venue",
            "cycle",
            "period",
            "start_time",
            "session_minutes",
            "break_minutes",
            "plenary_break_minutes",
            "plenary_minutes",
            "rooms",
            "plenary_room",
            "lookback_years",
            "triads",
            "seed",
            "participants",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "rooms": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"seed": "Another number gives another pairing among equally good ones"}
        error_messages = {
            "name": {"required": "Enter the summit's name"},
            "date": {"required": "Enter the summit's date", "invalid": "Enter a real date"},
            "venue": {"required": "Enter the venue"},
            "start_time": {"required": "Enter a start time", "invalid": "Enter a time such as 10:00"},
        }

    def __init__(self, *args, regions, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        cast(forms.ModelChoiceField, self.fields["participants"]).queryset = Council.objects.filter(
            region__in=regions
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["cycle"]).queryset = SelfAssessmentCycle.objects.filter(
            region__in=regions
        ).order_by("-closes_on")
        cast(forms.ModelChoiceField, self.fields["cycle"]).empty_label = "No self-assessment cycle"
        self._period_field()
        self.fields["name"].required = False
        self.fields["name"].help_text = (
            "Leave blank for the region's name and the month, for example "
            "“West Midlands peer challenge summit, November 2027”"
        )
        self.fields["date"].help_text = "A weekday, today or later, for example 2027-11-12"
        if self.instance.pk:
            self.fields["region"].disabled = True
        elif not self.is_bound:
            first = regions.first()
            if first is not None:
                self._defaults_for(first)
        if not self.is_bound:
            self._initial_gaps()
        self._style()

    def _initial_gaps(self) -> None:
        """What the packs would lack with the values the form starts with (shown before anything is sent)."""
        period = self.initial.get("period") or (self.instance.period_id if self.instance.pk else None)
        councils = self.initial.get("participants")
        if councils is None and self.instance.pk:
            councils = list(self.instance.participants.all())
        cycle = self.initial.get("cycle") or (self.instance.cycle_id if self.instance.pk else None)
        data = {
            "period": Period.objects.filter(pk=getattr(period, "pk", period)).first() if period else None,
            "participants": Council.objects.filter(pk__in=[getattr(c, "pk", c) for c in councils or []]),
            "cycle": SelfAssessmentCycle.objects.filter(pk=getattr(cycle, "pk", cycle))
            .select_related("period")
            .first()
            if cycle
            else None,
            "confirm_gaps": True,  # nothing sent yet: say what is missing, ask for no confirmation
        }
        self._period_check(data)

    confirm_gaps = forms.BooleanField(
        required=False,
        label="Use this year anyway",
        help_text="Each pack says which figures are missing",
    )

    def _period_field(self) -> None:
        """Only years with loaded figures, newest first; a new summit (or one planned before there was a
        choice) starts at the latest."""
        with_figures = periods_with_council_figures()
        field = cast(forms.ModelChoiceField, self.fields["period"])
        field.queryset = Period.objects.filter(pk__in=[p.pk for p in with_figures]).order_by("-start_year")
        field.empty_label = None
        field.label = "Year of the figures"
        field.required = bool(with_figures)
        field.help_text = (
            "The year of the figures in the challenge packs: only years with figures loaded are listed"
            if with_figures
            else "No figures have been loaded yet: the packs will have none to show"
        )
        field.error_messages["required"] = "Choose the year of the figures for the packs"
        field.error_messages["invalid_choice"] = "Choose one of the years listed"
        if with_figures and not (self.instance.pk and self.instance.period_id):
            self.initial.setdefault("period", with_figures[0].pk)
        self.gaps: PeriodGaps | None = None

    def _period_check(self, data: dict) -> None:
        """Say what the packs for the chosen year will lack (councils with no figure for it, a cycle whose
        year has none) and ask the coordinator to confirm it before the summit is saved."""
        period, councils, cycle = data.get("period"), data.get("participants"), data.get("cycle")
        if period is None or not councils:
            return
        cycle_period = cycle.period if cycle is not None and cycle.period_id != period.pk else None
        self.gaps = period_gaps(period=period, councils=councils, cycle_period=cycle_period)
        if self.gaps and not data.get("confirm_gaps"):
            self.add_error(
                "confirm_gaps",
                f"The packs for {period.label} will lack figures: confirm that you want this year, "
                "or choose another",
            )

    def _defaults_for(self, region: Region) -> None:
        """A new summit starts from the region: every council, its open self-assessment cycle, and the venue,
        rooms and timings of its last summit."""
        self.initial.setdefault("region", region.pk)
        self.initial.setdefault(
            "participants",
            list(region.councils.exclude(status=Council.Status.FORMER).values_list("pk", flat=True)),
        )
        cycle = open_cycle_for_region(region=region)
        if cycle is not None:
            self.initial.setdefault("cycle", cycle.pk)
        last = Summit.objects.filter(region=region).order_by("-date", "-pk").first()
        if last is not None:
            for name in self.REUSED:
                self.initial.setdefault(name, getattr(last, name))

    # What a new summit takes from the region's last one.
    REUSED = (
        "venue",
        "rooms",
        "plenary_room",
        "start_time",
        "session_minutes",
        "break_minutes",
        "plenary_break_minutes",
        "plenary_minutes",
        "lookback_years",
        "triads",
    )

    def clean_date(self):  # type: ignore[no-untyped-def]
        date = self.cleaned_data.get("date")
        if date is None or (self.instance.pk and date == self.instance.date):
            return date  # an unchanged date is kept as it is
        if date < today():
            raise forms.ValidationError("The summit's date must be today or in the future")
        if date.weekday() >= 5:
            raise forms.ValidationError(
                f"{date:%A} {date.day} {date:%B %Y} is a weekend: choose a weekday for the summit"
            )
        return date

    def clean(self):  # type: ignore[no-untyped-def]
        super().clean()
        data = self.cleaned_data
        region, councils = data.get("region"), data.get("participants")
        cycle = data.get("cycle")
        if region and cycle and cycle.region_id != region.pk:
            self.add_error("cycle", f"{cycle} is not a cycle of {region}")
        if region and councils:
            outside = [c.name for c in councils if c.region_id != region.pk]
            if outside:
                self.add_error("participants", f"{', '.join(outside)} is not in {region}")
            elif len(councils) < 2:
                self.add_error("participants", "Choose at least two councils to pair")
        self._period_check(data)
        if region and data.get("date") and not (data.get("name") or "").strip():
            date = data["date"]
            data["name"] = f"{region} peer challenge summit, {date:%B %Y}"
        return data


class SummitReasonForm(GovUKMixin, forms.Form):
    """The reason kept in the summit's history (needed to reopen a held or closed summit)."""

    reason = forms.CharField(
        label="Why are you reopening the summit?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the summit's history, with your name and the date",
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, required: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].error_messages["required"] = "Enter the reason for reopening the summit"
        self._style()


class SwapForm(GovUKMixin, forms.Form):
    first = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        label="Council",
        error_messages={"required": "Choose the first council"},
    )
    second = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        label="Swap with",
        error_messages={"required": "Choose the council to swap with"},
    )

    def __init__(self, *args, councils, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["first"]).queryset = councils
        cast(forms.ModelChoiceField, self.fields["second"]).queryset = councils
        self._style()

    def clean(self):  # type: ignore[no-untyped-def]
        super().clean()
        data = self.cleaned_data
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", "Choose a different council to swap with")
        return data


class AvoidPairForm(SwapForm):
    reason = forms.CharField(max_length=200, required=False, help_text="For example: they share a DASS")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # The prefix must be known before the form reads its data (setting it afterwards read "first" and
        # "second" while the page posts "avoid-first" and "avoid-second": every constraint was refused).
        kwargs.setdefault("prefix", "avoid")
        super().__init__(*args, **kwargs)
        self.fields["first"].label = "Never pair"
        self.fields["second"].label = "with"
        self.fields["second"].error_messages["required"] = "Choose the second council"


class LessonForm(GovUKMixin, forms.ModelForm):
    class Meta:
        model = LessonLearnt
        fields = ["region", "date", "host", "challenger", "domain", "key_findings"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "key_findings": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"host": "Host (council challenged)"}
        error_messages = {
            "date": {"required": "Enter the date of the peer challenge", "invalid": "Enter a real date"},
            "host": {"required": "Choose the host council"},
            "challenger": {"required": "Choose the challenging council"},
            "key_findings": {"required": "Enter the key findings"},
        }

    def __init__(self, *args, regions, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        cast(forms.ModelChoiceField, self.fields["region"]).empty_label = None
        councils = Council.objects.filter(region__in=regions).order_by("name")
        cast(forms.ModelChoiceField, self.fields["host"]).queryset = councils
        cast(forms.ModelChoiceField, self.fields["challenger"]).queryset = councils
        cast(forms.ModelChoiceField, self.fields["domain"]).queryset = Domain.objects.all()
        cast(forms.ModelChoiceField, self.fields["domain"]).empty_label = "Not one domain"
        self._style()

    def clean(self):  # type: ignore[no-untyped-def]
        super().clean()
        data = self.cleaned_data
        region, host, challenger = data.get("region"), data.get("host"), data.get("challenger")
        if host and challenger and host == challenger:
            self.add_error("challenger", "A council cannot challenge itself")
        if region:
            for name in ("host", "challenger"):
                council = data.get(name)
                if council and council.region_id != region.pk:
                    self.add_error(name, f"{council} is not in {region}")
        return data


class LessonFilterForm(forms.Form):
    domain = forms.ModelChoiceField(queryset=Domain.objects.all(), required=False, empty_label="All domains")
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", "All years")] + [
            (y, str(y)) for y in years
        ]
        self.fields["domain"].widget.attrs["class"] = "govuk-select"
        self.fields["year"].widget.attrs["class"] = "govuk-select"
