"""The upload form of the import pages."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from scorecard.models import ImportRecord
from scorecard.periods import period_start_year

ALLOWED_EXTENSIONS = (".csv", ".xlsx")


class ImportUploadForm(forms.Form):
    """Upload a data file for a dry-run preview."""

    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[
            (ImportRecord.Kind.ASCOF, "ASCOF file (Measures from the ASCOF, as published by NHS England)"),
            (ImportRecord.Kind.LOCAL, "Local measures (the region's own template)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of file it is"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file.",
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

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"A CSV or Excel (.xlsx) file of up to {int(settings.IMPORT_MAX_ROWS):,} rows."

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
        if Path(upload.name).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
        return upload

    def clean_year(self) -> int | None:
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        start_year = period_start_year(text)
        if start_year is None:
            raise forms.ValidationError("Enter the year as a financial year, for example 2023-24")
        return start_year
