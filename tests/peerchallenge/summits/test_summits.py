"""Summits: pairing through the database, timetable, CSV and .ics, permissions, home page, demo data."""

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from icalendar import Calendar

from councils.models import Council, Region
from peerchallenge import services
from peerchallenge import timetable as tt
from peerchallenge.models import AvoidPair, LessonLearnt, Summit
from peerchallenge.selectors import group_councils, summit_groups
from scorecard.models import Domain
from tests.factories import CouncilFactory, make_summit

LONDON = ZoneInfo("Europe/London")
WM = "E12000005"


def groups_of(summit: Summit) -> list[list[Council]]:
    return [group_councils(g) for g in summit_groups(summit=summit)]


# --- Timetable (pure) -----------------------------------------------------------------------------


def build(groups, rooms=("A", "B", "C")):  # type: ignore[no-untyped-def]
    return tt.build_timetable(
        groups=groups,
        start=dt.datetime(2026, 6, 4, 10, 0, tzinfo=LONDON),
        session_minutes=60,
        break_minutes=15,
        plenary_break_minutes=30,
        plenary_minutes=45,
        rooms=rooms,
        plenary_room="Chamber",
    )


def test_timetable_for_pairs_reverses_roles_after_a_break_then_plenary() -> None:
    timetable = build([["Birmingham", "Coventry"], ["Dudley", "Solihull"]])
    kinds = [(i.kind, i.start.strftime("%H:%M"), i.end.strftime("%H:%M")) for i in timetable.items]
    assert kinds == [
        ("slot", "10:00", "11:00"),
        ("break", "11:00", "11:15"),
        ("slot", "11:15", "12:15"),
        ("break", "12:15", "12:45"),
        ("plenary", "12:45", "13:30"),
    ]
    first, second = timetable.slots
    assert [(s.challenger, s.challenged, s.room) for s in first.sessions] == [
        ("Birmingham", "Coventry", "A"),
        ("Dudley", "Solihull", "B"),
    ]
    assert [(s.challenger, s.challenged) for s in second.sessions] == [
        ("Coventry", "Birmingham"),
        ("Solihull", "Dudley"),
    ]
    assert "roles reversed" in second.title
    assert timetable.items[-1].room == "Chamber"


def test_timetable_gives_a_triad_three_slots_with_an_observer() -> None:
    timetable = build([["A1", "B1"], ["X", "Y", "Z"]], rooms=["Room 1"])
    assert len(timetable.slots) == 3
    third = timetable.slots[2]
    assert [(s.challenger, s.challenged, s.observer) for s in third.sessions] == [("Z", "X", "Y")]
    observers = [s.observer for slot in timetable.slots for s in slot.sessions if s.group == 2]
    assert observers == ["Z", "X", "Y"]
    assert timetable.slots[0].sessions[1].room == "Room to be confirmed"
    roles = [role for _, role, _ in timetable.for_council("A1")]
    assert roles == ["challenging", "all", "challenged", "all", "free", "all", "all"]
    assert [role for _, role, _ in timetable.for_council("Y") if role not in ("all",)] == [
        "challenged",
        "challenging",
        "observing",
    ]


def test_timetable_csv_has_every_session_and_no_formulas() -> None:
    timetable = build([["=Evil()", "Coventry"], ["X", "Y", "Z"]])
    rows = list(csv.reader(io.StringIO(tt.timetable_csv(timetable))))
    assert rows[0] == ["Start", "End", "Item", "Group", "Room", "Challenger", "Challenged", "Observer"]
    sessions = [r for r in rows[1:] if r[2].startswith("Session")]
    assert len(sessions) == 2 + 2 + 1
    assert ["10:00", "11:00", "Session 1", "1", "A", "'=Evil()", "Coventry", ""] in rows
    assert ["10:00", "11:00", "Session 1", "2", "B", "X", "Y", "Z"] in rows
    assert rows[-1][2].startswith("Plenary") and rows[-1][4] == "Chamber"


def test_ics_parses_back_with_utc_times_and_folded_lines() -> None:
    timetable = build(
        [["Birmingham", "Coventry"], ["X", "Y", "Walsall, a council with a long name; really quite long"]]
    )
    body = tt.council_ics(
        timetable=timetable,
        council="Birmingham",
        summit_name="West Midlands summit",
        venue="Council House, Birmingham",
        uid_prefix="s1-b",
        stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert body.endswith("\r\n") and all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    events = [c for c in Calendar.from_ical(body).walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == [
        "Peer challenge: Birmingham challenges Coventry",
        "Peer challenge: Coventry challenges Birmingham",
        "West Midlands summit: plenary",
    ]
    # 4 June is British Summer Time: 10:00 in London is 09:00 UTC.
    assert events[0].decoded("DTSTART") == dt.datetime(2026, 6, 4, 9, 0, tzinfo=dt.UTC)
    assert str(events[0]["LOCATION"]) == "A, Council House, Birmingham"
    assert len({str(e["UID"]) for e in events}) == 3
    observer = tt.council_ics(
        timetable=timetable,
        council="Walsall, a council with a long name; really quite long",
        summit_name="S",
        venue="V",
        uid_prefix="u",
        stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(observer).walk("VEVENT")]
    assert "Peer challenge: observing X challenge Y" in summaries


# --- Pairing a summit -----------------------------------------------------------------------------


def test_fourteen_west_midlands_councils_pair_into_seven_and_thirteen_have_a_triad(
    west_midlands, birmingham
) -> None:
    summit = make_summit(west_midlands)
    result = services.summit_pair(summit=summit)
    assert [len(g) for g in groups_of(summit)] == [2] * 7
    assert result.optimal is True and summit.pairing_optimal is True
    assert [g.room for g in summit_groups(summit=summit)] == [f"Room {i}" for i in range(1, 8)]
    smaller = make_summit(
        west_midlands, councils=west_midlands.councils.exclude(pk=birmingham.pk), name="Thirteen"
    )
    services.summit_pair(summit=smaller)
    assert sorted(len(g) for g in groups_of(smaller)) == [2] * 5 + [3]


def test_past_summits_are_avoided_within_the_look_back(west_midlands) -> None:
    past = make_summit(west_midlands, date=dt.date(2025, 3, 1), name="Last year")
    services.summit_pair(summit=past)
    services.summit_transition(summit=past, to=Summit.State.PUBLISHED)
    services.summit_transition(summit=past, to=Summit.State.HELD, on=past.date)
    before = {frozenset(c.pk for c in g) for g in groups_of(past)}
    summit = make_summit(west_midlands, date=dt.date(2026, 3, 1), lookback_years=2)
    services.summit_pair(summit=summit)
    after = {frozenset(c.pk for c in g) for g in groups_of(summit)}
    assert not before & after
    assert all("not paired before" in g.reasons for g in summit_groups(summit=summit))
    # Outside the look-back the history only explains the group; it no longer forbids a repeat.
    summit.lookback_years = 0
    old_pair = [c.gss_code for c in groups_of(past)[0]]
    assert "not paired since 2025" in services.pairing.explain_group(
        services._summit_problem(summit), old_pair
    )


def test_another_option_differs_and_never_pair_is_kept(west_midlands, birmingham, coventry) -> None:
    summit = make_summit(west_midlands)
    services.avoid_pair_add(summit=summit, first=birmingham, second=coventry, reason="shared DASS")
    services.summit_pair(summit=summit)
    first = {frozenset(c.pk for c in g) for g in groups_of(summit)}
    services.summit_pair(summit=summit, another=True)
    second = {frozenset(c.pk for c in g) for g in groups_of(summit)}
    services.summit_pair(summit=summit, another=True)
    third = {frozenset(c.pk for c in g) for g in groups_of(summit)}
    assert len({frozenset(first), frozenset(second), frozenset(third)}) == 3
    for grouping in (first, second, third):
        assert not any({birmingham.pk, coventry.pk} <= g for g in grouping)


def test_swaps_are_checked_and_publishing_needs_a_valid_grouping(west_midlands, birmingham, coventry) -> None:
    summit = make_summit(west_midlands, rooms=3)
    services.summit_pair(summit=summit)
    with pytest.raises(services.SummitError, match="7 groups but 3 rooms"):
        services.summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    summit.rooms = "\n".join(f"Room {i}" for i in range(1, 8))
    summit.save()
    partner = next(g for g in groups_of(summit) if birmingham in g)
    partner = next(c for c in partner if c != birmingham)
    other = next(c for g in groups_of(summit) if birmingham not in g for c in g)
    # Make (birmingham, other) forbidden: swapping partner and other would put them together.
    services.avoid_pair_add(summit=summit, first=birmingham, second=other)
    with pytest.raises(services.SummitError, match=r"Swap refused: .*must never be paired"):
        services.summit_swap(summit=summit, first=partner, second=other)
    assert partner in next(g for g in groups_of(summit) if birmingham in g)  # nothing changed
    AvoidPair.objects.all().delete()
    services.summit_swap(summit=summit, first=partner, second=other)
    group = next(g for g in summit_groups(summit=summit) if birmingham in group_councils(g))
    assert other in group_councils(group) and group.reasons.startswith("Changed by hand.")
    assert services.summit_problems(summit=summit) == []
    summit.participants.remove(coventry)
    assert any("is in a group but does not take part" in p for p in services.summit_problems(summit=summit))


def test_state_machine(west_midlands) -> None:
    summit = make_summit(west_midlands)
    with pytest.raises(services.SummitError, match="not been paired"):
        services.summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    with pytest.raises(services.SummitError, match="cannot become held"):
        services.summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    services.summit_pair(summit=summit)
    for state in (Summit.State.PUBLISHED, Summit.State.HELD, Summit.State.CLOSED):
        services.summit_transition(summit=summit, to=state, on=summit.date)
    with pytest.raises(services.SummitError, match="re-paired"):
        services.summit_pair(summit=summit)


def test_impossible_pairing_is_explained(west_midlands, birmingham) -> None:
    summit = make_summit(west_midlands, councils=list(west_midlands.councils.order_by("name")[:4]))
    a, b, c, d = list(summit.participants.order_by("name"))
    for x in (b, c, d):
        services.avoid_pair_add(summit=summit, first=a, second=x)
    with pytest.raises(services.SummitError, match=f"{a.name} must never be paired with any other council"):
        services.summit_pair(summit=summit)


# --- Command line -----------------------------------------------------------------------------------


def test_pair_councils_command_prints_json(db, capsys) -> None:
    codes = ["E08000025", "E08000026", "E08000027", "E08000028", "E08000029"]
    call_command(
        "pair_councils",
        *codes,
        "--avoid",
        "E08000025:E08000026",
        "--recent",
        "E08000027:E08000028",
        "--seed",
        "4",
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"groups", "optimal"} and data["optimal"] is True
    assert sorted(len(g["councils"]) for g in data["groups"]) == [2, 3]
    assert sorted(s["challenger"] for g in data["groups"] for s in g["sessions"]) == sorted(codes)
    for g in data["groups"]:
        assert not {"E08000025", "E08000026"} <= set(g["councils"])
        assert g["reasons"]
    assert any("Birmingham" in g["reasons"] for g in data["groups"])  # known councils are named


def test_pair_councils_command_fails_with_the_reason(db) -> None:
    birmingham, others = "E08000025", ["E08000026", "E08000027", "E08000028"]
    with pytest.raises(CommandError, match="Birmingham must never be paired"):
        call_command(
            "pair_councils",
            birmingham,
            *others,
            *[f"--avoid={birmingham}:{other}" for other in others],
            "--json",
        )
    with pytest.raises(CommandError, match="is not a pair"):
        call_command("pair_councils", birmingham, others[0], "--avoid", "AB")


def test_pair_councils_command_refuses_an_unknown_code_by_name(db) -> None:
    with pytest.raises(CommandError, match=r"^E99999999 is not the GSS code of a council loaded here"):
        call_command("pair_councils", "E08000025", "E08000026", "E99999999")
    with pytest.raises(CommandError, match=r"^E99999998, E99999999 are not the GSS codes"):
        call_command("pair_councils", "E99999999", "E08000026", "E99999998")


# --- Pages and permissions ----------------------------------------------------------------------------


@pytest.fixture
def published(west_midlands):  # type: ignore[no-untyped-def]
    summit = make_summit(west_midlands, date=dt.date.today() + dt.timedelta(days=30))
    services.summit_pair(summit=summit)
    services.summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    return summit


@pytest.fixture
def draft(west_midlands):  # type: ignore[no-untyped-def]
    summit = make_summit(west_midlands, name="Draft summit", date=dt.date.today() + dt.timedelta(days=60))
    services.summit_pair(summit=summit)
    return summit


def client_of(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_participants_see_only_published_summits_of_their_council(
    client_for, published, draft, dass, birmingham
) -> None:
    client = client_for("dass")
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    listing = client.get("/summits/").content.decode()
    assert published.name in listing and draft.name not in listing
    assert client.get(f"/summits/{published.pk}/timetable/").status_code == 200
    assert client.get(f"/summits/{published.pk}/councils/{birmingham.gss_code}.ics").status_code == 200
    # Not a participant: Birmingham left out of a published summit.
    published.participants.remove(birmingham)
    assert client.get(published.get_absolute_url()).status_code == 404
    assert client.get(f"/summits/{published.pk}/timetable.csv").status_code == 404


def test_only_the_regions_coordinator_edits(
    client_for, published, draft, other_region_coordinator, birmingham, coventry
) -> None:
    lead, dass = client_for("sli_lead"), client_for("dass")
    assert lead.get(draft.get_absolute_url()).status_code == 200  # the region's SLI lead may look
    for client in (lead, dass):
        assert client.post(f"/summits/{published.pk}/state/", {"to": "draft"}).status_code == 403
        assert client.post(f"/summits/{draft.pk}/pair/").status_code in (403, 404)
    other = client_of(other_region_coordinator)
    for url in (
        f"/summits/{draft.pk}/",
        f"/summits/{published.pk}/",
        f"/summits/{published.pk}/timetable/",
        f"/summits/{published.pk}/timetable.csv",
    ):
        assert other.get(url).status_code == 404
    assert other.post(f"/summits/{draft.pk}/pair/").status_code == 404
    assert published.name not in other.get("/summits/").content.decode()
    coordinator = client_for("coordinator")
    assert coordinator.get(f"/summits/{draft.pk}/pair/").status_code == 405  # POST only
    response = coordinator.post(f"/summits/{draft.pk}/pair/", {"another": "1"}, follow=True)
    assert "Councils paired in 7 groups" in response.content.decode()
    response = coordinator.post(
        f"/summits/{draft.pk}/swap/", {"first": birmingham.pk, "second": birmingham.pk}
    )
    assert (
        response.status_code == 400 and "Choose a different council to swap with" in response.content.decode()
    )
    response = coordinator.post(
        f"/summits/{draft.pk}/swap/", {"first": birmingham.pk, "second": coventry.pk}, follow=True
    )
    assert f"Swapped {birmingham} and {coventry}" in response.content.decode()
    response = coordinator.post(f"/summits/{draft.pk}/state/", {"to": "published"}, follow=True)
    assert "The summit is published" in response.content.decode()
    assert coordinator.post(f"/summits/{draft.pk}/state/", {"to": "nonsense"}, follow=True).status_code == 200


def _next_weekday(after: dt.date, weekday: int) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday()) % 7 or 7)


def test_coordinator_plans_a_summit_with_clear_errors(client_for, west_midlands) -> None:
    from tests.selfassessment_helpers import make_cycle

    client = client_for("coordinator")
    today = dt.date.today()
    closed = make_cycle(slug="last-years", closes_on=today - dt.timedelta(days=300))
    closed.state = "closed"
    closed.save()
    cycle = make_cycle(slug="open-cycle", closes_on=today + dt.timedelta(days=30))
    make_summit(west_midlands, name="Last year's summit", date=dt.date(2025, 11, 20), rooms=3)
    page = client.get("/summits/new/")
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert len(initial["participants"]) == 14  # all of the region's by default
    assert initial["cycle"] == cycle.pk  # the region's open cycle, not "none"
    assert initial["venue"] == "Council House" and initial["rooms"] == "Room 1\nRoom 2\nRoom 3"
    response = client.post("/summits/new/", {"region": west_midlands.pk, "name": "", "date": "2026-02-30"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Enter a real date" in body and "Enter the venue" in body
    assert "Enter the summit&#x27;s name" not in body  # a blank name is made from the region and date
    saturday = _next_weekday(today, 5)
    for day, error in (
        (today - dt.timedelta(days=1), "The summit&#x27;s date must be today or in the future"),
        (saturday, f"{saturday:%A} {saturday.day} {saturday:%B %Y} is a weekend: choose a weekday"),
    ):
        response = client.post("/summits/new/", {"region": west_midlands.pk, "date": day.isoformat()})
        assert error in response.content.decode()
    thursday = _next_weekday(today, 3)
    data = {
        "region": west_midlands.pk,
        "name": "",
        "date": thursday.isoformat(),
        "venue": "Wolverhampton",
        "cycle": cycle.pk,
        "start_time": "09:30",
        "session_minutes": 60,
        "break_minutes": 15,
        "plenary_break_minutes": 30,
        "plenary_minutes": 60,
        "rooms": "Room 1\nRoom 2",
        "lookback_years": 3,
        "seed": 1,
        "participants": list(west_midlands.councils.values_list("pk", flat=True)[:4]),
    }
    response = client.post("/summits/new/", data)
    summit = Summit.objects.get(name=f"West Midlands peer challenge summit, {thursday:%B %Y}")
    assert response.status_code == 302 and summit.participants.count() == 4 and summit.cycle == cycle
    # Editing keeps a date that has since passed, unchanged; a changed one is checked again.
    Summit.objects.filter(pk=summit.pk).update(date=today - dt.timedelta(days=3))
    edit = {**data, "name": "Renamed", "date": (today - dt.timedelta(days=3)).isoformat()}
    assert client.post(f"/summits/{summit.pk}/edit/", edit).status_code == 302
    edit["date"] = saturday.isoformat()
    assert "is a weekend" in client.post(f"/summits/{summit.pk}/edit/", edit).content.decode()
    assert client_for("dass").get("/summits/new/").status_code == 403
    outside = CouncilFactory(region=Region.objects.get(gss_code="E12000004"))
    response = client.post("/summits/new/", {**data, "participants": [outside.pk]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_home_page_tells_a_dass_whom_they_challenge(client_for, published, draft, birmingham) -> None:
    group = next(g for g in groups_of(published) if birmingham in g)
    partner = next(c for c in group if c != birmingham)
    body = client_for("dass").get("/").content.decode()
    assert f"Birmingham challenges <strong>{partner}</strong>" in body
    assert f"is challenged by <strong>{partner}</strong>" in body
    assert draft.name not in body
    assert "Room " in body and published.venue in body
    assert (
        f"Birmingham challenges <strong>{partner}</strong>"
        in client_for("delegate").get("/").content.decode()
    )
    coventry_home = client_for("other_dass").get("/").content.decode()
    assert "Coventry challenges <strong>" in coventry_home and "Birmingham challenges" not in coventry_home


def test_published_summits_are_edited_only_after_going_back_to_draft(client_for, published) -> None:
    client = client_for("coordinator")
    response = client.get(f"/summits/{published.pk}/edit/", follow=True)
    assert "Only a draft summit can be edited" in response.content.decode()
    client.post(f"/summits/{published.pk}/state/", {"to": "draft"})
    assert client.get(f"/summits/{published.pk}/edit/").status_code == 200


def test_pages_query_counts_are_bounded(client_for, published, django_assert_max_num_queries) -> None:
    client = client_for("coordinator")
    with django_assert_max_num_queries(20):
        assert client.get(published.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/summits/{published.pk}/timetable/").status_code == 200
    dass = client_for("dass")
    with django_assert_max_num_queries(12):
        assert dass.get("/").status_code == 200


def test_timetable_page_csv_and_ics_over_http(client_for, published, birmingham) -> None:
    client = client_for("coordinator")
    page = client.get(f"/summits/{published.pk}/timetable/").content.decode()
    assert "app-printable" in page and "Session 2 (roles reversed)" in page and "Plenary" in page
    assert 'style="' not in page
    response = client.get(f"/summits/{published.pk}/timetable.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len([r for r in rows if r[2].startswith("Session")]) == 14
    ics = client.get(f"/summits/{published.pk}/councils/{birmingham.gss_code}.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(ics.content).walk("VEVENT"))
    assert len(events) == 3 and any("Birmingham challenges" in str(e["SUMMARY"]) for e in events)
    assert client.get(f"/summits/{published.pk}/councils/E06000001.ics").status_code == 404


# --- Lessons learnt and demo data -------------------------------------------------------------------


def test_lessons_learnt_filter_by_domain_and_year(
    client_for, west_midlands, birmingham, coventry, other_region_coordinator
) -> None:
    governance = Domain.objects.order_by("position").first()
    other_domain = Domain.objects.exclude(pk=governance.pk).first()
    LessonLearnt.objects.create(
        region=west_midlands,
        date=dt.date(2014, 3, 1),
        host=birmingham,
        challenger=coventry,
        domain=governance,
        key_findings="Strong leadership",
    )
    LessonLearnt.objects.create(
        region=west_midlands,
        date=dt.date(2025, 3, 1),
        host=coventry,
        challenger=birmingham,
        domain=other_domain,
        key_findings="Market shaping weak",
    )
    client = client_for("dass")
    body = client.get("/lessons/").content.decode()
    assert "Strong leadership" in body and "Market shaping weak" in body
    body = client.get(f"/lessons/?domain={governance.pk}").content.decode()
    assert "Strong leadership" in body and "Market shaping weak" not in body
    body = client.get("/lessons/?year=2025").content.decode()
    assert "Strong leadership" not in body and "Market shaping weak" in body
    assert client.get("/lessons/?year=banana").status_code == 400
    assert "Strong leadership" not in client_of(other_region_coordinator).get("/lessons/").content.decode()
    assert client.get("/lessons/new/").status_code == 403
    coordinator = client_for("coordinator")
    response = coordinator.post(
        "/lessons/new/",
        {
            "region": west_midlands.pk,
            "date": "2024-05-01",
            "host": birmingham.pk,
            "challenger": birmingham.pk,
            "key_findings": "x",
        },
    )
    assert response.status_code == 200 and "A council cannot challenge itself" in response.content.decode()
    response = coordinator.post(
        "/lessons/new/",
        {
            "region": west_midlands.pk,
            "date": "2024-05-01",
            "host": birmingham.pk,
            "challenger": coventry.pk,
            "key_findings": "Good data use",
        },
    )
    assert response.status_code == 302 and LessonLearnt.objects.filter(key_findings="Good data use").exists()


def test_seed_demo_summits_past_and_upcoming(db, settings, client) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo_summits")
    settings.DEMO_MODE = True
    call_command("seed_demo")
    call_command("seed_demo_summits")
    call_command("seed_demo_summits")  # idempotent
    summits = list(Summit.objects.filter(is_demo=True).order_by("date"))
    assert [s.state for s in summits] == [Summit.State.HELD, Summit.State.PUBLISHED]
    assert summits[0].date < dt.date.today() < summits[1].date
    # Each on a six-domain cycle: the demo cycle on CQC's statements is no summit's.
    assert [s.cycle.slug for s in summits] == ["2025-26-peer-challenge", "2026-27-peer-challenge"]
    assert all(len(groups_of(s)) == 7 for s in summits)
    past_pairs = {frozenset(c.pk for c in g) for g in groups_of(summits[0])}
    assert not past_pairs & {frozenset(c.pk for c in g) for g in groups_of(summits[1])}
    assert LessonLearnt.objects.filter(is_demo=True).count() == 7
    assert client.login(username="dass.birmingham", password="demo-password-2026")
    body = client.get("/").content.decode()
    assert "Birmingham challenges <strong>" in body
    reasons = " ".join(g.reasons for g in summit_groups(summit=summits[1]))
    assert "'s figures are mostly " in reasons and "not paired before" in reasons
