"""Reads: where a summit stands in the region's cycle, and what a change of its state would do.

Two things the coordinator's pages are built from:

- :func:`summit_checklist`: the cycle as a checklist (cycle open → returns in → planned → paired → published →
  packs built → held → themes logged and published → work programme → findings → closed), each step with its
  state and the one action that does it.
- :func:`state_change_check`: before a summit is marked as held, closed or reopened, what will change, what is
  still missing (a warning) and what refuses the change (a summit is not held or closed before its day).

``today`` is read in one place (:func:`today`), so that tests can move the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Region
from peerchallenge.models import Summit
from peerchallenge.packs.models import PackBuild, QuestionSet
from peerchallenge.packs.selectors import summit_sessions
from peerchallenge.selectors import summit_problems
from peerchallenge.themes.models import SessionFinding, Theme, WorkItem
from selfassessment.models import SelfAssessmentCycle
from selfassessment.selectors import CycleReturns, cycle_returns, open_cycle_for_region


def today() -> dt.date:
    """The date in the service's time zone (the one clock every guard reads)."""
    return timezone.localdate()


def _names(councils: list[Council], limit: int = 4) -> str:
    names = [c.name for c in councils]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def long_date(day: dt.date) -> str:
    """ "Thursday 12 November 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


# --- Changing a summit's state ------------------------------------------------------------------------------


@dataclass
class StateChangeCheck:
    """What marking ``summit`` as ``to`` would do: refusals stop it, missing things are warnings."""

    summit: Summit
    to: str
    title: str
    button: str
    changes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    needs_reason: bool = False

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def is_reopening(self) -> bool:
        return Summit.is_reopening(self.summit.state, self.to)


TITLES = {
    Summit.State.DRAFT: ("Move the summit back to draft", "Back to draft"),
    Summit.State.PUBLISHED: ("Publish the summit to participants", "Publish to participants"),
    Summit.State.HELD: ("Mark the summit as held", "Mark as held"),
    Summit.State.CLOSED: ("Close the summit", "Close the summit"),
}
REOPEN_TITLES = {
    Summit.State.PUBLISHED: ("Reopen the summit before the day", "Reopen the summit"),
    Summit.State.HELD: ("Reopen the closed summit", "Reopen the summit"),
}


def _challengers_without_questions(summit: Summit) -> list[Council]:
    started = set(QuestionSet.objects.filter(summit=summit).values_list("challenger_id", "challenged_id"))
    return [
        s.challenger
        for s in summit_sessions(summit=summit)
        if (s.challenger.pk, s.challenged.pk) not in started
    ]


def _councils_without_findings(summit: Summit) -> list[Council]:
    found = set(
        SessionFinding.objects.filter(summit=summit)
        .exclude(key_findings="")
        .values_list("council_id", flat=True)
    )
    return [c for c in summit.participants.order_by("name") if c.pk not in found]


def _current_themes(summit: Summit):  # type: ignore[no-untyped-def]
    return Theme.objects.filter(summit=summit, merged_into__isnull=True)


def _work_items_of(summit: Summit) -> int:
    return WorkItem.objects.filter(themes__summit=summit).distinct().count()


def _pack_build(summit: Summit) -> PackBuild | None:
    return PackBuild.objects.filter(summit=summit).order_by("-created_at", "-pk").first()


def _changes_and_missing(check: StateChangeCheck) -> None:
    summit, to = check.summit, check.to
    if to == Summit.State.PUBLISHED and check.is_reopening:
        check.changes = [
            "The summit goes back to before the day: the challenging councils can change their question "
            "sets again, and the challenged councils can no longer read them.",
            "Published themes stay published; findings stay as they are.",
        ]
    elif to == Summit.State.PUBLISHED:
        check.changes = [
            "Each taking-part council's DASS and delegates see the summit, their session and the pack on "
            "the council they challenge.",
        ]
    elif to == Summit.State.DRAFT:
        check.changes = [
            "DASSs and delegates no longer see the summit; you can change its details and pair it again.",
        ]
    elif to == Summit.State.HELD and check.is_reopening:
        check.changes = [
            "Themes can be logged, edited, merged and split again.",
            "The summit is back among the summits in progress on your home page.",
        ]
    elif to == Summit.State.HELD:
        check.changes = [
            "The challenging councils can no longer change their question sets.",
            "Each challenged council can read the questions asked of it.",
            "You can publish the plenary's themes to the region's councils and record each council's findings.",
        ]
        build = _pack_build(summit)
        if build is None or build.state != PackBuild.State.DONE:
            check.missing.append(
                "The summit's packs have not all been built (DASSs could still download theirs)."
            )
        waiting = _challengers_without_questions(summit)
        if waiting:
            check.missing.append(
                f"{_plural(len(waiting), 'challenging council')} did not start a question set: {_names(waiting)}."
            )
    elif to == Summit.State.CLOSED:
        check.changes = [
            "Nobody can log, edit, merge or split the summit's themes any more.",
            "You can still publish its themes, record findings and add work-programme items.",
            "The summit leaves the summits in progress on your home page.",
        ]
        themes = _current_themes(summit)
        if not themes.exists():
            check.missing.append("No plenary themes have been logged.")
        unpublished = themes.filter(is_published=False).count()
        if unpublished:
            check.missing.append(
                f"{_plural(unpublished, 'theme is', 'themes are')} not published: the region's directors "
                "cannot read them yet."
            )
        without = _councils_without_findings(summit)
        if without:
            check.missing.append(
                f"{_plural(len(without), 'council has', 'councils have')} no findings: {_names(without)}."
            )
        if themes.exists() and not _work_items_of(summit):
            check.missing.append("None of the summit's themes is in the region's work programme.")


def state_change_check(*, summit: Summit, to: str, on: dt.date | None = None) -> StateChangeCheck:
    """What changing ``summit`` to state ``to`` would do, and whether it may happen (``on``: today)."""
    on = on or today()
    if to not in Summit.State.values:
        return StateChangeCheck(summit, to, "Change the summit", "Change", refusals=["Unknown state."])
    target = Summit.State(to)
    reopening = Summit.is_reopening(summit.state, to)
    title, button = (REOPEN_TITLES if reopening else TITLES).get(target, TITLES[target])
    check = StateChangeCheck(summit, to, title, button, needs_reason=reopening)
    if target not in Summit.TRANSITIONS[Summit.State(summit.state)]:
        check.refusals.append(
            f"A {summit.get_state_display().lower()} summit cannot become {target.label.lower()}."
        )
        return check
    if target in Summit.AFTER_THE_DAY and not reopening and summit.date > on:
        verb = "marked as held" if target == Summit.State.HELD else "closed"
        check.refusals.append(f"The summit is on {long_date(summit.date)}: it can be {verb} from that day.")
    if target == Summit.State.PUBLISHED and not reopening:
        check.refusals.extend(summit_problems(summit=summit))
    _changes_and_missing(check)
    return check


# --- The cycle as a checklist -------------------------------------------------------------------------------


@dataclass
class Action:
    """The one thing that does a step: a link, or a form posting ``fields`` to ``url``."""

    label: str
    url: str
    post: bool = False
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Step:
    key: str
    title: str
    status: str  # "done", "todo", "waiting" (cannot start yet), "skipped" (its time has passed)
    detail: str = ""
    action: Action | None = None
    is_next: bool = False

    @property
    def status_label(self) -> str:
        if self.status == "done":
            return "Done"
        if self.status == "waiting":
            return "Not yet"
        if self.status == "skipped":
            return "Skipped"
        return "Next" if self.is_next else "To do"


@dataclass
class Checklist:
    region: Region
    summit: Summit | None
    cycle: SelfAssessmentCycle | None
    steps: list[Step]

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if s.is_next), None)

    @property
    def done(self) -> int:
        return sum(s.status == "done" for s in self.steps)


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs=kwargs)


def _state_at_least(summit: Summit | None, state: str) -> bool:
    if summit is None:
        return False
    order = [s.value for s in Summit.ORDER]
    return order.index(summit.state) >= order.index(state)


def _cycle_steps(region: Region, summit: Summit | None, cycle: SelfAssessmentCycle | None) -> list[Step]:
    if cycle is None:
        new = Action(
            "Open a self-assessment cycle",
            _url("selfassessment:cycle-new", gss_code=region.gss_code),
        )
        if summit is not None and summit.is_editable and open_cycle_for_region(region=region):
            new = Action(
                "Choose the summit's self-assessment cycle", _url("peerchallenge:summit-edit", pk=summit.pk)
            )
        return [
            Step(
                "cycle",
                "Self-assessment cycle open",
                "todo",
                "Councils rate themselves on each domain before the summit.",
                new,
            ),
            Step("returns", "Self-assessments returned", "waiting", "Once a cycle is open."),
        ]
    state = "open, closes" if cycle.is_open else "closed on"
    cycle_step = Step(
        "cycle",
        "Self-assessment cycle open",
        "done",
        f"{cycle.name}: {state} {cycle.closes_on.day} {cycle.closes_on:%B %Y}.",
    )
    councils = list(summit.participants.order_by("name")) if summit is not None else None
    returns = cycle_returns(cycle=cycle, councils=councils)
    return [cycle_step, _returns_step(returns)]


def _returns_step(returns: CycleReturns) -> Step:
    cycle = returns.cycle
    parts = [f"{len(returns.submitted)} of {len(returns.rows)} submitted"]
    if returns.in_progress:
        parts.append(f"{len(returns.in_progress)} in draft ({_names(returns.in_progress)})")
    if returns.not_started:
        parts.append(f"{len(returns.not_started)} not started ({_names(returns.not_started)})")
    requests = returns.reopen_requests
    if requests:
        parts.append(
            f"{_plural(len(requests), 'council asks', 'councils ask')} for theirs to be reopened "
            f"({_names([a.council for a in requests])})"
        )
    url = _url("selfassessment:cycle", gss_code=cycle.region.gss_code, slug=cycle.slug)
    status = "done" if returns.complete and not requests else "todo"
    label = "See the reopening requests" if requests else "See the returns"
    return Step("returns", "Self-assessments returned", status, "; ".join(parts) + ".", Action(label, url))


def _planning_steps(region: Region, summit: Summit | None) -> list[Step]:
    if summit is None:
        return [
            Step(
                "planned",
                "Summit planned",
                "todo",
                "Date, venue, rooms and the councils taking part.",
                Action("Plan the summit", _url("peerchallenge:summit-create")),
            ),
            Step("paired", "Councils paired", "waiting", "Once the summit is planned."),
            Step("published", "Published to participants", "waiting", "Once the councils are paired."),
        ]
    planned = Step("planned", "Summit planned", "done", f"{long_date(summit.date)}, {summit.venue}.")
    groups = summit.groups.count()
    if groups:
        paired = Step("paired", "Councils paired", "done", f"{_plural(groups, 'group')}.")
    else:
        paired = Step(
            "paired",
            "Councils paired",
            "todo",
            "Who challenges whom, with the reasons.",
            Action("Pair the councils", _url("peerchallenge:summit-pair", pk=summit.pk), post=True),
        )
    if _state_at_least(summit, Summit.State.PUBLISHED):
        published = Step(
            "published", "Published to participants", "done", "DASSs see their session and their pack."
        )
    elif not groups:
        published = Step("published", "Published to participants", "waiting", "Once the councils are paired.")
    else:
        problems = summit_problems(summit=summit)
        if problems:
            published = Step(
                "published",
                "Published to participants",
                "todo",
                " ".join(problems),
                Action(
                    "Fix what stops publishing",
                    _url("peerchallenge:summit-detail", pk=summit.pk) + "#problems",
                ),
            )
        else:
            published = Step(
                "published",
                "Published to participants",
                "todo",
                "DASSs then see their session and their pack.",
                Action(
                    "Publish to participants",
                    _url("peerchallenge:summit-state", pk=summit.pk),
                    post=True,
                    fields={"to": Summit.State.PUBLISHED.value},
                ),
            )
    return [planned, paired, published]


def _packs_step(summit: Summit | None) -> Step:
    if not _state_at_least(summit, Summit.State.PUBLISHED):
        return Step("packs", "Challenge packs built", "waiting", "Once the summit is published.")
    assert summit is not None
    build = _pack_build(summit)
    packs = _url("peerchallenge:summit-packs", pk=summit.pk)
    if build is not None and build.state == PackBuild.State.DONE:
        built = timezone.localtime(build.updated_at)
        return Step(
            "packs",
            "Challenge packs built",
            "done",
            f"Built {built.day} {built:%B %Y, %H:%M}.",
            Action(
                "Download every pack (ZIP)",
                _url("peerchallenge:pack-build-zip", pk=summit.pk, build_pk=build.pk),
            ),
        )
    if build is not None and build.state in (PackBuild.State.PENDING, PackBuild.State.RUNNING):
        return Step(
            "packs",
            "Challenge packs built",
            "todo",
            "Building in the background.",
            Action("See how far it has got", packs),
        )
    if _state_at_least(summit, Summit.State.HELD):
        return Step(
            "packs", "Challenge packs built", "skipped", "Not built as one ZIP before the summit was held."
        )
    detail = (
        "The last build failed: build them again."
        if build is not None
        else "Every pack and pro-forma, as one ZIP."
    )
    return Step(
        "packs",
        "Challenge packs built",
        "todo",
        detail,
        Action("Build every pack", _url("peerchallenge:pack-build", pk=summit.pk), post=True),
    )


def _held_step(summit: Summit | None, on: dt.date) -> Step:
    if _state_at_least(summit, Summit.State.HELD):
        return Step("held", "Summit held", "done", "Question sets are shared with the councils challenged.")
    if not _state_at_least(summit, Summit.State.PUBLISHED):
        return Step("held", "Summit held", "waiting", "Once the summit is published.")
    assert summit is not None
    if summit.date > on:
        return Step(
            "held", "Summit held", "waiting", f"From the day of the summit, {long_date(summit.date)}."
        )
    return Step(
        "held",
        "Summit held",
        "todo",
        "Shares each question set with the council challenged.",
        Action(
            "Mark as held",
            _url("peerchallenge:summit-state-change", pk=summit.pk, to=Summit.State.HELD.value),
        ),
    )


def _themes_step(summit: Summit | None) -> Step:
    if not _state_at_least(summit, Summit.State.PUBLISHED):
        return Step("themes", "Themes logged and published", "waiting", "At the summit's plenary.")
    assert summit is not None
    themes = _current_themes(summit)
    total = themes.count()
    unpublished = themes.filter(is_published=False).count()
    if not total:
        if summit.state == Summit.State.CLOSED:
            return Step(
                "themes",
                "Themes logged and published",
                "todo",
                "No themes were logged before the summit closed.",
                Action(
                    "Reopen the summit to log them",
                    _url("peerchallenge:summit-state-change", pk=summit.pk, to=Summit.State.HELD.value),
                ),
            )
        return Step(
            "themes",
            "Themes logged and published",
            "todo",
            "The common themes the plenary names.",
            Action("Log the plenary's themes", _url("themes:plenary", pk=summit.pk)),
        )
    if not unpublished:
        return Step(
            "themes",
            "Themes logged and published",
            "done",
            f"{_plural(total, 'theme')}, published to the region's councils.",
            Action("See the themes", _url("themes:theme-list", pk=summit.pk)),
        )
    if _state_at_least(summit, Summit.State.HELD):
        return Step(
            "themes",
            "Themes logged and published",
            "todo",
            f"{_plural(total, 'theme')} logged, {unpublished} not published.",
            Action(
                f"Publish {_plural(unpublished, 'theme')}",
                _url("themes:themes-publish", pk=summit.pk),
                post=True,
            ),
        )
    return Step(
        "themes",
        "Themes logged and published",
        "todo",
        f"{_plural(total, 'theme')} logged; publish them once the summit is held.",
        Action("Review the themes", _url("themes:theme-list", pk=summit.pk)),
    )


def _follow_up_steps(summit: Summit | None) -> list[Step]:
    if not _state_at_least(summit, Summit.State.HELD):
        return [
            Step("work", "Themes in the work programme", "waiting", "Once the summit is held."),
            Step("findings", "Findings recorded", "waiting", "Once the summit is held."),
            Step("closed", "Summit closed", "waiting", "Once the summit is held."),
        ]
    assert summit is not None
    items = _work_items_of(summit)
    themes_url = _url("themes:theme-list", pk=summit.pk)
    if items:
        work = Step(
            "work",
            "Themes in the work programme",
            "done",
            f"{_plural(items, 'item')} in the {summit.date.year} work programme.",
            Action(
                "See the work programme",
                _url("themes:work-programme", gss_code=summit.region.gss_code, year=summit.date.year),
            ),
        )
    elif _current_themes(summit).exists():
        work = Step(
            "work",
            "Themes in the work programme",
            "todo",
            "Turn the themes the region will act on into work-programme items.",
            Action("Add themes to the work programme", themes_url + "#plan"),
        )
    else:
        work = Step("work", "Themes in the work programme", "waiting", "Once themes are logged.")
    without = _councils_without_findings(summit)
    total = summit.participants.count()
    findings_url = _url("themes:findings", pk=summit.pk)
    if without:
        findings = Step(
            "findings",
            "Findings recorded",
            "todo",
            f"{total - len(without)} of {total} councils have findings; none yet for {_names(without)}.",
            Action("Record findings", findings_url),
        )
    else:
        findings = Step(
            "findings",
            "Findings recorded",
            "done",
            f"Every council's findings are recorded ({total}).",
            Action("See the findings", findings_url),
        )
    if summit.state == Summit.State.CLOSED:
        closed = Step("closed", "Summit closed", "done", "Its themes are the record.")
    else:
        closed = Step(
            "closed",
            "Summit closed",
            "todo",
            "When the themes, work programme and findings are done.",
            Action(
                "Close the summit",
                _url("peerchallenge:summit-state-change", pk=summit.pk, to=Summit.State.CLOSED.value),
            ),
        )
    return [work, findings, closed]


def summit_checklist(*, region: Region, summit: Summit | None, on: dt.date | None = None) -> Checklist:
    """The cycle for ``summit`` (None: the next summit, not planned yet) as a checklist."""
    on = on or today()
    cycle = summit.cycle if summit is not None and summit.cycle_id else open_cycle_for_region(region=region)
    if summit is not None and summit.cycle_id is None:
        cycle = None
    steps = [
        *_cycle_steps(region, summit, cycle),
        *_planning_steps(region, summit),
        _packs_step(summit),
        _held_step(summit, on),
        _themes_step(summit),
        *_follow_up_steps(summit),
    ]
    for step in steps:
        if step.status == "todo" and step.action is not None:
            step.is_next = True
            break
    return Checklist(region=region, summit=summit, cycle=cycle, steps=steps)


def summits_in_progress(*, region: Region) -> list[Summit]:
    """The region's summits not closed yet, soonest first (the coordinator's home lists each)."""
    return list(
        Summit.objects.filter(region=region)
        .exclude(state=Summit.State.CLOSED)
        .select_related("region", "cycle__region", "cycle__period")
        .order_by("date", "pk")
    )


def coordinator_checklists(*, regions: list[Region], on: dt.date | None = None) -> list[Checklist]:
    """For each region: a checklist per summit in progress, or one for the next summit when none is."""
    result: list[Checklist] = []
    for region in regions:
        summits = summits_in_progress(region=region)
        result.extend(summit_checklist(region=region, summit=s, on=on) for s in summits)
        if not summits:
            result.append(summit_checklist(region=region, summit=None, on=on))
    return result


__all__ = [
    "Action",
    "Checklist",
    "StateChangeCheck",
    "Step",
    "coordinator_checklists",
    "state_change_check",
    "summit_checklist",
    "today",
]
