"""What the data and the councils' own assessments say: measures, periods, areas, values, imports, domains."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from councils.models import Council, Region

# CQC's published outcomes live in their feature package; importing them here makes them scorecard models. They
# name this module's models by label ("scorecard.Domain"), so that package never imports this module.
from scorecard.assurance.models import CqcAssessment


class Domain(models.Model):
    """A balanced-scorecard domain (the six West Midlands self-assessment / TEASC risk domains).

    Domains, their order and which measures belong to them are data, editable in the admin.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the scorecard, lowest first")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Framework(models.TextChoices):
    ASCOF_2014 = "ascof_2014", "ASCOF 2014-15 to 2022-23"
    ASCOF_2023 = "ascof_2023", "ASCOF refreshed, 2023-24 onward"
    LOCAL = "local", "Local measure"
    NATIONAL = "national", "National measure from another publisher"


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    SCORE = "score", "Score out of N"
    RATE_100K = "rate_100k", "Rate per 100,000"
    RATIO = "ratio", "Ratio"
    COUNT = "count", "Count"
    CURRENCY = "currency", "Currency (£)"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NONE = "none", "No polarity"


class Measure(models.Model):
    """A measure in the catalogue.

    ``key`` is unique across frameworks (old 1B, control over daily life, and refreshed 1B, adjusted
    quality of life, are different measures with the same code). ``series`` joins measures that are
    one trend line under different codes (old 2A2 and refreshed 2C).
    """

    key = models.SlugField(
        max_length=64, unique=True, help_text="Unique across frameworks, e.g. ascof-2014-2a2"
    )
    code = models.CharField(max_length=16, help_text="The code as published, e.g. 2A2 or 2C")
    framework = models.CharField(max_length=16, choices=Framework.choices)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, help_text="The definition, as the national tools give it")
    counted = models.TextField("what is counted", blank=True, help_text="Numerator, denominator, population")
    source_basis = models.TextField(
        "source and survey basis", blank=True, help_text="The collection or survey the figures come from"
    )
    caveats = models.TextField(
        blank=True, help_text="Gaps (e.g. the 2020-21 survey), changes between framework versions, quirks"
    )
    unit = models.CharField(max_length=16, choices=Unit.choices)
    scale_max = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, help_text="For scores: the N in 'out of N'"
    )
    polarity = models.CharField(max_length=8, choices=Polarity.choices)
    source = models.CharField(max_length=64, blank=True, help_text="ASCS, SACE, SALT, CLD, local…")
    domain = models.ForeignKey(
        Domain, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    series = models.SlugField(max_length=64, help_text="Trend line this measure belongs to across frameworks")
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="The older framework's measure this one continues (the crosswalk)",
    )
    plausible_min = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    plausible_max = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    decimal_places = models.PositiveSmallIntegerField(default=1)
    owner_region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_measures",
        help_text="For local measures: the region that defined it",
    )
    position = models.PositiveIntegerField(default=0)
    cqc_statements = models.JSONField(
        "CQC quality statements",
        default=list,
        blank=True,
        help_text="The numbers (1–9) of CQC's quality statements this measure informs, e.g. [1, 4]",
    )

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code", "owner_region"], name="unique_measure_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("scorecard:measure-detail", kwargs={"key": self.key})


class Period(models.Model):
    """A financial year, e.g. "2023-24" (start_year 2023)."""

    label = models.CharField(max_length=7, unique=True)
    start_year = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["start_year"]

    def __str__(self) -> str:
        return self.label


class Area(models.Model):
    """Something a value is published for: a council, a region, England, or a council type."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        REGION = "region", "Region"
        ENGLAND = "england", "England"
        COUNCIL_TYPE = "council_type", "Council type"

    key = models.CharField(
        max_length=64,
        unique=True,
        help_text="ONS code where there is one, else e.g. type:metropolitan-district",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=150)
    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="area"
    )
    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="area"
    )
    council_type = models.CharField(
        max_length=32,
        blank=True,
        choices=Council.CouncilType.choices,
        help_text="For council-type areas that match one of our council types",
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="council", council__isnull=False) | ~Q(kind="council"),
                name="council_area_has_council",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImportRecord(models.Model):
    """One import of a file (or a demo seed): who, when, what, and what it did."""

    class Kind(models.TextChoices):
        ASCOF = "ascof", "ASCOF file"
        LOCAL = "local", "Local measures"
        MAPPED = "mapped", "File of another layout"
        NEIGHBOURS = "neighbours", "Nearest-neighbour groups"
        CQC = "cqc", "CQC assessments"
        DEMO = "demo", "Demo data"

    class Status(models.TextChoices):
        PENDING = "pending", "Checking"
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    class TaskState(models.TextChoices):
        NONE = "", "No background work"
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking the file"
        WRITING = "writing", "Writing the figures"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped by an error"
        STOPPED = "stopped", "Stopped: its worker stopped"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="The first problems found")
    summary = models.JSONField(default=dict, blank=True)
    # The preview → confirm state of an upload. An upload is checked by a background task
    # (a PENDING record becomes PREVIEWED or FAILED); confirming it runs a second task that applies the
    # checked plan and writes an APPLIED record whose ``preview_of`` is the preview.
    task_state = models.CharField(max_length=8, choices=TaskState.choices, blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(
        max_length=200, blank=True, help_text="The process running its background work (host:pid:start)"
    )
    stored_file = models.CharField(
        max_length=100,
        blank=True,
        help_text="The upload's name in the private upload directory, while needed",
    )
    plan_sha256 = models.CharField(max_length=64, blank=True, help_text="The checked plan kept for confirm")
    database_state = models.CharField(
        max_length=64, blank=True, help_text="Fingerprint of the figures and catalogue the preview checked"
    )
    year = models.CharField(max_length=9, blank=True)
    skip_unknown_measures = models.BooleanField(default=False)
    only_region = models.ForeignKey(
        "councils.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Load only this region's figures (its councils and the region) from a national file",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    preview_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    notice = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(
        default=list, blank=True, help_text="Published figures this file changes or removes: old and new"
    )
    changed_count = models.PositiveIntegerField(default=0)
    removed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ImportMapping(models.Model):
    """A saved answer to "which column is which" for a file layout (``import_mapped --mapping NAME``).

    ``spec`` holds the choices as :class:`scorecard.imports.mapped.MappingSpec` reads them: the area
    column, the value column, the period (a column, a fixed label, or ``wide``), the measure (a column of
    publisher codes, or one fixed measure key), an optional published-median column and ``codes``, a table
    from a publisher's code to a catalogue measure key for codes the catalogue holds under other codes.
    """

    name = models.SlugField(max_length=64, unique=True)
    description = models.CharField(max_length=300, blank=True)
    spec = models.JSONField(default=dict)
    shipped = models.BooleanField(
        default=False, help_text="Shipped with the project (refreshed by a migration)"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Value(models.Model):
    """One published figure: (measure, period, area, breakdown) → value, with its status and parts."""

    class Status(models.TextChoices):
        OK = "ok", "Published"
        SUPPRESSED = "suppressed", "Suppressed [c]"
        NOT_APPLICABLE = "not_applicable", "Not applicable [x]"
        MISSING = "missing", "Missing"

    TOTAL = ""  # the breakdown value for the measure's headline figure
    MEDIAN = "median"  # England's median of the councils' figures as another publisher published it

    # No index of their own on measure and period: "unique_value" starts with measure and the Meta index
    # with period, and each index is one more to write for each of an import's 30,000 rows.
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values", db_index=False)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="values")
    breakdown = models.CharField(
        max_length=64, blank=True, default="", help_text="Blank for the total; else e.g. 18-64, 65+, Female"
    )
    value = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OK)
    numerator = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    base = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    margin_of_error = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Synthetic demo figure, never a real statistic")
    source_import = models.ForeignKey(
        ImportRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="values"
    )
    # History is read by value (id), by import (source_import) and in date order, never by measure, period
    # or area: those indexes would only slow the import's history copy.
    history = HistoricalRecords(no_db_index=["measure", "period", "area"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "period", "area", "breakdown"], name="unique_value"),
        ]
        indexes = [models.Index(fields=["period", "measure"])]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period} {self.area}: {self.value}"


__all__ = [
    "Area",
    "CqcAssessment",
    "Domain",
    "Framework",
    "ImportMapping",
    "ImportRecord",
    "Measure",
    "Period",
    "Polarity",
    "Unit",
    "Value",
]
