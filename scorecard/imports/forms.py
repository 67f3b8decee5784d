"""The upload form of the import pages."""

from pathlib import Path
from typing import cast

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat

from councils.models import Region
from councils.rules import led_regions
from scorecard.imports.mapped import NEW_MEASURE_FIELDS, MappingError, MappingSpec, new_measure_key
from scorecard.models import Domain, ImportMapping, ImportRecord, Measure, Polarity, Unit
from scorecard.periods import period_start_year

ALLOWED_EXTENSIONS = (".csv", ".xlsx", ".json")
DATA_EXTENSIONS = (".csv", ".xlsx")


MAPPED_HINT = (
    "For example Oflog's data explorer download, or a Skills for Care or finance extract with a column per "
    "year. You will see its first rows and choose which column is the council, the year, the measure and "
    "the figure."
)


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
            (ImportRecord.Kind.MAPPED, "Another layout: say which column is which (a CSV file)"),
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
                ImportRecord.Kind.MAPPED: MAPPED_HINT,
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
                ImportRecord.Kind.MAPPED: f"{MAPPED_HINT} Figures for {owner} councils only.",
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
            elif kind == ImportRecord.Kind.MAPPED and suffix != ".csv":
                self.add_error("file", "A file of another layout must be a CSV file (save the sheet as CSV)")
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


NO_COLUMN = ("", "None")
COLUMN_FIELDS = (  # the choices that name one of the file's columns
    "area",
    "value",
    "period_column",
    "measure_column",
    "median_column",
    "numerator_column",
    "denominator_column",
)


class MappingChoiceForm(forms.Form):
    """Which column of an uploaded file is which: a saved mapping, or the columns chosen one by one."""

    mapping = forms.ChoiceField(label="Use a saved mapping", required=False)
    area = forms.ChoiceField(
        label="Which column names the council?",
        required=False,
        help_text="A GSS code (E08000025), a CASSR number (406) or the council's name.",
    )
    layout = forms.ChoiceField(
        label="How are the years laid out?",
        required=False,
        choices=[
            ("long", "One column holds the figures (one row per council and year)"),
            ("wide", "A column per year (each column headed by its year holds that year's figures)"),
        ],
        widget=forms.RadioSelect,
    )
    value = forms.ChoiceField(label="Which column holds the figures?", required=False)
    period_column = forms.ChoiceField(label="Which column holds the year?", required=False)
    period = forms.CharField(
        label="Or: the year of every figure",
        required=False,
        max_length=20,
        help_text="When the file has no year column, for example 2023-24.",
    )
    measure_column = forms.ChoiceField(
        label="Which column holds the publisher's measure code?",
        required=False,
        help_text="For example ASC7.",
    )
    measure = forms.ChoiceField(label="Or: the measure of every figure", required=False)
    median_column = forms.ChoiceField(
        label="Which column holds a published median? (optional)",
        required=False,
        help_text="Kept as a published comparator.",
    )
    numerator_column = forms.ChoiceField(
        label="Which column holds each figure's numerator? (optional)",
        required=False,
        help_text="For example the number of people the figure counts.",
    )
    denominator_column = forms.ChoiceField(
        label="Which column holds each figure's denominator? (optional)",
        required=False,
        help_text="For example the number of people it is out of.",
    )
    save_as = forms.SlugField(
        label="Save these choices as (optional)",
        required=False,
        max_length=64,
        help_text="A short name in lower case, for example skills-for-care-vacancies, offered next time.",
    )

    def __init__(self, *args, columns: list[str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.columns = columns
        column_choices = [("", "None")] + [(c, c) for c in columns]
        for name in COLUMN_FIELDS:
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = column_choices
            field.widget.attrs["class"] = "govuk-select"
        fitting = [m for m in ImportMapping.objects.order_by("name") if _fits(m.spec, columns)]
        mapping_field = cast(forms.ChoiceField, self.fields["mapping"])
        mapping_field.choices = [("", "No: choose the columns below")] + [
            (m.name, f"{m.name}: {m.description}" if m.description else m.name) for m in fitting
        ]
        mapping_field.widget.attrs["class"] = "govuk-select"
        if fitting and not self.is_bound:
            self.initial["mapping"] = fitting[0].name  # the first saved mapping whose columns the file has
        measures = Measure.objects.filter(owner_region__isnull=True).order_by("framework", "position", "code")
        measure_field = cast(forms.ChoiceField, self.fields["measure"])
        measure_field.choices = [("", "None: a column holds the code")] + [
            (m.key, f"{m.code} {m.title} ({m.get_framework_display()})") for m in measures
        ]
        measure_field.widget.attrs["class"] = "govuk-select"
        self.fields["period"].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.fields["save_as"].widget.attrs["class"] = "govuk-input govuk-input--width-20"
        self.spec: MappingSpec | None = None

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        try:
            if data.get("mapping"):
                mapping = ImportMapping.objects.get(name=data["mapping"])
                self.spec = MappingSpec.from_dict(mapping.spec)
            else:
                wide = data.get("layout") == "wide"
                self.spec = MappingSpec.from_dict(
                    {
                        "area": data.get("area"),
                        "value": None if wide else data.get("value"),
                        "wide": wide,
                        "period_column": None if wide else data.get("period_column"),
                        "period": None if wide else data.get("period"),
                        "measure_column": data.get("measure_column"),
                        "measure": data.get("measure"),
                        "median_column": data.get("median_column"),
                        "numerator_column": data.get("numerator_column"),
                        "denominator_column": data.get("denominator_column"),
                    }
                )
        except (MappingError, ImportMapping.DoesNotExist) as exc:
            raise forms.ValidationError(_sentence(str(exc))) from exc
        save_as = data.get("save_as")
        if save_as and ImportMapping.objects.filter(name=save_as, shipped=True).exists():
            self.add_error("save_as", "That name is a mapping shipped with the service: choose another")
        return data


def _fits(spec: dict, columns: list[str]) -> bool:
    named = [spec.get(k) for k in COLUMN_FIELDS]
    return all(name in columns for name in named if name)


def _sentence(text: str) -> str:
    text = text.replace("--wide", "a column per year").replace("--", "")
    return text[:1].upper() + text[1:]


class UnknownMeasureForm(forms.Form):
    """What a measure code the catalogue lacks is: a catalogue measure under another code, or a new measure
    that keeps the publisher's code and names its source. One form per code, prefixed by its place."""

    MAP, NEW = "map", "new"
    action = forms.ChoiceField(
        choices=[
            (MAP, "It is a measure the catalogue has under another code"),
            (NEW, "Make it a new measure"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether {code} is a catalogue measure or a new one"},
    )
    existing = forms.ChoiceField(label="Which catalogue measure is it?", required=False)
    title = forms.CharField(label="Title", required=False, max_length=255)
    unit = forms.ChoiceField(label="Unit", required=False, choices=[("", "Choose a unit"), *Unit.choices])
    polarity = forms.ChoiceField(
        label="Is a higher figure better?",
        required=False,
        choices=[
            ("", "Choose"),
            (Polarity.HIGHER, "Higher is better"),
            (Polarity.LOWER, "Lower is better"),
            (Polarity.NONE, "Neither: better is contested (spend, demand, turnover)"),
        ],
    )
    decimal_places = forms.IntegerField(
        label="Decimal places shown", required=False, min_value=0, max_value=6, initial=1
    )
    source = forms.CharField(
        label="Source",
        required=False,
        max_length=64,
        help_text="Who publishes it, for example Skills for Care.",
    )
    domain = forms.ChoiceField(label="Domain of the balanced scorecard", required=False)

    def __init__(self, *args, code: str, rows: int, measures: list[Measure], local: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.code, self.rows, self.local = code, rows, local
        self.measures = {m.key: m for m in measures}
        self.fields["action"].label = f"What is {code}?"
        labels = {
            "existing": f"Which catalogue measure is {code}?",
            "title": f"Title of {code}",
            "unit": f"Unit of {code}",
            "polarity": f"Is a higher figure of {code} better?",
            "decimal_places": f"Decimal places {code} is shown with",
            "source": f"Who publishes {code}?",
            "domain": f"Domain of the balanced scorecard {code} belongs to",
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["action"].error_messages["required"] = (
            f"Select whether {code} is a catalogue measure or a new one"
        )
        cast(forms.ChoiceField, self.fields["existing"]).choices = [("", "Choose a measure")] + [
            (m.key, f"{m.code} {m.title} ({m.get_framework_display()})") for m in measures
        ]
        cast(forms.ChoiceField, self.fields["domain"]).choices = [("", "Choose a domain")] + [
            (d.slug, d.name) for d in Domain.objects.order_by("position")
        ]
        for name in ("existing", "unit", "polarity", "domain"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
        for name, width in (
            ("title", ""),
            ("decimal_places", " govuk-input--width-2"),
            ("source", " govuk-input--width-20"),
        ):
            self.fields[name].widget.attrs["class"] = "govuk-input" + width

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        code = self.code
        if data.get("action") == self.MAP:
            if not data.get("existing"):
                self.add_error("existing", f"Choose the catalogue measure {code} is")
        elif data.get("action") == self.NEW:
            required = {
                "title": f"Enter a title for {code}",
                "unit": f"Choose the unit of {code}",
                "polarity": f"Choose whether a higher figure is better for {code}",
                "decimal_places": f"Enter how many decimal places {code} is shown with, from 0 to 6",
                "source": f"Enter who publishes {code}",
                "domain": f"Choose the domain {code} belongs to",
            }
            for name, message in required.items():
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
            if Measure.objects.filter(key=new_measure_key(code, local=self.local)).exists():
                self.add_error("title", f"The catalogue has a measure {code} already: choose it instead")
        return data

    def answer(self) -> tuple[str | None, dict | None]:
        """(the catalogue key the code maps to, or None; the new measure's fields, or None)."""
        data = self.cleaned_data
        if data["action"] == self.MAP:
            return data["existing"], None
        fields = {name: data[name] for name in NEW_MEASURE_FIELDS if name != "code"}
        return None, {"code": self.code, **fields}


class UnknownMeasuresForm:
    """The forms for every measure code a preview found that the catalogue lacks."""

    def __init__(self, data: dict | None, *, unknown: list[dict], user) -> None:  # type: ignore[no-untyped-def]
        national = user.has_perm("scorecard.import_national_data")
        regions = led_regions(user)
        measures = list(
            Measure.objects.filter(Q(owner_region__isnull=True) | Q(owner_region__in=regions)).order_by(
                "framework", "position", "code"
            )
        )
        self.forms = [
            UnknownMeasureForm(
                data,
                prefix=f"m{i}",
                code=row["code"],
                rows=row.get("rows", 0),
                measures=measures,
                local=not national,
            )
            for i, row in enumerate(unknown)
        ]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])

    @property
    def errors(self) -> bool:
        return any(form.errors for form in self.forms)

    def answers(self) -> tuple[dict[str, str], dict[str, dict]]:
        """(publisher code → catalogue key, publisher code → new measure's fields)."""
        codes: dict[str, str] = {}
        made: dict[str, dict] = {}
        for form in self.forms:
            key, fields = form.answer()
            if key is not None:
                codes[form.code] = key
            if fields is not None:
                made[form.code] = fields
        return codes, made
