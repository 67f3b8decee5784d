"""Reads for themes, the work programme and follow-up. Constant queries per page (prefetches, no loops)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from councils.models import Council, Region
from peerchallenge.models import Summit
from peerchallenge.selectors import summits_for_user
from peerchallenge.themes.models import (
    Recommendation,
    SessionFinding,
    Theme,
    ThemeChange,
    WorkItem,
    WorkItemUpdate,
    WorkProgramme,
)
from scorecard.measures.selectors import measure_values
from scorecard.models import Domain, Measure
from scorecard.periods import period_start_year

# What a reader who sees only published themes sees: published themes of summits that are not drafts.
READABLE_WHEN_PUBLISHED = Q(is_published=True) & ~Q(summit__state=Summit.State.DRAFT)


def theme_measures(*, summit: Summit) -> QuerySet[Measure]:
    """The measures a theme of ``summit`` may link: the national frameworks' and the region's own local ones."""
    return (
        Measure.objects.filter(Q(owner_region__isnull=True) | Q(owner_region=summit.region_id))
        .exclude(framework="local", owner_region__isnull=True)
        .order_by("framework", "position", "code")
    )


def visible_summits(*, user) -> QuerySet[Summit]:  # type: ignore[no-untyped-def]
    """Summits the user may see, and those they were named to log themes at."""
    own = summits_for_user(user=user)
    if not getattr(user, "is_authenticated", False):
        return own
    logged = Summit.objects.filter(theme_loggers__user=user).exclude(state=Summit.State.DRAFT)
    return (
        Summit.objects.select_related("region")
        .filter(Q(pk__in=own.values("pk")) | Q(pk__in=logged.values("pk")))
        .order_by("-date", "name")
    )


def themes_for_summit(
    *, summit: Summit, published_only: bool = False, include_merged: bool = False
) -> list[Theme]:
    """The summit's themes ordered by reach (how many councils raised it), then title: five queries."""
    qs = summit.themes.annotate(reach=Count("councils", distinct=True))
    if not include_merged:
        qs = qs.filter(merged_into__isnull=True)
    if published_only:
        qs = qs.filter(READABLE_WHEN_PUBLISHED)
    return list(
        qs.select_related("merged_into", "same_as__summit")
        .prefetch_related(
            Prefetch("councils", queryset=Council.objects.order_by("name")),
            Prefetch("domains", queryset=Domain.objects.order_by("position")),
            Prefetch("measures", queryset=Measure.objects.order_by("code")),
            "sessions",
            Prefetch("merged_from", queryset=Theme.objects.order_by("title")),
        )
        .order_by("-reach", "title", "pk")
    )


def theme_json(theme: Theme) -> dict:
    """The API's view of a theme (relations read from prefetched caches when there are any)."""
    return {
        "id": theme.pk,
        "url": reverse("themes:theme-detail", kwargs={"pk": theme.summit_id, "theme_pk": theme.pk}),
        "title": theme.title,
        "description": theme.description,
        "note": theme.note,
        "domains": [d.slug for d in theme.domains.all()],
        "councils": [c.gss_code for c in theme.councils.all()],
        "measures": [m.key for m in theme.measures.all()],
        "sessions": [g.position for g in theme.sessions.all()],
        "reach": len(theme.councils.all()),
        "client_id": theme.client_id,
        "merged_into": theme.merged_into_id,
        "is_published": theme.is_published,
        "is_demo": theme.is_demo,
    }


def theme_history(*, theme: Theme) -> list[ThemeChange]:
    return list(theme.changes.select_related("by", "other"))


# --- Recurring themes ----------------------------------------------------------------------------------


@dataclass
class Recurrence:
    years: list[int]

    @property
    def label(self) -> str:
        if len(self.years) < 2:
            return ""
        years = [str(y) for y in self.years]
        return "Raised in " + (", ".join(years[:-1]) + " and " + years[-1])


def region_theme_chains(*, region: Region, published_only: bool = False) -> dict[int, Recurrence]:
    """Theme pk → the years the same theme was raised at the region's summits (same normalised title, or
    linked explicitly with ``same_as``). Two queries."""
    qs = Theme.objects.filter(summit__region=region, merged_into__isnull=True).select_related("summit")
    if published_only:
        qs = qs.filter(READABLE_WHEN_PUBLISHED)
    themes = list(qs.only("pk", "normalised_title", "same_as_id", "summit__date", "summit__region_id"))
    by_pk = {t.pk: t for t in themes}
    # Union-find over title matches and explicit links.
    parent: dict[int, int] = {t.pk: t.pk for t in themes}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    by_title: dict[str, int] = {}
    for theme in themes:
        if theme.normalised_title in by_title:
            union(by_title[theme.normalised_title], theme.pk)
        else:
            by_title[theme.normalised_title] = theme.pk
        if theme.same_as_id in by_pk:
            union(theme.same_as_id, theme.pk)
    years: dict[int, set[int]] = defaultdict(set)
    for theme in themes:
        years[find(theme.pk)].add(theme.summit.date.year)
    return {theme.pk: Recurrence(sorted(years[find(theme.pk)])) for theme in themes}


@dataclass
class DomainYears:
    domain: Domain | None
    cells: list[tuple[int, list[Theme]]]  # aligned with RegionThemes.years


@dataclass
class RegionThemes:
    region: Region
    years: list[int]
    domains: list[DomainYears]
    recurrences: dict[int, Recurrence]
    data_is_demo: bool


def region_themes_by_domain(*, region: Region, published_only: bool) -> RegionThemes:
    """Every current theme of the region's summits, by domain and year (a theme with two domains is under
    both; one without under "No domain")."""
    qs = Theme.objects.filter(summit__region=region, merged_into__isnull=True)
    if published_only:
        qs = qs.filter(READABLE_WHEN_PUBLISHED)
    themes = list(
        qs.select_related("summit").prefetch_related("domains", "councils").order_by("summit__date", "title")
    )
    years = sorted({t.summit.date.year for t in themes})
    domains = list(Domain.objects.order_by("position"))
    grid: dict[int | None, dict[int, list[Theme]]] = defaultdict(lambda: defaultdict(list))
    for theme in themes:
        keys: list[int | None] = [d.pk for d in theme.domains.all()] or [None]
        for key in keys:
            grid[key][theme.summit.date.year].append(theme)
    recurrences = region_theme_chains(region=region, published_only=published_only)
    for theme in themes:
        theme.recurrence = recurrences.get(theme.pk)
    shown: list[Domain | None] = [d for d in domains if d.pk in grid]
    shown += [None] if None in grid else []
    rows = [DomainYears(d, [(y, grid[d.pk if d else None].get(y, [])) for y in years]) for d in shown]
    return RegionThemes(
        region=region,
        years=years,
        domains=rows,
        recurrences=recurrences,
        data_is_demo=any(t.is_demo for t in themes),
    )


# --- How linked measures moved since a theme was raised -------------------------------------------------


@dataclass
class MeasureMovement:
    measure: Measure
    raised_period: str | None
    latest_period: str | None
    rows: list[tuple[Council, str, str, str]] = field(default_factory=list)  # council, then, now, direction
    is_demo: bool = False


def _formatted(measure: Measure, value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value:.{measure.decimal_places}f}"


def theme_measure_movement(*, theme: Theme) -> list[MeasureMovement]:
    """For each measure linked to the theme: each linked council's figure for the last year published
    before the summit, and its latest figure (read through scorecard.measures.selectors.measure_values)."""
    councils = {c.pk for c in theme.councils.all()}
    out = []
    for measure in theme.measures.all():
        result = measure_values(measure=measure, region=theme.summit.region)
        movement = MeasureMovement(measure=result.measure, raised_period=None, latest_period=None)
        for row in result.rows:
            if councils and row.council.pk not in councils:
                continue
            before = [
                (label, value)
                for label, value in row.trend
                if (period_start_year(label) or 0) + 1 <= theme.summit.date.year and value is not None
            ]
            present = [(label, value) for label, value in row.trend if value is not None]
            if not present:
                continue
            then = before[-1] if before else None
            now = present[-1]
            movement.raised_period = then[0] if then else movement.raised_period
            movement.latest_period = now[0]
            if then is None or then[0] == now[0]:
                direction = "no newer figure"
            elif now[1] == then[1]:
                direction = "unchanged"
            else:
                better = (now[1] > then[1]) == (result.measure.polarity == "higher")
                direction = "better" if better else "worse"
            movement.rows.append(
                (
                    row.council,
                    f"{_formatted(result.measure, then[1])} ({then[0]})" if then else "–",
                    f"{_formatted(result.measure, now[1])} ({now[0]})",
                    direction,
                )
            )
            movement.is_demo = movement.is_demo or row.is_demo
        out.append(movement)
    return out


# --- Work programme --------------------------------------------------------------------------------------


def work_programme(*, region: Region, year: int) -> WorkProgramme | None:
    return WorkProgramme.objects.select_related("region").filter(region=region, year=year).first()


def work_programme_years(*, region: Region, published_only: bool) -> list[int]:
    qs = WorkProgramme.objects.filter(region=region)
    if published_only:
        qs = qs.filter(is_published=True)
    return list(qs.order_by("-year").values_list("year", flat=True))


_FAR = dt.date(9999, 12, 31)
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def work_items(*, programme: WorkProgramme) -> list[WorkItem]:
    """Items by priority then due date, with their themes (and the themes' councils) and updates: four
    queries."""
    items = list(
        programme.items.prefetch_related(
            Prefetch(
                "themes",
                queryset=Theme.objects.select_related("summit")
                .prefetch_related("councils")
                .order_by("title"),
            ),
            Prefetch("updates", queryset=WorkItemUpdate.objects.select_related("by")),
        )
    )
    return sorted(items, key=lambda i: (PRIORITY_ORDER.get(i.priority, 9), i.due_date or _FAR, i.title))


def summit_themes_for_year(
    *, region: Region, year: int, published_only: bool
) -> list[tuple[Summit, list[Theme]]]:
    summits = Summit.objects.filter(region=region, date__year=year).order_by("date")
    if published_only:
        summits = summits.exclude(state=Summit.State.DRAFT)  # a draft summit is not shown beyond the region
    return [(s, themes_for_summit(summit=s, published_only=published_only)) for s in summits]


# --- Findings and follow-up -------------------------------------------------------------------------------


def findings_for_summit(*, summit: Summit, councils: set[int] | None = None) -> list[SessionFinding]:
    """Findings of the summit (``councils``: only those councils'), with recommendations: two queries."""
    qs = summit.findings.select_related("council").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("pk"))
    )
    if councils is not None:
        qs = qs.filter(council_id__in=councils)
    return list(qs)
