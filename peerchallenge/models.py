"""What the region does about it: peer challenge summits, who challenges whom, and lessons learnt."""

import datetime
from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from councils.models import Council, Region

# Challenge packs and question sets, plenary themes, the work programme and follow-up live in their feature
# packages; importing them here makes them models of this app (one app, one migration chain).
from peerchallenge.packs.models import PackBuild, Question, QuestionBankItem, QuestionSet
from peerchallenge.themes.models import (
    Recommendation,
    SessionFinding,
    SummitLogger,
    Theme,
    ThemeChange,
    WorkItem,
    WorkItemUpdate,
    WorkProgramme,
)
from scorecard.models import Domain


class Summit(models.Model):
    """A region's peer challenge day: who takes part, who challenges whom, when and where."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        HELD = "held", "Held"
        CLOSED = "closed", "Closed"

    # Which state may follow which (a published summit can go back to draft to be re-paired; a held or
    # closed summit can be reopened, one step back, with a reason kept in its history).
    TRANSITIONS = {
        State.DRAFT: (State.PUBLISHED,),
        State.PUBLISHED: (State.DRAFT, State.HELD),
        State.HELD: (State.CLOSED, State.PUBLISHED),
        State.CLOSED: (State.HELD,),
    }
    # The steps forward, in order: a step back from a later state is a reopening.
    ORDER = (State.DRAFT, State.PUBLISHED, State.HELD, State.CLOSED)
    # States that only follow the summit's day.
    AFTER_THE_DAY = (State.HELD, State.CLOSED)
    VISIBLE_TO_PARTICIPANTS = (State.PUBLISHED, State.HELD, State.CLOSED)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="summits")
    name = models.CharField(max_length=150)
    date = models.DateField()
    venue = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    cycle = models.ForeignKey(
        "selfassessment.SelfAssessmentCycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summits",
        verbose_name="self-assessment cycle",
        help_text="The self-assessments the challenge packs and the pairing use",
    )
    period = models.ForeignKey(
        "scorecard.Period",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="summits",
        verbose_name="figures for",
        help_text="The year of the figures in the challenge packs",
    )
    participants = models.ManyToManyField(Council, related_name="summits", blank=True)
    start_time = models.TimeField(default=datetime.time(10, 0))
    session_minutes = models.PositiveSmallIntegerField(
        "session length (minutes)", default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    break_minutes = models.PositiveSmallIntegerField(
        "break between sessions (minutes)", default=15, validators=[MaxValueValidator(120)]
    )
    plenary_break_minutes = models.PositiveSmallIntegerField(
        "break before the plenary (minutes)", default=30, validators=[MaxValueValidator(180)]
    )
    plenary_minutes = models.PositiveSmallIntegerField(
        "plenary length (minutes)", default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    rooms = models.TextField(blank=True, help_text="One room per line, in the order groups use them")
    plenary_room = models.CharField(max_length=100, blank=True)
    lookback_years = models.PositiveSmallIntegerField(
        "look-back (years)",
        default=3,
        validators=[MaxValueValidator(20)],
        help_text="Avoid pairs who met at the region's summits in this many years before",
    )
    triads = models.BooleanField("use groups of three", default=False)
    seed = models.PositiveIntegerField(default=1)
    pairing_optimal = models.BooleanField(null=True, blank=True, editable=False)
    shown_options = models.JSONField(
        default=list, blank=True, editable=False, help_text="Groupings already offered ('another option')"
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("peerchallenge:summit-detail", kwargs={"pk": self.pk})

    @classmethod
    def is_reopening(cls, from_state: str, to_state: str) -> bool:
        """A step back from a held or closed summit (it needs a reason)."""
        order = [s.value for s in cls.ORDER]
        return from_state in cls.AFTER_THE_DAY and order.index(to_state) < order.index(from_state)

    @property
    def is_visible_to_participants(self) -> bool:
        return self.state in self.VISIBLE_TO_PARTICIPANTS

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    @cached_property
    def participating_council_ids(self) -> set[int]:
        """Read by the permission rules (peerchallenge/rules.py)."""
        return set(self.participants.values_list("pk", flat=True))

    @property
    def room_list(self) -> list[str]:
        return [line.strip() for line in self.rooms.splitlines() if line.strip()]


class SummitChange(models.Model):
    """One change of a summit's state: who, when, from what to what, and why (a reopening needs a reason)."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="changes")
    from_state = models.CharField(max_length=16, choices=Summit.State.choices)
    to_state = models.CharField(max_length=16, choices=Summit.State.choices)
    reason = models.TextField(blank=True, max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summit", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.summit}: {self.from_state} → {self.to_state}"

    @property
    def is_reopening(self) -> bool:
        return Summit.is_reopening(self.from_state, self.to_state)


class AvoidPair(models.Model):
    """Two councils that must never be in the same group at a summit (e.g. they share a DASS)."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="avoid_pairs")
    council_a = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    council_b = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["council_a__name", "council_b__name"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "council_a", "council_b"], name="unique_avoid_pair"),
            models.CheckConstraint(
                condition=~models.Q(council_a=models.F("council_b")), name="avoid_pair_two"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council_a} – {self.council_b}"


class SummitGroup(models.Model):
    """A pair or triad: members in rotation order (each challenges the next; the last the first)."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField()
    room = models.CharField(max_length=100, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["summit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "position"], name="unique_group_position"),
        ]

    def __str__(self) -> str:
        return f"Group {self.position}"


class GroupMember(models.Model):
    group = models.ForeignKey(SummitGroup, on_delete=models.CASCADE, related_name="members")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="unique_member_position"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.council}"


class LessonLearnt(models.Model):
    """One past peer challenge and its key findings, entered by the coordinator."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="lessons")
    summit = models.ForeignKey(
        Summit, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    date = models.DateField(help_text="When the peer challenge took place")
    host = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="+", help_text="The council challenged"
    )
    challenger = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    key_findings = models.TextField()
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "host__name"]
        verbose_name = "lesson learnt"
        verbose_name_plural = "lessons learnt"

    def __str__(self) -> str:
        return f"{self.host} challenged by {self.challenger} ({self.date})"


__all__ = [
    "AvoidPair",
    "GroupMember",
    "LessonLearnt",
    "PackBuild",
    "Question",
    "QuestionBankItem",
    "QuestionSet",
    "Recommendation",
    "SessionFinding",
    "Summit",
    "SummitChange",
    "SummitGroup",
    "SummitLogger",
    "Theme",
    "ThemeChange",
    "WorkItem",
    "WorkItemUpdate",
    "WorkProgramme",
]
