"""Writes for self-assessments: open and close cycles, save and submit, reopen. Each in one transaction.

Optimistic locking: every save names the ``version`` the editor started from; the row's version is
raised with a conditional UPDATE (``WHERE version = expected``), so of two editors who started from the
same version only the first save lands and the second gets :class:`EditConflict` (on any database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from councils.models import Council, Region
from scorecard.models import Domain, Period
from selfassessment.models import (
    DomainAssessment,
    FrameworkStatement,
    SelfAssessment,
    SelfAssessmentCycle,
    SelfAssessmentFramework,
    StatementAssessment,
)
from selfassessment.selectors import framework_default, self_assessment_missing


class EditConflict(Exception):
    """Someone else saved the self-assessment since this editor opened it."""


class NotEditable(Exception):
    """The self-assessment is submitted, or its cycle is closed."""


class Incomplete(ValueError):
    """A domain without a rating, or fewer than three risks: it cannot be submitted yet."""


@dataclass
class DomainInput:
    rating: str = ""
    strengths: str = ""
    improvements: str = ""
    evidence: str = ""
    measure_ids: list[int] = field(default_factory=list)


@dataclass
class ActionInput:
    what: str = ""
    owner: str = ""
    due: date | None = None

    def as_json(self) -> dict[str, str]:
        return {"what": self.what, "owner": self.owner, "due": self.due.isoformat() if self.due else ""}


@dataclass
class StatementInput:
    score: int | None = None
    strengths: str = ""
    improvements: str = ""
    evidence: str = ""
    measure_ids: list[int] = field(default_factory=list)
    actions: list[ActionInput] = field(default_factory=list)


@dataclass
class SelfAssessmentInput:
    domains: dict[int, DomainInput]  # domain id → what was typed (a framework of the six domains)
    top_risks: list[str]
    statements: dict[int, StatementInput] = field(default_factory=dict)  # statement id → what was typed


def cycle_open(  # type: ignore[no-untyped-def]
    *,
    region: Region,
    name: str,
    slug: str,
    closes_on: date,
    period: Period,
    prompts: dict[str, str],
    framework: SelfAssessmentFramework | None = None,
    user=None,
    is_demo: bool = False,
) -> SelfAssessmentCycle:
    """Open a cycle on ``framework`` (None: the six domains)."""
    cycle = SelfAssessmentCycle(
        framework=framework or framework_default(),
        region=region,
        name=name,
        slug=slug,
        closes_on=closes_on,
        period=period,
        prompts=prompts,
        created_by=user,
        is_demo=is_demo,
    )
    _history_by(cycle, user)
    cycle.save()
    return cycle


def cycle_close(*, cycle: SelfAssessmentCycle, user=None) -> SelfAssessmentCycle:  # type: ignore[no-untyped-def]
    cycle.state = SelfAssessmentCycle.State.CLOSED
    _history_by(cycle, user)
    cycle.save(update_fields=["state"])
    return cycle


def _claim_version(  # type: ignore[no-untyped-def]
    *, cycle: SelfAssessmentCycle, council: Council, expected_version: int, user
) -> SelfAssessment:
    """The self-assessment with its version raised by one, or EditConflict."""
    if expected_version == 0 and not SelfAssessment.objects.filter(cycle=cycle, council=council).exists():
        try:
            with transaction.atomic():
                assessment = SelfAssessment(cycle=cycle, council=council, version=1, updated_by=user)
                _history_by(assessment, user)
                assessment.save()
                return assessment
        except IntegrityError as exc:  # created by someone else in the meantime
            raise EditConflict from exc
    claimed = SelfAssessment.objects.filter(cycle=cycle, council=council, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict
    return SelfAssessment.objects.select_related("cycle", "council__region").get(cycle=cycle, council=council)


@transaction.atomic
def self_assessment_save(  # type: ignore[no-untyped-def]
    *,
    cycle: SelfAssessmentCycle,
    council: Council,
    data: SelfAssessmentInput,
    user,
    expected_version: int,
    submit: bool = False,
) -> SelfAssessment:
    """Save what was typed (a draft), or save and submit. Raises EditConflict or NotEditable.

    Submitting needs every domain rated and three risks; the form checks that first, and so does this.
    """
    if not cycle.is_open:
        raise NotEditable("The cycle is closed.")
    existing = SelfAssessment.objects.filter(cycle=cycle, council=council).only("status").first()
    if existing is not None and not existing.is_editable:
        raise NotEditable("The self-assessment has been submitted.")
    by_statements = cycle.framework.by_statements
    domains = [] if by_statements else list(Domain.objects.all())
    statements = list(cycle.framework.statements.all()) if by_statements else []
    if submit:
        unrated = [d for d in domains if not data.domains.get(d.pk, DomainInput()).rating]
        unscored = [s for s in statements if not data.statements.get(s.pk, StatementInput()).score]
        if (
            unrated
            or unscored
            or not all(risk.strip() for risk in data.top_risks[:3])
            or len(data.top_risks) < 3
        ):
            raise ValueError("Every domain or statement needs a rating and three risks are needed to submit.")
    assessment = _claim_version(cycle=cycle, council=council, expected_version=expected_version, user=user)
    risks = [*data.top_risks, "", "", ""][:3]
    assessment.top_risk_1, assessment.top_risk_2, assessment.top_risk_3 = risks
    assessment.updated_by = user
    reason = "Saved as draft"
    if submit:
        assessment.status = SelfAssessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = user
        reason = "Submitted"
    _history_by(assessment, user, reason)
    assessment.save()
    _domains_save(assessment=assessment, domains=domains, data=data, user=user)
    _statements_save(assessment=assessment, statements=statements, data=data, user=user)
    # No data-version bump: nothing kept by the data version shows self-ratings. The council page's kept
    # rendering is keyed by what it shows (self-ratings included), kept pages by the page version (these
    # rows' saves bump it) and packs by the self-assessment's own version (core/cache.py).
    return assessment


def _domains_save(
    *, assessment: SelfAssessment, domains: list[Domain], data: SelfAssessmentInput, user: Any
) -> None:
    current = {d.domain_id: d for d in assessment.domains.prefetch_related("measures")}
    for domain in domains:
        typed = data.domains.get(domain.pk, DomainInput())
        row = current.get(domain.pk)
        fields = {
            "rating": typed.rating,
            "strengths": typed.strengths,
            "improvements": typed.improvements,
            "evidence": typed.evidence,
        }
        if row is None:
            row = DomainAssessment(self_assessment=assessment, domain=domain, **fields)
            _history_by(row, user)
            row.save()
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            _history_by(row, user)
            row.save()
        if {m.pk for m in row.measures.all()} != set(typed.measure_ids):
            _history_by(row, user)
            row.measures.set(typed.measure_ids)


def _statements_save(
    *, assessment: SelfAssessment, statements: list[FrameworkStatement], data: SelfAssessmentInput, user: Any
) -> None:
    current = {s.statement_id: s for s in assessment.statements.prefetch_related("measures")}
    for statement in statements:
        typed = data.statements.get(statement.pk, StatementInput())
        fields: dict[str, Any] = {
            "score": typed.score,
            "strengths": typed.strengths,
            "improvements": typed.improvements,
            "evidence": typed.evidence,
            "actions": [a.as_json() for a in typed.actions if a.what.strip() or a.owner.strip() or a.due],
        }
        row = current.get(statement.pk)
        if row is None:
            row = StatementAssessment(self_assessment=assessment, statement=statement, **fields)
            _history_by(row, user)
            row.save()
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            _history_by(row, user)
            row.save()
        if {m.pk for m in row.measures.all()} != set(typed.measure_ids):
            _history_by(row, user)
            row.measures.set(typed.measure_ids)


@transaction.atomic
def self_assessment_reopen(*, assessment: SelfAssessment, user, reason: str) -> SelfAssessment:  # type: ignore[no-untyped-def]
    """Reopen a submitted self-assessment for its council to edit, recording who, when and why."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is needed to reopen a self-assessment.")
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != SelfAssessment.Status.SUBMITTED:
        raise NotEditable("Only a submitted self-assessment can be reopened.")
    locked.status = SelfAssessment.Status.REOPENED
    locked.reopened_at = timezone.now()
    locked.reopened_by = user
    locked.reopen_reason = reason
    locked.reopen_requested_at = None  # the council's request, if any, is answered
    locked.reopen_requested_by = None
    locked.reopen_request_reason = ""
    locked.version += 1
    _history_by(locked, user, f"Reopened: {reason}")
    locked.save()
    return locked


@transaction.atomic
def self_assessment_reopen_request(*, assessment: SelfAssessment, user, reason: str) -> SelfAssessment:  # type: ignore[no-untyped-def]
    """The council asks for its submitted self-assessment to be reopened; the region's coordinator sees the
    request (on the cycle's page, the self-assessment and their home page) and reopens it."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Say what needs to change.")
    locked = SelfAssessment.objects.select_for_update().select_related("cycle").get(pk=assessment.pk)
    if locked.status != SelfAssessment.Status.SUBMITTED:
        raise NotEditable("Only a submitted self-assessment can be reopened.")
    if not locked.cycle.is_open:
        raise NotEditable("The cycle is closed, so its self-assessments can no longer be changed.")
    locked.reopen_requested_at = timezone.now()
    locked.reopen_requested_by = user
    locked.reopen_request_reason = reason
    _history_by(locked, user, f"Asked to reopen: {reason}")
    locked.save(update_fields=["reopen_requested_at", "reopen_requested_by", "reopen_request_reason"])
    return locked


@transaction.atomic
def self_assessment_submit(*, assessment: SelfAssessment, user, expected_version: int) -> SelfAssessment:  # type: ignore[no-untyped-def]
    """Submit the saved draft the editor has checked (``expected_version``: the version they checked).

    Raises NotEditable (submitted already, or the cycle is closed), Incomplete (what is missing) or
    EditConflict (someone saved it since it was checked).
    """
    cycle = assessment.cycle
    if not cycle.is_open:
        raise NotEditable("the cycle is closed.")
    current = SelfAssessment.objects.get(pk=assessment.pk)
    if not current.is_editable:
        raise NotEditable("it has been submitted already.")
    missing = self_assessment_missing(assessment=current)
    if missing:
        raise Incomplete("; ".join(missing) + ".")
    locked = _claim_version(
        cycle=cycle, council=assessment.council, expected_version=expected_version, user=user
    )
    locked.status = SelfAssessment.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.updated_by = user
    locked.reopen_requested_at = None
    locked.reopen_requested_by = None
    locked.reopen_request_reason = ""
    _history_by(locked, user, "Submitted")
    locked.save()
    return locked


def _history_by(instance: models.Model, user: Any, reason: str | None = None) -> None:
    """Who makes the next save of ``instance`` (and why), for the history django-simple-history records."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by simple_history on save
    if reason is not None:
        instance._change_reason = reason  # type: ignore[attr-defined]
