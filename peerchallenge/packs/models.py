"""Question banks, pro-forma question sets and summit pack builds."""

from django.conf import settings
from django.db import models

from councils.models import Council, Region
from peerchallenge.packs.triggers import CQC_KINDS, CQC_TOPIC
from scorecard.models import Domain

QUESTION_LIMIT = 1000
TOP_QUESTIONS = 5


class QuestionBankItem(models.Model):
    """A template question for one domain, kept by the region's coordinator for a self-assessment cycle."""

    cycle = models.ForeignKey(
        "selfassessment.SelfAssessmentCycle", on_delete=models.CASCADE, related_name="question_bank"
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=QUESTION_LIMIT)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "domain__position", "position", "pk"]
        verbose_name = "bank question"

    def __str__(self) -> str:
        return f"{self.domain}: {self.text[:60]}"

    @property
    def region(self) -> Region:
        return self.cycle.region


class QuestionSet(models.Model):
    """The questions one council's DASS prepares to ask the council it challenges at a summit.

    Duck-typed for ``packs/rules.py``: ``council`` (the challenged council), ``challenger``, ``region``,
    ``is_shared`` (the summit has been held: the challenged council may read it) and ``is_editable``.
    """

    summit = models.ForeignKey("peerchallenge.Summit", on_delete=models.CASCADE, related_name="question_sets")
    challenger = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    challenged = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["summit", "challenged__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "challenger", "challenged"], name="one_question_set_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenger} → {self.challenged} ({self.summit})"

    @property
    def council(self) -> Council:
        return self.challenged

    @property
    def region(self) -> Region:
        return self.summit.region

    @property
    def is_shared(self) -> bool:
        return self.summit.state in ("held", "closed")

    @property
    def is_editable(self) -> bool:
        return self.summit.state == "published"


class Question(models.Model):
    class Source(models.TextChoices):
        TRIGGER = "trigger", "From the data"
        BANK = "bank", "From the question bank"
        OWN = "own", "Added by the challenger"

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    domain = models.ForeignKey(Domain, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(max_length=QUESTION_LIMIT)
    evidence = models.TextField(blank=True, max_length=QUESTION_LIMIT)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.OWN)
    trigger = models.CharField(max_length=32, blank=True, help_text="The risk trigger rule, if any")
    position = models.PositiveIntegerField(default=0)
    is_top = models.BooleanField("one of the top five", default=False)
    quotes_demo_figures = models.BooleanField(
        default=False, help_text="Generated from synthetic demo figures: its evidence quotes them"
    )

    class Meta:
        ordering = ["question_set", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def topic(self) -> str:
        """What the question is filed under: its domain; "CQC assessment" for one CQC's scores raised (they
        belong to no scorecard domain); "" for neither."""
        if self.domain is not None:
            return self.domain.name
        return CQC_TOPIC if self.trigger in CQC_KINDS else ""


class PackBuild(models.Model):
    """Building every pack of a summit (a background task): progress and the ZIP it made."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    summit = models.ForeignKey("peerchallenge.Summit", on_delete=models.CASCADE, related_name="pack_builds")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    done = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="The ZIP in the default storage")
    worker = models.CharField(
        max_length=200, blank=True, help_text="The process building the packs (host:pid:start)"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Packs for {self.summit} ({self.get_state_display()})"

    @property
    def region(self) -> Region:
        return self.summit.region
