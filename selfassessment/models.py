"""Self-assessment cycles, councils' self-assessments and their per-domain ratings (with history).

The tables keep the names they had in the scorecard app (``db_table``), history and many-to-many tables too.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from councils.models import Council, Region
from scorecard.scoring import CQC_SCORE_WORDS

TEXT_LIMIT = 5000  # strengths, improvements, evidence
RISK_LIMIT = 500  # each of the top three risks
PROMPT_LIMIT = 2000


class KeptTableHistoricalRecords(HistoricalRecords):
    """simple-history's records, with the history table of each tracked many-to-many field named as given
    (``m2m_table_names``: the through table → its history table) rather than after this app."""

    def __init__(self, *args: Any, m2m_table_names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.m2m_table_names = m2m_table_names or {}

    def get_meta_options_m2m(self, through_model: type[models.Model]) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options_m2m(through_model)
        table = self.m2m_table_names.get(through_model._meta.db_table)
        if table:
            options["db_table"] = table
        return options


class Rating(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class SelfAssessmentFramework(models.Model):
    """What a cycle's self-assessments are written against: data, not code (a data migration loads the two
    shipped ones; another, a region's own or CQC's next revision, is added in the admin).

    ``kind`` says how a council assesses itself: on the scorecard's domains, each rated green, amber or red; or
    on the framework's own numbered statements, each scored 1–4 in CQC's words, with CQC's implied rating.
    """

    class Kind(models.TextChoices):
        DOMAINS = "domains", "The scorecard's domains, each rated green, amber or red"
        STATEMENTS = "statements", "Its own statements, each scored 1 to 4 in CQC's words"

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(blank=True, max_length=TEXT_LIMIT)
    url = models.URLField("address of its guidance", max_length=500, blank=True)
    compared_with_cqc = models.BooleanField(
        "compared with CQC's outcome",
        default=False,
        help_text="Its statements are CQC's, numbered as CQC scores them: self-scores are set beside CQC's",
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "self-assessment framework"

    def __str__(self) -> str:
        return self.name

    @property
    def by_statements(self) -> bool:
        return self.kind == self.Kind.STATEMENTS


class FrameworkStatement(models.Model):
    """One numbered statement of a framework (for CQC's: its quality statement and theme)."""

    framework = models.ForeignKey(
        SelfAssessmentFramework, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveSmallIntegerField()
    theme = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    url = models.URLField("address of its guidance", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="one_statement_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def anchor(self) -> str:
        return f"statement-{self.number}"


class SelfAssessmentCycle(models.Model):
    """One round of self-assessment for a region, e.g. "2026-27 peer challenge"."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="self_assessment_cycles")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    closes_on = models.DateField(help_text="The date self-assessments are due")
    period = models.ForeignKey(
        "scorecard.Period",
        on_delete=models.PROTECT,
        related_name="self_assessment_cycles",
        help_text="The data period each self-rating is compared with",
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    framework = models.ForeignKey(
        SelfAssessmentFramework,
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text="What the councils assess themselves against",
    )
    prompts = models.JSONField(
        default=dict, blank=True, help_text="Domain slug → the 'areas to consider' shown with that domain"
    )
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="scorecard_historicalselfassessmentcycle")

    class Meta:
        db_table = "scorecard_selfassessmentcycle"
        ordering = ["region", "-closes_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["region", "slug"], name="unique_cycle_slug_in_region")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selfassessment:cycle", args=[self.region.gss_code, self.slug])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class SelfAssessment(models.Model):
    """A council's self-assessment in one cycle. ``version`` guards against two editors overwriting."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"

    cycle = models.ForeignKey(SelfAssessmentCycle, on_delete=models.CASCADE, related_name="assessments")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="self_assessments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=0, help_text="Raised by one on every save")
    top_risk_1 = models.TextField(blank=True, max_length=RISK_LIMIT)
    top_risk_2 = models.TextField(blank=True, max_length=RISK_LIMIT)
    top_risk_3 = models.TextField(blank=True, max_length=RISK_LIMIT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(blank=True, max_length=RISK_LIMIT)
    # The council's own request to reopen it (its DASS or delegate asks; the coordinator reopens).
    reopen_requested_at = models.DateTimeField(null=True, blank=True)
    reopen_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_request_reason = models.TextField(blank=True, max_length=RISK_LIMIT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(table_name="scorecard_historicalselfassessment")

    class Meta:
        db_table = "scorecard_selfassessment"
        ordering = ["cycle", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "council"], name="one_self_assessment_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.council} – {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("selfassessment:detail", args=[self.council.gss_code, self.cycle.slug])

    @property
    def region(self) -> Region | None:
        """The region whose lead and coordinator may see it (for the permission rules)."""
        return self.council.region

    @property
    def is_shared(self) -> bool:
        """Submitted (or reopened after submission): visible beyond the council."""
        return self.status in (self.Status.SUBMITTED, self.Status.REOPENED)

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.SUBMITTED

    @property
    def has_reopen_request(self) -> bool:
        """Its council has asked for it to be reopened, and it is still submitted."""
        return self.status == self.Status.SUBMITTED and self.reopen_requested_at is not None

    @property
    def top_risks(self) -> list[str]:
        return [self.top_risk_1, self.top_risk_2, self.top_risk_3]


class DomainAssessment(models.Model):
    """A council's view of itself in one domain: rating, strengths, improvements, evidence."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="domains")
    domain = models.ForeignKey("scorecard.Domain", on_delete=models.CASCADE, related_name="+")
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    strengths = models.TextField(blank=True, max_length=TEXT_LIMIT)
    improvements = models.TextField(blank=True, max_length=TEXT_LIMIT)
    evidence = models.TextField(blank=True, max_length=TEXT_LIMIT)
    measures = models.ManyToManyField(
        "scorecard.Measure", blank=True, related_name="+", db_table="scorecard_domainassessment_measures"
    )
    history = KeptTableHistoricalRecords(
        m2m_fields=[measures],
        table_name="scorecard_historicaldomainassessment",
        m2m_table_names={
            "scorecard_domainassessment_measures": "scorecard_historicaldomainassessment_measures"
        },
    )

    class Meta:
        db_table = "scorecard_domainassessment"
        ordering = ["self_assessment", "domain__position"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "domain"], name="one_rating_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment}: {self.domain}"


class StatementAssessment(models.Model):
    """A council's view of itself on one statement: a score 1–4, strengths, improvements, evidence, actions.

    ``actions``: a list of ``{"what": …, "owner": …, "due": "YYYY-MM-DD" or ""}``, in the order typed.
    """

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="statements")
    statement = models.ForeignKey(FrameworkStatement, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    strengths = models.TextField(blank=True, max_length=TEXT_LIMIT)
    improvements = models.TextField(blank=True, max_length=TEXT_LIMIT)
    evidence = models.TextField(blank=True, max_length=TEXT_LIMIT)
    measures = models.ManyToManyField("scorecard.Measure", blank=True, related_name="+")
    actions = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        ordering = ["self_assessment", "statement__number"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "statement"], name="one_score_per_statement"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=4),
                name="statement_score_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment}: {self.statement}"

    @property
    def score_words(self) -> str:
        return CQC_SCORE_WORDS.get(self.score or 0, "")
