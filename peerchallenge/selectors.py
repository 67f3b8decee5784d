"""Reads for summits, pairings, timetables and lessons learnt (constant queries per page)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet

from councils.models import Council, Membership, Region
from councils.rules import is_admin, user_memberships
from peerchallenge import pairing
from peerchallenge import timetable as tt
from peerchallenge.models import GroupMember, LessonLearnt, Summit, SummitChange, SummitGroup
from peerchallenge.packs.models import QuestionSet
from scorecard import scoring
from scorecard.assurance.selectors import cqc_latest_by_council
from scorecard.models import Domain, Period
from scorecard.periods import council_figure_counts, periods_with_council_figures
from scorecard.scorecards.selectors import region_overview
from selfassessment.selectors import self_ratings_for_cycle

LONDON = ZoneInfo("Europe/London")
RAG_SCORE = {scoring.RAG.GREEN: 1.0, scoring.RAG.AMBER: 0.0, scoring.RAG.RED: -1.0}


def summits_for_user(*, user) -> QuerySet[Summit]:  # type: ignore[no-untyped-def]
    """Summits the user may see: admins all; regional roles their region's; DASSs/delegates published ones."""
    qs = Summit.objects.select_related("region")
    if is_admin(user):
        return qs
    memberships = user_memberships(user)
    region_ids = [m.region_id for m in memberships if m.role in Membership.REGION_ROLES]
    council_ids = [m.council_id for m in memberships if m.role in Membership.COUNCIL_ROLES]
    return qs.filter(
        Q(region_id__in=region_ids)
        | Q(participants__in=council_ids, state__in=Summit.VISIBLE_TO_PARTICIPANTS)
    ).distinct()


def summit_groups(*, summit: Summit) -> list[SummitGroup]:
    """Groups with their members (councils) in rotation order: two queries."""
    members = Prefetch(
        "members", queryset=GroupMember.objects.select_related("council__region").order_by("position")
    )
    return list(summit.groups.prefetch_related(members).order_by("position"))


def group_councils(group: SummitGroup) -> list[Council]:
    return [m.council for m in group.members.all()]


def summit_problems(*, summit: Summit) -> list[str]:
    """What stops the summit being published: grouping checks, hard constraints and room count."""
    groups = summit_groups(summit=summit)
    if not groups:
        return ["The councils have not been paired yet."]
    participants = list(summit.participants.all())
    names = {c.gss_code: c.name for c in participants}
    for g in groups:
        for c in group_councils(g):
            names.setdefault(c.gss_code, c.name)
    avoid = [
        (a.council_a.gss_code, a.council_b.gss_code)
        for a in summit.avoid_pairs.select_related("council_a", "council_b")
    ]
    problems = pairing.check_grouping(
        [[c.gss_code for c in group_councils(g)] for g in groups],
        codes=[c.gss_code for c in participants],
        avoid=avoid,
        names=names,
    )
    rooms = summit.room_list
    if len(rooms) < len(groups):
        problems.append(
            f"There are {len(groups)} groups but {len(rooms)} room{'s' if len(rooms) != 1 else ''}: add a room per group."
        )
    return problems


def group_sessions(councils: list[Council]) -> list[tuple[Council, Council, Council | None]]:
    """(challenger, challenged, observer) in running order: A→B, B→A for a pair; A→B, B→C, C→A for a triad."""
    n = len(councils)
    return [(councils[i], councils[(i + 1) % n], councils[(i + 2) % n] if n == 3 else None) for i in range(n)]


def summit_timetable(*, summit: Summit, groups: list[SummitGroup] | None = None) -> tt.Timetable:
    groups = summit_groups(summit=summit) if groups is None else groups
    start = dt.datetime.combine(summit.date, summit.start_time, tzinfo=LONDON)
    rooms = [g.room or "Room to be confirmed" for g in groups]
    return tt.build_timetable(
        groups=[[c.name for c in group_councils(g)] for g in groups],
        start=start,
        session_minutes=summit.session_minutes,
        break_minutes=summit.break_minutes,
        plenary_break_minutes=summit.plenary_break_minutes,
        plenary_minutes=summit.plenary_minutes,
        rooms=rooms,
        plenary_room=summit.plenary_room,
    )


def pair_history(
    *, region: Region | None, before: dt.date, exclude_summit: Summit | None = None
) -> dict[frozenset[str], int]:
    """GSS pair → the year its two councils were last in one group at the region's earlier summits."""
    if region is None:
        return {}
    qs = GroupMember.objects.filter(
        group__summit__region=region,
        group__summit__date__lt=before,
        group__summit__state__in=Summit.VISIBLE_TO_PARTICIPANTS,
    )
    if exclude_summit is not None:
        qs = qs.exclude(group__summit=exclude_summit)
    by_group: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for group_id, code, date in qs.values_list("group_id", "council__gss_code", "group__summit__date"):
        by_group[group_id].append((code, date.year))
    last: dict[frozenset[str], int] = {}
    for members in by_group.values():
        for (a, year), (b, _) in itertools.combinations(members, 2):
            key = frozenset((a, b))
            last[key] = max(last.get(key, 0), year)
    return last


def domain_scores(*, councils: Iterable[Council]) -> tuple[dict[str, dict[str, float]], bool]:
    """GSS code → domain name → score in [-1, 1] (mean of RAG: green 1, amber 0, red -1) in the latest year.

    One regional overview per region involved (usually one), not one scorecard per council. Returns the
    scores and whether any figure behind them is synthetic demo data.
    """
    by_region: dict[int, list[Council]] = defaultdict(list)
    regions: dict[int, Region] = {}
    for council in councils:
        if council.region_id is not None and council.region is not None:
            by_region[council.region_id].append(council)
            regions[council.region_id] = council.region
    scores: dict[str, dict[str, float]] = {}
    demo = False
    for region_id, members in by_region.items():
        overview = region_overview(region=regions[region_id])
        demo = demo or overview.data_is_demo
        names = {d.pk: d.name for d in overview.domains}
        wanted = {c.gss_code for c in members}
        for row in overview.rows:
            if row.council.gss_code not in wanted:
                continue
            totals: dict[str, list[float]] = defaultdict(list)
            for cell in row.cells:
                if cell.rag is not None and cell.measure.domain_id in names:
                    totals[names[cell.measure.domain_id]].append(RAG_SCORE[cell.rag])
            scores[row.council.gss_code] = {d: sum(v) / len(v) for d, v in totals.items() if v}
    return scores, demo


def cqc_scores(*, councils: Iterable[Council]) -> tuple[dict[str, tuple[int, ...]], bool]:
    """GSS code → CQC's latest scores of the nine quality statements (CQC's order), for the councils CQC has
    assessed (one query); and whether any of them are synthetic demo scores."""
    latest = cqc_latest_by_council(councils=list(councils))
    codes = {council.pk: council.gss_code for council in councils}
    scores = {codes[pk]: assessment.scores for pk, assessment in latest.items() if pk in codes}
    return scores, any(assessment.is_demo for assessment in latest.values())


def summit_self_ratings(*, summit: Summit) -> dict[str, dict[str, object]]:
    """GSS code → domain name → submitted self-rating in the summit's self-assessment cycle (``{}`` without one).

    Keyed by domain name, as :func:`domain_scores` is, so the pairing can set the two side by side.
    """
    if summit.cycle_id is None or summit.cycle is None:
        return {}
    names = dict(Domain.objects.values_list("slug", "name"))
    return {
        code: {names.get(slug, slug): rating for slug, rating in ratings.items()}
        for code, ratings in self_ratings_for_cycle(cycle=summit.cycle).items()
    }


@dataclass
class HomeSummit:
    summit: Summit
    council: Council
    challenges: list[Council]
    challenged_by: list[Council]
    rows: list[tuple[tt.Item, str, tt.Session | None]]
    # The question set the council prepares for each council it challenges: (challenged, questions, top five
    # marked), ``questions`` None when it is not started yet.
    question_sets: list[tuple[Council, int | None, int]] = field(default_factory=list)

    @property
    def session(self) -> tuple[tt.Item, tt.Session] | None:
        """The session in which the council challenges (its time and room)."""
        return next(((item, s) for item, role, s in self.rows if role == "challenging" and s), None)


def home_summits_for_user(*, user, today: dt.date | None = None) -> list[HomeSummit]:  # type: ignore[no-untyped-def]
    """For a DASS or delegate: published summits (upcoming, then the latest past) their council is in."""
    today = today or dt.date.today()
    councils = {m.council_id: m.council for m in user_memberships(user) if m.role in Membership.COUNCIL_ROLES}
    if not councils:
        return []
    summits = list(
        Summit.objects.filter(participants__in=councils, state=Summit.State.PUBLISHED, date__gte=today)
        .select_related("region")
        .distinct()
        .order_by("date")[:3]
    )
    result: list[HomeSummit] = []
    for summit in summits:
        groups = summit_groups(summit=summit)
        timetable = summit_timetable(summit=summit, groups=groups)
        for group in groups:
            members = group_councils(group)
            for i, council in enumerate(members):
                if council.pk not in councils:
                    continue
                n = len(members)
                result.append(
                    HomeSummit(
                        summit=summit,
                        council=council,
                        challenges=[members[(i + 1) % n]],
                        challenged_by=[members[(i - 1) % n]],
                        rows=timetable.for_council(council.name),
                    )
                )
    _attach_question_sets(result)
    return result


def _attach_question_sets(entries: list[HomeSummit]) -> None:
    """Each entry's question sets: how many questions, how many marked top five (one query)."""
    if not entries:
        return
    found = {
        (q.summit_id, q.challenger_id, q.challenged_id): (q.questions_count, q.top_count)
        for q in QuestionSet.objects.filter(summit__in={e.summit.pk for e in entries}).annotate(
            questions_count=Count("questions"), top_count=Count("questions", filter=Q(questions__is_top=True))
        )
    }
    for entry in entries:
        for challenged in entry.challenges:
            questions, top = found.get((entry.summit.pk, entry.council.pk, challenged.pk), (None, 0))
            entry.question_sets.append((challenged, questions, top))


def summit_changes_since(*, region: Region, since: dt.datetime) -> list[SummitChange]:
    """The region's summits' changes of state after ``since``, newest first."""
    return list(
        SummitChange.objects.filter(summit__region=region, at__gt=since)
        .select_related("summit", "by")
        .order_by("-at")[:10]
    )


def lessons_for(*, regions: Iterable[Region] | None, domain: Domain | None = None, year: int | None = None):  # type: ignore[no-untyped-def]
    qs = LessonLearnt.objects.select_related("host", "challenger", "domain", "region", "summit")
    if regions is not None:
        qs = qs.filter(region__in=list(regions))
    if domain is not None:
        qs = qs.filter(domain=domain)
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("-date", "host__name")


def lesson_years(*, regions: Iterable[Region] | None) -> list[int]:
    qs = LessonLearnt.objects.all()
    if regions is not None:
        qs = qs.filter(region__in=list(regions))
    return sorted({d.year for d in qs.values_list("date", flat=True)}, reverse=True)


def regions_for_user(*, user) -> list[Region] | None:  # type: ignore[no-untyped-def]
    """Regions whose lessons the user may read (None: all, for admins)."""
    if is_admin(user):
        return None
    ids = set()
    for m in user_memberships(user):
        if m.region_id:
            ids.add(m.region_id)
        elif m.council is not None and m.council.region_id:
            ids.add(m.council.region_id)
    return list(Region.objects.filter(pk__in=ids))


# --- The period a summit's packs are about ---------------------------------------------------------------


def summit_period(*, summit: Summit) -> Period | None:
    """The year of the figures in the summit's packs: the one the coordinator chose; for a summit planned
    before there was a choice, its self-assessment cycle's year when any council has figures for it, else
    the latest year with figures (a pack is never about a year with none when another has them)."""
    if summit.period_id is not None:
        return summit.period
    with_figures = periods_with_council_figures()
    if summit.cycle is not None and summit.cycle.period in with_figures:
        return summit.cycle.period
    return with_figures[0] if with_figures else None


@dataclass(frozen=True)
class PeriodGaps:
    """What packs for ``period`` will lack: councils with no figure for it, and whether the self-assessment
    cycle's own year has no figures (self-ratings cannot be set beside the data)."""

    period: Period | None
    councils: list[Council]
    cycle_period: Period | None = None  # set when the cycle's year has no figures

    def __bool__(self) -> bool:
        return bool(self.councils) or self.cycle_period is not None

    @property
    def lines(self) -> list[str]:
        label = self.period.label if self.period else "the chosen year"
        lines = [f"{c.name}: no figures for {label}, so its pack will show none." for c in self.councils]
        if self.cycle_period is not None:
            lines.append(
                f"The self-assessments are for {self.cycle_period.label}, which has no figures: the packs "
                "cannot show where a self-rating and the data disagree."
            )
        return lines


def period_gaps(
    *, period: Period | None, councils: Iterable[Council], cycle_period: Period | None = None
) -> PeriodGaps:
    """What packs on ``councils`` for ``period`` will lack (see :class:`PeriodGaps`)."""
    councils = list(councils)
    counts = council_figure_counts(period=period, council_ids=[c.pk for c in councils]) if period else {}
    missing = sorted((c for c in councils if not counts.get(c.pk)), key=lambda c: c.name)
    cycle_gap = None
    if cycle_period is not None and cycle_period not in periods_with_council_figures():
        cycle_gap = cycle_period
    return PeriodGaps(period=period, councils=missing, cycle_period=cycle_gap)
