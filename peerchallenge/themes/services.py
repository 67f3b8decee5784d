"""Writes for plenary themes, the work programme and the follow-up. Keyword-only; each a transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from councils.models import Council, Region
from peerchallenge.models import LessonLearnt, Summit, SummitGroup
from peerchallenge.selectors import group_councils, group_sessions, summit_groups
from peerchallenge.themes.models import (
    Recommendation,
    SessionFinding,
    SummitLogger,
    Theme,
    ThemeChange,
    WorkItem,
    WorkItemUpdate,
    WorkProgramme,
    normalise_title,
)
from peerchallenge.themes.selectors import theme_measures
from scorecard.models import Domain, Measure

LINKS = ("domains", "councils", "measures", "sessions")


class ThemeError(ValueError):
    """A change that cannot be made (shown to the user as it is)."""


@dataclass
class ThemeInput:
    """What a theme is made of, already resolved to objects (see :func:`theme_input_from_keys`)."""

    title: str
    description: str = ""
    note: str = ""
    domains: Sequence[Domain] = ()
    councils: Sequence[Council] = ()
    measures: Sequence[Measure] = ()
    sessions: Sequence[SummitGroup] = ()


def theme_input_from_keys(
    *,
    summit: Summit,
    title: object,
    description: object = "",
    note: object = "",
    domains: object = (),
    councils: object = (),
    measures: object = (),
    sessions: object = (),
) -> tuple[ThemeInput | None, dict[str, list[str]]]:
    """Resolve keys (domain slugs, GSS codes, measure keys, session positions) sent by the page or the API.

    Returns (input, {}) or (None, {field: [messages]}). Anything a user can send is answered with a message.
    """
    errors: dict[str, list[str]] = {}

    def text(name: str, value: object, limit: int, *, required: bool = False) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.setdefault(name, []).append(f"{name} must be text.")
            return ""
        value = value.strip()
        if "\x00" in value:
            errors.setdefault(name, []).append(f"{name} contains a character that is not allowed.")
            return ""
        if required and not value:
            errors.setdefault(name, []).append("Enter a title for the theme.")
        if len(value) > limit:
            errors.setdefault(name, []).append(f"{name} must be {limit} characters or fewer.")
        return value

    def keys(name: str, value: object) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str | int) for v in value):
            errors.setdefault(name, []).append(f"{name} must be a list of keys.")
            return []
        if len(value) > 500:
            errors.setdefault(name, []).append(f"{name}: too many.")
            return []
        return [str(v).strip() for v in value if str(v).strip()]

    data = ThemeInput(
        title=text("title", title, 200, required=True),
        description=text("description", description, 5000),
        note=text("note", note, 5000),
    )
    wanted = {
        "domains": keys("domains", domains),
        "councils": [k.upper() for k in keys("councils", councils)],
        "measures": keys("measures", measures),
        "sessions": keys("sessions", sessions),
    }
    found_domains = {d.slug: d for d in Domain.objects.filter(slug__in=wanted["domains"])}
    # The same choices as the page's form: the summit's region's councils, the measures it may link.
    region_councils = Council.objects.filter(region_id=summit.region_id, gss_code__in=wanted["councils"])
    found_councils = {c.gss_code: c for c in region_councils}
    found_measures = {m.key: m for m in theme_measures(summit=summit).filter(key__in=wanted["measures"])}
    positions = [int(k) for k in wanted["sessions"] if k.isascii() and k.isdigit() and len(k) < 6]
    found_sessions = {str(g.position): g for g in summit.groups.filter(position__in=positions)}
    for name, found in (
        ("domains", found_domains),
        ("councils", found_councils),
        ("measures", found_measures),
        ("sessions", found_sessions),
    ):
        unknown = [k for k in wanted[name] if k not in found]
        if unknown:
            shown = ", ".join(repr(k[:30]) for k in unknown[:5])
            errors.setdefault(name, []).append(f"Unknown {name[:-1]}: {shown}.")
    if errors:
        return None, errors
    data.domains = [found_domains[k] for k in dict.fromkeys(wanted["domains"])]
    data.councils = [found_councils[k] for k in dict.fromkeys(wanted["councils"])]
    data.measures = [found_measures[k] for k in dict.fromkeys(wanted["measures"])]
    data.sessions = [found_sessions[k] for k in dict.fromkeys(wanted["sessions"])]
    return data, {}


def theme_snapshot(theme: Theme) -> dict:
    return {
        "title": theme.title,
        "description": theme.description,
        "note": theme.note,
        "domains": sorted(theme.domains.values_list("slug", flat=True)),
        "councils": sorted(theme.councils.values_list("gss_code", flat=True)),
        "measures": sorted(theme.measures.values_list("key", flat=True)),
        "sessions": sorted(theme.sessions.values_list("position", flat=True)),
    }


def _record(  # type: ignore[no-untyped-def]
    *, theme: Theme, action: str, by, summary: str = "", other: Theme | None = None, added: dict | None = None
) -> ThemeChange:
    return ThemeChange.objects.create(
        theme=theme,
        action=action,
        by=by if getattr(by, "is_authenticated", False) else None,
        summary=summary[:500],
        other=other,
        snapshot=theme_snapshot(theme),
        added=added or {},
    )


def _set_links(theme: Theme, data: ThemeInput) -> None:
    theme.domains.set(data.domains)
    theme.councils.set(data.councils)
    theme.measures.set(data.measures)
    theme.sessions.set(data.sessions)


@dataclass
class ThemeSaved:
    theme: Theme
    created: bool


def theme_create(*, summit: Summit, data: ThemeInput, by, client_id: str = "") -> ThemeSaved:  # type: ignore[no-untyped-def]
    """Log a theme. Idempotent on ``client_id``: a retried save answers the theme already saved.

    Two people saving the same ``client_id`` at once: the unique constraint lets one insert win and the
    other finds it (no duplicate, no error).
    """
    client_id = (client_id or "").strip()[:64]
    if client_id:
        existing = Theme.objects.filter(summit=summit, client_id=client_id).first()
        if existing is not None:
            return ThemeSaved(existing, False)
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                summit=summit,
                title=data.title,
                description=data.description,
                note=data.note,
                client_id=client_id,
                created_by=by if getattr(by, "is_authenticated", False) else None,
                is_demo=summit.is_demo,
            )
            _set_links(theme, data)
            _record(theme=theme, action=ThemeChange.Action.CREATED, by=by)
    except IntegrityError:
        existing = Theme.objects.filter(summit=summit, client_id=client_id).first() if client_id else None
        if existing is None:
            raise
        return ThemeSaved(existing, False)
    return ThemeSaved(theme, True)


THEMES_AT_ONCE = 50


def themes_create_many(*, summit: Summit, titles: Sequence[str], by) -> list[ThemeSaved]:  # type: ignore[no-untyped-def]
    """Log several themes at once, one per title (blank lines skipped). Idempotent: each title's client id is
    made from the title, so sending the same list again saves nothing twice."""
    import hashlib

    wanted = [t.strip() for t in titles if t.strip()]
    if len(wanted) > THEMES_AT_ONCE:
        raise ThemeError(f"Log at most {THEMES_AT_ONCE} themes at once.")
    inputs = []
    for number, title in enumerate(wanted, start=1):
        data, errors = theme_input_from_keys(summit=summit, title=title)
        if data is None:
            message = next(iter(errors.values()))[0]
            raise ThemeError(f"Line {number}: {message}")
        inputs.append(data)
    saved = []
    with transaction.atomic():
        for data in inputs:
            key = hashlib.sha256(normalise_title(data.title).encode()).hexdigest()[:32]
            saved.append(theme_create(summit=summit, data=data, by=by, client_id=f"list-{key}"))
    return saved


@transaction.atomic
def theme_update(*, theme: Theme, data: ThemeInput, by) -> Theme:  # type: ignore[no-untyped-def]
    before = theme_snapshot(theme)
    theme.title, theme.description, theme.note = data.title, data.description, data.note
    theme.save()
    _set_links(theme, data)
    after = theme_snapshot(theme)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        _record(theme=theme, action=ThemeChange.Action.EDITED, by=by, summary="Changed " + ", ".join(changed))
    return theme


def _link_keys(theme: Theme) -> dict[str, set[int]]:
    return {name: set(getattr(theme, name).values_list("pk", flat=True)) for name in LINKS}


@transaction.atomic
def theme_merge(*, target: Theme, sources: Iterable[Theme], by) -> Theme:  # type: ignore[no-untyped-def]
    """Merge duplicates into ``target``: their councils, domains, measures and sessions join it.

    Each source keeps its row (``merged_into`` set) and the merge records exactly what it added, so
    :func:`theme_merge_undo` can take one merge back without undoing later edits. A source that has
    duplicates merged into it hands them over: each is taken out of it and merged into ``target`` on its
    own, so each of those merges can still be undone by itself.
    """
    target = Theme.objects.select_for_update().get(pk=target.pk)
    expanded: list[Theme] = []
    for source in sources:
        expanded.append(source)
        for child in Theme.objects.filter(merged_into_id=source.pk).exclude(pk=target.pk).order_by("pk"):
            theme_merge_undo(source=child, by=by)
            expanded.append(child)
    for source in expanded:
        source = Theme.objects.select_for_update().get(pk=source.pk)
        if source.pk == target.pk:
            raise ThemeError("A theme cannot be merged into itself.")
        if source.summit_id != target.summit_id:
            raise ThemeError("Only themes from the same summit can be merged.")
        if source.merged_into_id is not None or target.merged_into_id is not None:
            raise ThemeError("That theme has already been merged.")
        have, extra = _link_keys(target), _link_keys(source)
        added = {name: sorted(extra[name] - have[name]) for name in LINKS}
        for name in LINKS:
            getattr(target, name).add(*added[name])
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        _record(
            theme=target,
            action=ThemeChange.Action.MERGED,
            by=by,
            other=source,
            added=added,
            summary=f"“{source.title}”",
        )
        _record(
            theme=source,
            action=ThemeChange.Action.MERGED_INTO,
            by=by,
            other=target,
            summary=f"“{target.title}”",
        )
    return target


@transaction.atomic
def theme_merge_undo(*, source: Theme, by) -> Theme:  # type: ignore[no-untyped-def]
    """Take ``source`` back out of the theme it was merged into, removing only what that merge added."""
    source = Theme.objects.select_for_update().get(pk=source.pk)
    target = source.merged_into
    if target is None:
        raise ThemeError("That theme is not merged into another.")
    merge = (
        ThemeChange.objects.filter(theme=target, other=source, action=ThemeChange.Action.MERGED, undone=False)
        .order_by("-at", "-pk")
        .first()
    )
    if merge is not None:
        still_merged = target.merged_from.exclude(pk=source.pk)
        keep: dict[str, set[int]] = {name: set() for name in LINKS}
        for other in still_merged:
            for name, pks in _link_keys(other).items():
                keep[name] |= pks
        for name in LINKS:
            remove = [pk for pk in merge.added.get(name, []) if pk not in keep[name]]
            getattr(target, name).remove(*remove)
        merge.undone = True
        merge.save(update_fields=["undone"])
    source.merged_into = None
    source.save(update_fields=["merged_into", "updated_at"])
    _record(
        theme=target,
        action=ThemeChange.Action.MERGE_UNDONE,
        by=by,
        other=source,
        summary=f"Took “{source.title}” back out",
    )
    _record(
        theme=source,
        action=ThemeChange.Action.MERGE_UNDONE,
        by=by,
        other=target,
        summary=f"No longer merged into “{target.title}”",
    )
    return source


@transaction.atomic
def theme_split(*, theme: Theme, title: str, councils: Sequence[Council], by) -> Theme:  # type: ignore[no-untyped-def]
    """Split a new theme off ``theme``: it takes ``title`` and the chosen councils (moved from the original);
    domains, measures and sessions are copied."""
    title = (title or "").strip()
    if not title:
        raise ThemeError("Enter a title for the new theme.")
    if theme.merged_into_id is not None:
        raise ThemeError("Undo the merge before splitting this theme.")
    own = set(theme.councils.values_list("pk", flat=True))
    moving = [c for c in councils if c.pk in own]
    if len(moving) != len(list(councils)):
        raise ThemeError("Choose councils from the theme being split.")
    new = Theme.objects.create(
        summit=theme.summit,
        title=title[:200],
        description=theme.description,
        split_from=theme,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        is_published=theme.is_published,
        is_demo=theme.is_demo,
    )
    new.domains.set(theme.domains.all())
    new.measures.set(theme.measures.all())
    new.sessions.set(theme.sessions.all())
    new.councils.set(moving)
    theme.councils.remove(*moving)
    names = ", ".join(c.name for c in moving) or "no councils"
    _record(
        theme=theme,
        action=ThemeChange.Action.SPLIT,
        by=by,
        other=new,
        summary=f"“{new.title}” split off with {names}",
    )
    _record(
        theme=new,
        action=ThemeChange.Action.SPLIT,
        by=by,
        other=theme,
        summary=f"split off from “{theme.title}”",
    )
    return new


@transaction.atomic
def themes_publish(*, summit: Summit, by) -> int:  # type: ignore[no-untyped-def]
    """Publish every current theme of the summit to the region's DASSs and delegates (a held or closed
    summit only: ThemeError otherwise). Themes come from the plenary, so they are published after the day."""
    if summit.state not in Summit.AFTER_THE_DAY:
        raise ThemeError("Themes can be published once the summit has been held.")
    themes = list(summit.themes.filter(is_published=False, merged_into__isnull=True))
    for theme in themes:
        theme.is_published = True
        theme.save(update_fields=["is_published", "updated_at"])
        _record(theme=theme, action=ThemeChange.Action.PUBLISHED, by=by)
    return len(themes)


@transaction.atomic
def theme_link_earlier(*, theme: Theme, earlier: Theme | None) -> Theme:
    """Say ``theme`` is the same as one raised at an earlier summit of the region (None removes the link)."""
    if earlier is not None and (
        earlier.summit.region_id != theme.summit.region_id or earlier.summit.date >= theme.summit.date
    ):
        raise ThemeError("Link to a theme from an earlier summit of the same region.")
    theme.same_as = earlier
    theme.save(update_fields=["same_as", "updated_at"])
    return theme


def summit_logger_add(*, summit: Summit, user) -> SummitLogger:  # type: ignore[no-untyped-def]
    return SummitLogger.objects.get_or_create(summit=summit, user=user)[0]


def summit_logger_remove(*, summit: Summit, user_id: int) -> None:
    SummitLogger.objects.filter(summit=summit, user_id=user_id).delete()


# --- Work programme ---------------------------------------------------------------------------------------


def work_programme_get_or_create(*, region: Region, year: int) -> WorkProgramme:
    return WorkProgramme.objects.get_or_create(region=region, year=year)[0]


@transaction.atomic
def work_item_create(
    *,
    programme: WorkProgramme,
    title: str,
    why: str = "",
    lead: str = "",
    priority: str = WorkItem.Priority.MEDIUM,
    due_date: dt.date | None = None,
    themes: Sequence[Theme] = (),
) -> WorkItem:
    item = WorkItem.objects.create(
        programme=programme,
        title=title.strip()[:200],
        why=why,
        lead=lead,
        priority=priority,
        due_date=due_date,
        is_demo=programme.is_demo,
    )
    item.themes.set(themes)
    return item


@transaction.atomic
def work_item_from_theme(*, theme: Theme) -> WorkItem:
    """Turn a theme into a proposed item of its region's work programme for the summit's year."""
    programme = work_programme_get_or_create(region=theme.summit.region, year=theme.summit.date.year)
    existing = programme.items.filter(themes=theme).first()
    if existing is not None:
        return existing
    councils = sorted(theme.councils.values_list("name", flat=True))
    why = theme.description
    if councils:
        why = (why + "\n\n" if why else "") + f"Raised by {len(councils)} councils: {', '.join(councils)}."
    return work_item_create(programme=programme, title=theme.title, why=why, themes=[theme])


@transaction.atomic
def work_items_from_themes(*, themes: Sequence[Theme]) -> list[WorkItem]:
    """Turn several themes into proposed work-programme items at once (a theme already in it is not added
    twice)."""
    return [work_item_from_theme(theme=theme) for theme in themes]


@transaction.atomic
def work_item_update(  # type: ignore[no-untyped-def]
    *, item: WorkItem, text: str, status: str = "", by, date: dt.date | None = None
) -> WorkItemUpdate:
    """A dated update; with ``status`` it also moves the item (only along WorkItem.TRANSITIONS)."""
    if status and status != item.status:
        allowed = WorkItem.TRANSITIONS[WorkItem.Status(item.status)]
        if status not in allowed:
            names = " or ".join(WorkItem.Status(s).label.lower() for s in allowed) or "nothing"
            raise ThemeError(f"A {item.get_status_display().lower()} item can only become {names}.")
        item.status = status
        item.save(update_fields=["status", "updated_at"])
    elif status == item.status:
        status = ""
    if not text.strip() and not status:
        raise ThemeError("Write an update or choose a new status.")
    return WorkItemUpdate.objects.create(
        item=item,
        text=text.strip() or f"Status: {item.get_status_display()}",
        status=status,
        by=by if getattr(by, "is_authenticated", False) else None,
        date=date or timezone.localdate(),
        is_demo=item.is_demo,
    )


@transaction.atomic
def work_programme_publish(*, programme: WorkProgramme, published: bool = True) -> WorkProgramme:
    programme.is_published = published
    programme.save(update_fields=["is_published"])
    return programme


# --- Follow-up --------------------------------------------------------------------------------------------


@transaction.atomic
def finding_save(
    *,
    summit: Summit,
    council: Council,
    key_findings: str,
    recommendations: Sequence[str],
    publish_as_lesson: bool | None = None,
) -> SessionFinding:
    """Key findings and (new) recommendations for one challenged council's session.

    Findings belong to their council and the coordinator: saving them never shows them to anyone else. The
    region's lessons learnt are what the coordinator chooses to publish: ``publish_as_lesson`` True publishes
    (or updates) the key findings as the lesson of this council's session, False withdraws that lesson, and
    None leaves the lessons as they are."""
    finding, _ = SessionFinding.objects.get_or_create(
        summit=summit, council=council, defaults={"is_demo": summit.is_demo}
    )
    finding.key_findings = key_findings
    finding.save()
    if publish_as_lesson is not None:
        lesson_from_finding_set(
            summit=summit, council=council, key_findings=key_findings, publish=publish_as_lesson
        )
    for text in recommendations:
        if text.strip():
            Recommendation.objects.create(finding=finding, text=text.strip(), is_demo=finding.is_demo)
    return finding


def lesson_from_finding_set(*, summit: Summit, council: Council, key_findings: str, publish: bool) -> None:
    """Publish the key findings of ``council``'s session as the region's lesson (one per challenged council
    and summit, with the council that challenged it in the summit's pairing), or withdraw it."""
    lesson = LessonLearnt.objects.filter(summit=summit, host=council).first()
    if not publish or not key_findings.strip():
        if lesson is not None:
            lesson.delete()
        return
    if lesson is not None:
        lesson.key_findings = key_findings
        lesson.save(update_fields=["key_findings"])
        return
    for group in summit_groups(summit=summit):
        for challenger, challenged, _observer in group_sessions(group_councils(group)):
            if challenged.pk == council.pk:
                LessonLearnt.objects.create(
                    region=summit.region,
                    summit=summit,
                    date=summit.date,
                    host=council,
                    challenger=challenger,
                    key_findings=key_findings,
                    is_demo=summit.is_demo,
                )
                return


@transaction.atomic
def recommendation_follow_up(
    *, recommendation: Recommendation, status: str, note: str = "", on: dt.date | None = None
) -> Recommendation:
    if status not in Recommendation.FollowUp.values:
        raise ThemeError("Choose a follow-up status.")
    recommendation.follow_up = status
    recommendation.follow_up_note = note
    recommendation.followed_up_on = on or timezone.localdate()
    recommendation.save()
    return recommendation
