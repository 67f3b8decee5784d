"""The upload form of the import pages."""

from pathlib import Path
from typing import cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from councils.models import Region
from councils.rules import led_regions
from scorecard.models import ImportRecord
from scorecard.periods import period_start_year

ALLOWED_EXTENSIONS = (".csv", ".xlsx", ".json")
DATA_EXTENSIONS = (".csv", ".xlsx")


def possessive(name: str) -> str:
    """ "West Midlands'", "London's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


class ImportUploadForm(forms.Form):
    """Upload a data file for a dry-run preview. What each kind loads for this user is said beside it, before
    the upload: a regional SLI lead loads an ASCOF file for their own region's councils only."""

    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[
            (ImportRecord.Kind.ASCOF, "ASCOF file (Measures from the ASCOF, as published by NHS England)"),
            (ImportRecord.Kind.LOCAL, "Local measures (the region's own template)"),
            (ImportRecord.Kind.NEIGHBOURS, "Nearest-neighbour groups (a JSON file)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of file it is"},
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label="Which region's figures?",
        help_text="You lead more than one region: an ASCOF file is loaded for one of them at a time.",
        empty_label="Choose a region",
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"},
    )
    year = forms.CharField(
        label="Year (optional)",
        required=False,
        max_length=9,
        help_text="Only for a single-year ASCOF file without a Year column, for example 2023-24.",
    )
    skip_unknown_measures = forms.BooleanField(
        label="Skip measures that are not in the catalogue",
        required=False,
        help_text="For ASCOF files from a newer framework release: rows for measure codes we do not know yet "
        "are counted and left out, instead of stopping the import.",
    )

    def __init__(self, *args, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A CSV or Excel (.xlsx) file of up to {int(settings.IMPORT_MAX_ROWS):,} rows; "
            "nearest-neighbour groups as JSON."
        )
        self.national = user.has_perm("scorecard.import_national_data")
        self.regions = (
            [] if self.national else list(Region.objects.filter(pk__in=led_regions(user)).order_by("name"))
        )
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = Region.objects.filter(
            pk__in=[r.pk for r in self.regions]
        )
        self.fields["region"].widget.attrs["class"] = "govuk-select"
        if len(self.regions) < 2:
            del self.fields["region"]

    @property
    def region_named(self) -> str:
        if len(self.regions) == 1:
            return self.regions[0].name
        return "your region"

    def kind_options(self) -> list[dict]:
        """Each kind with what it loads for this user, said before the upload."""
        region = self.region_named
        owner = possessive(region)
        if self.national:
            hints = {
                ImportRecord.Kind.ASCOF: "Every council, region and England in the file.",
                ImportRecord.Kind.LOCAL: "Figures for any council or region, and the measures the file defines.",
                ImportRecord.Kind.NEIGHBOURS: "Each council's GSS code with its comparators' codes in order, for "
                'example {"E08000025": ["E08000026", …]}.',
            }
        else:
            hints = {
                ImportRecord.Kind.ASCOF: f"Only the figures for {owner} councils and for {region} itself are "
                "loaded. The file's rows for England, the other regions and their councils are checked, then "
                "skipped: an administrator loads those.",
                ImportRecord.Kind.LOCAL: f"Figures for {owner} councils and {region}, and {owner} own local "
                "measures.",
                ImportRecord.Kind.NEIGHBOURS: f"The comparator groups of {owner} councils: each council's GSS "
                "code with its comparators' codes in order, for example "
                '{"E08000025": ["E08000026", …]}.',
            }
        field = self["kind"]
        return [{"choice": choice, "hint": hints.get(choice.data["value"], "")} for choice in field]

    def only_region(self):  # type: ignore[no-untyped-def]
        """The region an ASCOF file is loaded for (None: the whole file, for an administrator)."""
        if self.national or self.cleaned_data.get("kind") != ImportRecord.Kind.ASCOF:
            return None
        if len(self.regions) == 1:
            return self.regions[0]
        return self.cleaned_data.get("region")

    def clean(self):  # type: ignore[no-untyped-def]
        super().clean()
        data = self.cleaned_data
        kind, upload = data.get("kind"), data.get("file")
        suffix = Path(upload.name).suffix.lower() if upload is not None else ""
        if upload is not None and not kind and suffix not in ALLOWED_EXTENSIONS:
            self.add_error("file", "The selected file must be a CSV, an Excel (.xlsx) or a JSON file")
        if kind and upload is not None:
            if kind == ImportRecord.Kind.NEIGHBOURS and suffix != ".json":
                self.add_error("file", "Nearest-neighbour groups must be a JSON file (.json)")
            elif kind != ImportRecord.Kind.NEIGHBOURS and suffix not in DATA_EXTENSIONS:
                self.add_error("file", "The selected file must be a CSV or an Excel (.xlsx) file")
        if kind == ImportRecord.Kind.ASCOF and "region" in self.fields and not data.get("region"):
            self.add_error("region", "Choose the region whose figures to load")
        return data

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
        return upload

    def clean_year(self) -> int | None:
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        start_year = period_start_year(text)
        if start_year is None:
            raise forms.ValidationError("Enter the year as a financial year, for example 2023-24")
        return start_year
