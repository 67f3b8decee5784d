"""Themes logged in the plenary, the region's work programme, and per-council findings with follow-up.

Imported from peerchallenge/models.py, so these are ``peerchallenge`` models (one app, one migration chain).
History is explicit (:class:`ThemeChange`): each change keeps a snapshot of the theme and, for a merge,
exactly what the merge added, so that one merge can be undone without undoing later edits.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from councils.models import Council, Region
from scorecard.models import Domain, Measure

TEXT_LIMIT = 5000


def normalise_title(title: str) -> str:
    """Lower case, punctuation dropped, spaces collapsed: how recurring themes are matched across years."""
    return " ".join(re.sub(r"[^\w\s]", " ", title.lower()).split())


class SummitLogger(models.Model):
    """Someone the coordinator names to log plenary themes at one summit."""

    summit = models.ForeignKey("peerchallenge.Summit", on_delete=models.CASCADE, related_name="theme_loggers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summit", "user__username"]
        constraints = [models.UniqueConstraint(fields=["summit", "user"], name="unique_summit_logger")]

    def __str__(self) -> str:
        return f"{self.user} logs themes at {self.summit}"


class Theme(models.Model):
    """A common theme the plenary identified. Merged duplicates keep their row (``merged_into`` set)."""

    summit = models.ForeignKey("peerchallenge.Summit", on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    normalised_title = models.CharField(max_length=200, editable=False, db_index=True)
    description = models.TextField(blank=True, max_length=TEXT_LIMIT)
    note = models.TextField("what was said", blank=True, max_length=TEXT_LIMIT)
    domains = models.ManyToManyField(Domain, blank=True, related_name="+")
    councils = models.ManyToManyField(
        Council, blank=True, related_name="+", help_text="Councils that raised it or to which it applies"
    )
    measures = models.ManyToManyField(Measure, blank=True, related_name="+")
    recurrence: object = None  # not a field: set by the theme pages (themes.selectors.region_theme_chains)
    sessions = models.ManyToManyField(
        "peerchallenge.SummitGroup", blank=True, related_name="themes", help_text="Sessions it came from"
    )
    client_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="Set by the plenary page so that a retried save is not a duplicate",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    split_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="split_into"
    )
    same_as = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_again",
        help_text="The same theme raised at an earlier summit (an explicit link)",
    )
    is_published = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["summit", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "client_id"], condition=~Q(client_id=""), name="unique_theme_client_id"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.normalised_title = normalise_title(self.title)[:200]
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalised_title"}
        super().save(*args, **kwargs)

    @property
    def region(self) -> Region:
        return self.summit.region


class ThemeChange(models.Model):
    """One change to a theme: who, when, what it looked like after, and for a merge what it added."""

    class Action(models.TextChoices):
        CREATED = "created", "Logged"
        EDITED = "edited", "Edited"
        MERGED = "merged", "Merged a duplicate in"
        MERGED_INTO = "merged_into", "Merged into another theme"
        MERGE_UNDONE = "merge_undone", "Merge undone"
        SPLIT = "split", "Split"
        PUBLISHED = "published", "Published"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    other = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    summary = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField(default=dict)
    added = models.JSONField(default=dict, help_text="For a merge: what it added, so it can be undone")
    undone = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.theme} ({self.at:%d %b %Y %H:%M})"


class WorkProgramme(models.Model):
    """A region's work programme for one year: what it will do about the summit's themes."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="work_programmes")
    year = models.PositiveSmallIntegerField()
    is_published = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_programme_per_year")]

    def __str__(self) -> str:
        return f"{self.region} work programme {self.year}"


class WorkItem(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    TRANSITIONS = {
        Status.PROPOSED: (Status.AGREED, Status.DROPPED),
        Status.AGREED: (Status.IN_PROGRESS, Status.DROPPED),
        Status.IN_PROGRESS: (Status.DONE, Status.DROPPED),
        Status.DONE: (),
        Status.DROPPED: (Status.PROPOSED,),
    }

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    why = models.TextField("why (evidence)", blank=True, max_length=TEXT_LIMIT)
    themes = models.ManyToManyField(Theme, blank=True, related_name="work_items")
    lead = models.CharField(max_length=200, blank=True, help_text="A person or a network")
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def region(self) -> Region:
        return self.programme.region


class WorkItemUpdate(models.Model):
    """A dated update on a work-programme item (and the status it moved to, if it moved)."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=dt.date.today)
    text = models.TextField(max_length=TEXT_LIMIT)
    status = models.CharField(max_length=16, choices=WorkItem.Status.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.date}"


class SessionFinding(models.Model):
    """Key findings of one council's challenge session at a summit."""

    summit = models.ForeignKey("peerchallenge.Summit", on_delete=models.CASCADE, related_name="findings")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    key_findings = models.TextField(blank=True, max_length=TEXT_LIMIT)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["summit", "council__name"]
        constraints = [models.UniqueConstraint(fields=["summit", "council"], name="one_finding_per_council")]

    def __str__(self) -> str:
        return f"{self.council} at {self.summit}"

    @property
    def region(self) -> Region:
        return self.summit.region


class Recommendation(models.Model):
    """A recommendation from a session and its six-month follow-up."""

    class FollowUp(models.TextChoices):
        NOT_REVIEWED = "", "Not yet reviewed"
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_PURSUED = "not_pursued", "Not pursued"

    finding = models.ForeignKey(SessionFinding, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(max_length=TEXT_LIMIT)
    follow_up = models.CharField(max_length=16, choices=FollowUp.choices, blank=True, default="")
    follow_up_note = models.TextField(blank=True, max_length=TEXT_LIMIT)
    followed_up_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["finding", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
