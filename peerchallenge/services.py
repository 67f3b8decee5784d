"""Writes: summits, pairing them (over the pure ``pairing`` module), swaps, publishing, lessons, demo data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from core.cache import rows_written
from councils.models import Council, Region
from peerchallenge import pairing
from peerchallenge.models import AvoidPair, GroupMember, LessonLearnt, Summit, SummitChange, SummitGroup
from peerchallenge.progress import state_change_check
from peerchallenge.selectors import (
    cqc_scores,
    domain_scores,
    group_councils,
    pair_history,
    summit_groups,
    summit_problems,
    summit_self_ratings,
)
from scorecard.models import Domain
from scorecard.scoring import CQC_STATEMENTS
from selfassessment.models import SelfAssessmentCycle, SelfAssessmentFramework

REASON_LIMIT = 1000


class SummitError(ValueError):
    """A change the app refuses, with a message for the coordinator."""


def pairing_problem_build(
    *,
    codes: Sequence[str],
    avoid: Sequence[tuple[str, str]] = (),
    recent: Sequence[tuple[str, str]] = (),
    last_paired: dict[frozenset[str], int] | None = None,
    triads: bool = False,
    seed: int = 0,
    self_ratings: dict[str, dict[str, object]] | None = None,
    exclude: Sequence[frozenset[frozenset[str]]] = (),
) -> pairing.PairingProblem:
    """A pairing problem with the scorecard's domain summaries of the councils ``codes`` name.

    A code that is not a council's is refused by name (:class:`SummitError`). ``self_ratings`` (code →
    domain → rating) are combined with the data when the self-assessment cycle provides them.
    """
    councils = list(Council.objects.filter(gss_code__in=list(codes)).select_related("region"))
    unknown = sorted(set(codes) - {council.gss_code for council in councils})
    if len(unknown) == 1:
        raise SummitError(f"{unknown[0]} is not the GSS code of a council loaded here.")
    if unknown:
        raise SummitError(f"{', '.join(unknown)} are not the GSS codes of councils loaded here.")
    scores, _ = domain_scores(councils=councils)
    cqc, cqc_is_demo = cqc_scores(councils=councils)
    return pairing.PairingProblem(
        codes=list(codes),
        avoid=list(avoid),
        recent=list(recent),
        triads=triads,
        seed=seed,
        data_scores=scores,
        self_ratings=self_ratings or {},
        names={c.gss_code: c.name for c in councils},
        cqc_scores=cqc,
        cqc_is_demo=cqc_is_demo,
        cqc_statements=[statement.name for statement in CQC_STATEMENTS],
        last_paired=last_paired or {},
        exclude=list(exclude),
    )


def _summit_problem(
    summit: Summit, *, exclude: Sequence[frozenset[frozenset[str]]] = ()
) -> pairing.PairingProblem:
    codes = sorted(summit.participants.values_list("gss_code", flat=True))
    history = pair_history(region=summit.region, before=summit.date, exclude_summit=summit)
    cutoff = summit.date.year - summit.lookback_years
    recent = [tuple(sorted(p)) for p, year in history.items() if year >= cutoff]
    avoid = [
        (a.council_a.gss_code, a.council_b.gss_code)
        for a in summit.avoid_pairs.select_related("council_a", "council_b")
    ]
    return pairing_problem_build(
        codes=codes,
        avoid=avoid,
        recent=recent,  # type: ignore[arg-type]
        last_paired=history,
        triads=summit.triads,
        seed=summit.seed,
        self_ratings=summit_self_ratings(summit=summit),
        exclude=exclude,
    )


def _signature_json(sig: frozenset[frozenset[str]]) -> list[list[str]]:
    return sorted(sorted(g) for g in sig)


def _signature_from_json(data: list[list[str]]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(g) for g in data)


def _save_groups(summit: Summit, groups: Sequence[Sequence[Council]], reasons: Sequence[str]) -> None:
    summit.groups.all().delete()
    rooms = summit.room_list
    for position, (members, why) in enumerate(zip(groups, reasons, strict=True), start=1):
        group = SummitGroup.objects.create(
            summit=summit,
            position=position,
            room=rooms[position - 1] if position <= len(rooms) else "",
            reasons=why,
        )
        GroupMember.objects.bulk_create(
            GroupMember(group=group, council=c, position=i) for i, c in enumerate(members, start=1)
        )
    rows_written(GroupMember)  # the pairing decides which self-ratings challengers see


def _require_draft(summit: Summit) -> None:
    if summit.state != Summit.State.DRAFT:
        raise SummitError("Only a draft summit can be re-paired: move it back to draft first.")


@transaction.atomic
def summit_pair(*, summit: Summit, another: bool = False) -> pairing.PairingResult:
    """Pair the summit's councils (the best grouping), or, with ``another``, the best one not yet offered."""
    _require_draft(summit)
    if summit.participants.count() < 2:
        raise SummitError("At least two councils must take part to pair them.")
    shown = [_signature_from_json(s) for s in summit.shown_options] if another else []
    if another:
        current = [{c.gss_code for c in group_councils(g)} for g in summit_groups(summit=summit)]
        if current:
            shown.append(frozenset(frozenset(g) for g in current))
    problem = _summit_problem(summit, exclude=shown)
    try:
        result = pairing.pair_councils(problem)
    except pairing.PairingError as exc:
        raise SummitError(str(exc)) from exc
    by_code = {c.gss_code: c for c in summit.participants.all()}
    _save_groups(
        summit, [[by_code[c] for c in g.councils] for g in result.groups], [g.reasons for g in result.groups]
    )
    summit.pairing_optimal = result.optimal
    summit.shown_options = [_signature_json(s) for s in {*shown, result.signature}]
    summit.save(update_fields=["pairing_optimal", "shown_options", "updated_at"])
    return result


@transaction.atomic
def summit_swap(*, summit: Summit, first: Council, second: Council) -> None:
    """Swap two councils between groups (or within a group, which reverses who goes first).

    Refused when the result would break a never-pair constraint; reasons are rewritten.
    """
    _require_draft(summit)
    if first.pk == second.pk:
        raise SummitError("Choose two different councils to swap.")
    members = {m.council_id: m for g in summit.groups.all() for m in g.members.all()}
    a, b = members.get(first.pk), members.get(second.pk)
    if a is None or b is None:
        missing = first if a is None else second
        raise SummitError(f"{missing} is not in any group of this summit.")
    a_group, a_pos, b_group, b_pos = a.group_id, a.position, b.group_id, b.position
    GroupMember.objects.filter(pk=a.pk).update(position=0, group_id=b_group)
    GroupMember.objects.filter(pk=b.pk).update(group_id=a_group, position=a_pos)
    GroupMember.objects.filter(pk=a.pk).update(position=b_pos)
    rows_written(GroupMember)  # the pairing decides which self-ratings challengers see
    broken = [p for p in summit_problems(summit=summit) if "never be paired" in p]
    if broken:
        transaction.set_rollback(True)
        raise SummitError(f"Swap refused: {broken[0]}")
    problem = _summit_problem(summit)
    for group in summit_groups(summit=summit):
        if group.pk in (a_group, b_group):
            group.reasons = "Changed by hand. " + pairing.explain_group(
                problem, [c.gss_code for c in group_councils(group)]
            )
            group.save(update_fields=["reasons"])
    summit.pairing_optimal = None
    summit.save(update_fields=["pairing_optimal", "updated_at"])


@transaction.atomic
def summit_transition(
    *, summit: Summit, to: str, by: Any = None, reason: str = "", on: dt.date | None = None
) -> SummitChange:
    """Move the summit to state ``to`` and keep the change in its history.

    Refused (SummitError) when the state cannot follow the current one, when a summit would be marked as held
    or closed before its day, when it cannot be published yet, and when a reopening (a step back from held or
    closed) has no reason.
    """
    check = state_change_check(summit=summit, to=to, on=on)
    if check.refusals:
        prefix = "Cannot publish: " if to == Summit.State.PUBLISHED and not check.is_reopening else ""
        raise SummitError(prefix + " ".join(check.refusals))
    reason = (reason or "").strip()
    if check.needs_reason and not reason:
        raise SummitError("Give the reason for reopening the summit.")
    if len(reason) > REASON_LIMIT:
        raise SummitError(f"The reason must be {REASON_LIMIT:,} characters or fewer.")
    change = SummitChange.objects.create(
        summit=summit,
        from_state=summit.state,
        to_state=to,
        reason=reason,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    summit.state = to
    summit.save(update_fields=["state", "updated_at"])
    return change


def _require_draft_constraints(summit: Summit) -> None:
    if summit.state != Summit.State.DRAFT:
        raise SummitError(
            "Never-pair constraints can only change while the summit is a draft (they apply when it is paired)."
        )


def avoid_pair_add(*, summit: Summit, first: Council, second: Council, reason: str = "") -> AvoidPair:
    """Never pair ``first`` with ``second`` at ``summit`` (a draft only: SummitError otherwise)."""
    _require_draft_constraints(summit)
    if first.pk == second.pk:
        raise SummitError("Choose two different councils.")
    a, b = sorted((first, second), key=lambda c: c.pk)
    pair, _ = AvoidPair.objects.update_or_create(
        summit=summit, council_a=a, council_b=b, defaults={"reason": reason}
    )
    return pair


def avoid_pair_delete(*, pair: AvoidPair) -> None:
    """Remove a never-pair constraint (a draft summit only: SummitError otherwise)."""
    _require_draft_constraints(pair.summit)
    pair.delete()


@dataclass
class DemoSummitSummary:
    created: int
    lessons: int


DEMO_FINDINGS = [
    (
        "Governance and Leadership",
        "Clear political and officer leadership; scrutiny of adult social care could be sharper.",
    ),
    (
        "Resources and Workforce Management",
        "Reliance on agency social workers is falling but remains costly; a regional pay approach would help.",
    ),
    (
        "Performance and Outcomes",
        "Reablement outcomes are good; the data on people still at home 91 days later is not used by front-line teams.",
    ),
    (
        "National Priorities and Partnerships",
        "Hospital discharge works well with the acute trust; community health links are weaker.",
    ),
    (
        "Culture and Change",
        "Staff describe a learning culture; the strengths-based practice programme needs an evaluation.",
    ),
    (
        "Commissioning and Quality",
        "Market position statement is out of date; home care quality monitoring is thorough.",
    ),
]


def _weekday(day: dt.date) -> dt.date:
    """``day``, or the Monday after it when it falls on a weekend (summits are held on weekdays)."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


@transaction.atomic
def seed_demo_summits(*, region_gss_code: str, today: dt.date | None = None) -> DemoSummitSummary:
    """One past (held) summit with pairings and lessons, one upcoming published summit (idempotent)."""
    today = today or dt.date.today()
    region = Region.objects.get(gss_code=region_gss_code)
    councils = list(region.councils.order_by("name"))
    if len(councils) < 2:
        raise SummitError(f"{region} needs at least two councils for demo summits.")
    created = 0
    upcoming = _weekday(today + dt.timedelta(days=56))
    past = _weekday(dt.date(today.year - 1, 11, 20))
    specs = [
        (f"{region} peer challenge summit {past.year} (demo)", past, Summit.State.HELD, 7),
        (f"{region} peer challenge summit {upcoming:%B %Y} (demo)", upcoming, Summit.State.PUBLISHED, 11),
    ]
    summits = []
    for name, date, state, seed in specs:
        # Idempotent: keep the region's demo summit in this state (an upcoming one only while still ahead).
        existing = Summit.objects.filter(region=region, is_demo=True, state=state)
        if state == Summit.State.PUBLISHED:
            existing = existing.filter(date__gte=today)
        summit = existing.order_by("-date").first()
        if summit is None:
            summit = Summit.objects.create(
                region=region,
                name=name,
                date=date,
                venue="Council House, Birmingham (demo venue)",
                seed=seed,
                rooms="\n".join(f"Committee Room {i}" for i in range(1, len(councils) // 2 + 2)),
                plenary_room="Council Chamber",
                is_demo=True,
            )
            summit.participants.set(councils)
            summit_pair(summit=summit)
            summit_transition(summit=summit, to=Summit.State.PUBLISHED)
            if state == Summit.State.HELD:
                summit_transition(summit=summit, to=Summit.State.HELD)
            created += 1
        summits.append(summit)
    # The demo self-assessment cycles on the six domains (seed_demo runs first): the upcoming summit uses the
    # current one, the past summit the one before. (The demo cycle on CQC's statements is not a summit's.)
    cycles = list(
        SelfAssessmentCycle.objects.filter(
            region=region, framework__kind=SelfAssessmentFramework.Kind.DOMAINS
        ).order_by("-closes_on")
    )
    for summit, cycle in zip(reversed(summits), cycles, strict=False):
        if summit.cycle_id is None:
            summit.cycle = cycle
            summit.save(update_fields=["cycle"])
    lessons = 0
    past_summit = summits[0]
    if not LessonLearnt.objects.filter(summit=past_summit, is_demo=True).exists():
        domains = {d.name: d for d in Domain.objects.all()}
        for i, group in enumerate(summit_groups(summit=past_summit)):
            members = group_councils(group)
            domain_name, finding = DEMO_FINDINGS[i % len(DEMO_FINDINGS)]
            LessonLearnt.objects.create(
                region=region,
                summit=past_summit,
                date=past_summit.date,
                host=members[1],
                challenger=members[0],
                domain=domains.get(domain_name),
                key_findings=f"{finding} (Demo finding, not a real review.)",
                is_demo=True,
            )
            lessons += 1
    return DemoSummitSummary(created=created, lessons=lessons)
