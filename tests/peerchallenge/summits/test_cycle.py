"""The cycle that leads its users: the coordinator's checklist, guarded changes of a summit's state (asked
first, never before the day, reopened with a reason kept in history), the bulk actions, and the home pages
of each role."""

import datetime as dt

import pytest

from councils.models import Council
from peerchallenge import progress, services
from peerchallenge.models import Summit, SummitChange, Theme
from peerchallenge.packs.models import Question
from peerchallenge.packs.services import question_set_get_or_create
from peerchallenge.selectors import group_councils, summit_groups
from peerchallenge.themes import services as theme_services
from peerchallenge.themes.models import SessionFinding, WorkItem
from tests.factories import make_summit
from tests.selfassessment_helpers import make_cycle, submitted

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL = "E08000025", "E08000026", "E08000027", "E08000028"
DAY = dt.date(2030, 3, 14)  # a Thursday


@pytest.fixture
def summit(west_midlands):
    """A published summit of four councils, on DAY."""
    councils = list(Council.objects.filter(gss_code__in=[BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL]))
    summit = make_summit(west_midlands, councils=councils, date=DAY, rooms=2)
    services.summit_pair(summit=summit)
    services.summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    return summit


def _on(monkeypatch, day: dt.date) -> None:
    """Move the service's clock (the one every guard reads) to ``day``."""
    monkeypatch.setattr(progress, "today", lambda: day)


# --- Guards -----------------------------------------------------------------------------------------------


def test_a_summit_is_not_held_or_closed_before_its_day(summit, client_for, monkeypatch) -> None:
    _on(monkeypatch, DAY - dt.timedelta(days=1))
    with pytest.raises(services.SummitError, match="Thursday 14 March 2030: it can be marked as held from"):
        services.summit_transition(summit=summit, to=Summit.State.HELD)
    client = client_for("coordinator")
    page = client.get(f"/summits/{summit.pk}/state/held/")
    assert page.status_code == 200 and "You cannot do this yet" in page.content.decode()
    assert "Mark as held</button>" not in page.content.decode()
    assert client.post(f"/summits/{summit.pk}/state/held/").status_code == 400
    summit.refresh_from_db()
    assert summit.state == Summit.State.PUBLISHED
    # Held on the day; closing early is refused the same way (a held summit dated later, as seen in use).
    _on(monkeypatch, DAY)
    services.summit_transition(summit=summit, to=Summit.State.HELD)
    Summit.objects.filter(pk=summit.pk).update(date=DAY + dt.timedelta(days=300))
    summit.refresh_from_db()
    with pytest.raises(services.SummitError, match="it can be closed from that day"):
        services.summit_transition(summit=summit, to=Summit.State.CLOSED)


def test_hold_and_close_are_asked_first_and_say_what_changes_and_what_is_missing(
    summit, client_for, coordinator, monkeypatch
) -> None:
    _on(monkeypatch, DAY)
    client = client_for("coordinator")
    # The old one-click form now only leads to the question.
    response = client.post(f"/summits/{summit.pk}/state/", {"to": "held"})
    assert response["Location"] == f"/summits/{summit.pk}/state/held/"
    summit.refresh_from_db()
    assert summit.state == Summit.State.PUBLISHED
    page = client.get(response["Location"]).content.decode()
    assert "Each challenged council can read the questions asked of it." in page
    assert "did not start a question set" in page and "packs have not all been built" in page
    assert client.post(f"/summits/{summit.pk}/state/held/").status_code == 302
    summit.refresh_from_db()
    assert summit.state == Summit.State.HELD

    theme_services.themes_create_many(summit=summit, titles=["Workforce", "Discharge"], by=coordinator)
    check = progress.state_change_check(summit=summit, to=Summit.State.CLOSED)
    assert check.allowed
    assert "2 themes are not published: the region's directors cannot read them yet." in check.missing
    assert "4 councils have no findings: Birmingham, Coventry, Dudley, Sandwell." in check.missing
    assert "None of the summit's themes is in the region's work programme." in check.missing
    page = client.get(f"/summits/{summit.pk}/state/closed/").content.decode()
    assert "Still missing" in page and "2 themes are not published" in page
    assert client.post(f"/summits/{summit.pk}/state/closed/").status_code == 302
    summit.refresh_from_db()
    assert summit.state == Summit.State.CLOSED
    changes = list(SummitChange.objects.filter(summit=summit).order_by("at", "pk"))
    assert [(c.from_state, c.to_state, c.by) for c in changes] == [
        ("draft", "published", None),
        ("published", "held", coordinator),
        ("held", "closed", coordinator),
    ]


def test_a_held_or_closed_summit_is_reopened_with_a_reason_kept_in_its_history(
    summit, client_for, coordinator, monkeypatch
) -> None:
    _on(monkeypatch, DAY)
    services.summit_transition(summit=summit, to=Summit.State.HELD, by=coordinator)
    services.summit_transition(summit=summit, to=Summit.State.CLOSED, by=coordinator)
    client = client_for("coordinator")
    assert "Reopen the summit" in client.get(f"/summits/{summit.pk}/").content.decode()
    response = client.post(f"/summits/{summit.pk}/state/held/", {"reason": "  "})
    assert (
        response.status_code == 400
        and "Enter the reason for reopening the summit" in response.content.decode()
    )
    with pytest.raises(services.SummitError, match="reason"):
        services.summit_transition(summit=summit, to=Summit.State.HELD)
    response = client.post(f"/summits/{summit.pk}/state/held/", {"reason": "Two themes were missed"})
    assert response.status_code == 302
    summit.refresh_from_db()
    assert summit.state == Summit.State.HELD
    change = SummitChange.objects.filter(summit=summit).order_by("-at", "-pk").first()
    assert (change.from_state, change.to_state, change.reason, change.by) == (
        "closed",
        "held",
        "Two themes were missed",
        coordinator,
    )
    assert change.is_reopening
    page = client.get(f"/summits/{summit.pk}/").content.decode()
    assert "Reopened: Closed to held" in page and "Two themes were missed" in page
    # Held back to published (before the day): the question sets can be changed again.
    client.post(f"/summits/{summit.pk}/state/published/", {"reason": "The day moved"})
    summit.refresh_from_db()
    assert summit.state == Summit.State.PUBLISHED
    # Only the region's coordinator (or an admin) may do any of it.
    for persona in ("sli_lead", "dass"):
        assert client_for(persona).post(f"/summits/{summit.pk}/state/held/").status_code in (403, 404)


def test_themes_can_still_be_published_once_the_summit_is_closed(
    summit, client_for, coordinator, monkeypatch
):
    _on(monkeypatch, DAY)
    services.summit_transition(summit=summit, to=Summit.State.HELD)
    theme_services.themes_create_many(summit=summit, titles=["Workforce"], by=coordinator)
    services.summit_transition(summit=summit, to=Summit.State.CLOSED)
    client = client_for("coordinator")
    page = client.get(f"/summits/{summit.pk}/themes/").content.decode()
    assert "Publish 1 theme to the region's councils" in page
    assert client.post(f"/summits/{summit.pk}/themes/publish/").status_code == 302
    assert Theme.objects.get(summit=summit).is_published


# --- The checklist ----------------------------------------------------------------------------------------


def _statuses(checklist) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {s.key: ("next" if s.is_next else s.status) for s in checklist.steps}


def test_the_checklist_follows_the_cycle_and_offers_the_one_action_that_does_each_step(
    west_midlands, coordinator, monkeypatch
) -> None:
    cycle = make_cycle()
    none_yet = progress.summit_checklist(region=west_midlands, summit=None)
    assert _statuses(none_yet)["cycle"] == "done"
    assert none_yet.next_step.key == "returns"  # nobody has returned a self-assessment yet
    assert none_yet.next_step.action.label == "See the returns"
    for council in Council.objects.filter(region=west_midlands).exclude(status=Council.Status.FORMER):
        submitted(cycle=cycle, council=council)
    assert progress.summit_checklist(region=west_midlands, summit=None).next_step.key == "planned"

    councils = list(Council.objects.filter(gss_code__in=[BIRMINGHAM, COVENTRY]))
    summit = make_summit(west_midlands, councils=councils, date=DAY, rooms=1, cycle=cycle)
    steps = _statuses(progress.summit_checklist(region=west_midlands, summit=summit))
    assert steps["planned"] == "done" and steps["paired"] == "next" and steps["held"] == "waiting"
    services.summit_pair(summit=summit)
    checklist = progress.summit_checklist(region=west_midlands, summit=summit)
    assert checklist.next_step.key == "published" and checklist.next_step.action.post
    services.summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    _on(monkeypatch, DAY - dt.timedelta(days=1))
    steps = progress.summit_checklist(region=west_midlands, summit=summit)
    assert steps.next_step.key == "packs"
    held = next(s for s in steps.steps if s.key == "held")
    assert held.status == "waiting" and "Thursday 14 March 2030" in held.detail
    _on(monkeypatch, DAY)
    services.summit_transition(summit=summit, to=Summit.State.HELD)
    steps = _statuses(progress.summit_checklist(region=west_midlands, summit=summit))
    assert steps["packs"] == "skipped" and steps["held"] == "done" and steps["themes"] == "next"
    theme_services.themes_create_many(summit=summit, titles=["Workforce"], by=coordinator)
    checklist = progress.summit_checklist(region=west_midlands, summit=summit)
    assert checklist.next_step.action.label == "Publish 1 theme"
    theme_services.themes_publish(summit=summit, by=coordinator)
    theme_services.work_items_from_themes(themes=list(summit.themes.all()))
    for council in councils:
        theme_services.finding_save(summit=summit, council=council, key_findings="Found", recommendations=[])
    checklist = progress.summit_checklist(region=west_midlands, summit=summit)
    assert checklist.next_step.key == "closed"
    services.summit_transition(summit=summit, to=Summit.State.CLOSED)
    checklist = progress.summit_checklist(region=west_midlands, summit=summit)
    assert checklist.next_step is None and checklist.done == 10  # every step but the skipped packs


# --- Bulk actions -------------------------------------------------------------------------------------------


def test_several_themes_at_once_then_merged_and_planned_together(summit, client_for, monkeypatch) -> None:
    _on(monkeypatch, DAY)
    services.summit_transition(summit=summit, to=Summit.State.HELD)
    client = client_for("coordinator")
    url = f"/summits/{summit.pk}/plenary/several/"
    titles = "Workforce retention\n\nRetaining staff\nHospital discharge\n"
    response = client.post(url, {"many-titles": titles})
    assert response["Location"] == f"/summits/{summit.pk}/themes/"
    assert client.post(url, {"many-titles": titles}).status_code == 302  # sent again: nothing twice
    assert Theme.objects.filter(summit=summit).count() == 3
    too_long = client.post(url, {"many-titles": "ok\n" + "x" * 201})
    assert too_long.status_code == 400 and "Line 2: title must be 200 characters or fewer." in (
        too_long.content.decode()
    )
    ids = {t.title: t.pk for t in Theme.objects.filter(summit=summit)}
    bulk = f"/summits/{summit.pk}/themes/ticked/"
    one = client.post(bulk, {"action": "merge", "themes": [ids["Workforce retention"]]})
    assert one.status_code == 400 and "Tick two or more themes to merge them" in one.content.decode()
    client.post(bulk, {"action": "merge", "themes": [ids["Workforce retention"], ids["Retaining staff"]]})
    assert Theme.objects.get(pk=ids["Workforce retention"]).merged_into_id == ids["Retaining staff"]
    response = client.post(
        bulk, {"action": "plan", "themes": [ids["Retaining staff"], ids["Hospital discharge"]]}
    )
    assert response["Location"] == f"/regions/E12000005/work-programme/{DAY.year}/"
    assert WorkItem.objects.filter(themes__summit=summit).count() == 2
    client.post(bulk, {"action": "plan", "themes": [ids["Hospital discharge"]]})  # not added twice
    assert WorkItem.objects.filter(themes__summit=summit).count() == 2
    # A DASS reads published themes but ticks nothing.
    assert client_for("dass").post(
        bulk, {"action": "plan", "themes": [ids["Hospital discharge"]]}
    ).status_code in (
        403,
        404,
    )


def test_a_question_set_is_reordered_and_its_top_five_marked_in_one_submit(
    summit, client_for, birmingham, dass
) -> None:
    session = next(
        (group_councils(g)[0], group_councils(g)[1])
        for g in summit_groups(summit=summit)
        if birmingham in group_councils(g)
    )
    challenger, challenged = session if session[0] == birmingham else (session[1], session[0])
    question_set = question_set_get_or_create(summit=summit, challenger=challenger, challenged=challenged)
    Question.objects.filter(question_set=question_set).delete()
    questions = [
        Question.objects.create(question_set=question_set, text=f"Q{n}", position=n) for n in range(1, 8)
    ]
    url = f"/summits/{summit.pk}/questions/{challenged.gss_code}/"
    client = client_for("dass")
    page = client.get(url).content.decode()
    assert page.count('name="top" type="checkbox"') == 7
    assert page.count("checked") == 5  # none marked yet: the first five are ticked to start with
    last, fifth = questions[-1], questions[4]
    top = [q.pk for q in questions[:4]] + [last.pk]
    response = client.post(url, {"action": "arrange", f"place-{last.pk}": "1", "top": top})
    assert response.status_code == 302
    order = list(question_set.questions.order_by("position").values_list("text", "is_top"))
    assert order[0] == ("Q7", True) and order[1] == ("Q1", True)
    assert [t for t, top in order if top] == ["Q7", "Q1", "Q2", "Q3", "Q4"]
    assert not Question.objects.get(pk=fifth.pk).is_top
    six = client.post(url, {"action": "arrange", "top": [q.pk for q in questions[:6]]})
    assert six.status_code == 400 and "only 5 can be in the top five" in six.content.decode()
    bad = client.post(url, {"action": "arrange", f"place-{last.pk}": "first"})
    assert bad.status_code == 400 and "Type each question" in bad.content.decode()
    assert client_for("other_dass").post(url, {"action": "arrange"}).status_code == 403


# --- Home pages ---------------------------------------------------------------------------------------------


def test_the_coordinators_home_shows_each_summit_as_a_checklist(
    summit, client_for, django_assert_max_num_queries
) -> None:
    client = client_for("coordinator")
    with django_assert_max_num_queries(60):
        page = client.get("/").content.decode()
    assert summit.name in page and "Challenge packs built" in page
    assert "Build every pack" in page


def test_the_leads_home_shows_figures_returns_and_changes_since_the_last_visit(
    west_midlands, birmingham, coventry, sli_lead, client
) -> None:
    from django.utils import timezone

    from scorecard.models import ImportRecord
    from tests.selfassessment_helpers import drafted, hand_made_values

    period = hand_made_values()
    cycle = make_cycle(period=period)
    submitted(cycle=cycle, council=birmingham)
    drafted(cycle=cycle, council=coventry)
    ImportRecord.objects.create(
        kind=ImportRecord.Kind.ASCOF,
        status=ImportRecord.Status.APPLIED,
        file_name="meas-from-asc-of-2023-24.csv",
    )
    client.force_login(sli_lead)  # not through the sign-in page: no previous visit
    page = client.get("/").content.decode()
    assert "The latest figures for the region's councils are for <strong>2023-24</strong>" in page
    assert "meas-from-asc-of-2023-24.csv" in page
    assert "Still in draft: Coventry." in page
    assert "This is your first visit" in page
    sli_lead.previous_login = timezone.now() - dt.timedelta(days=1)
    sli_lead.save()
    page = client.get("/").content.decode()
    assert "Birmingham submitted its self-assessment" in page
    assert "meas-from-asc-of-2023-24.csv loaded" in page


def test_signing_in_keeps_the_previous_sign_in(client, sli_lead) -> None:
    from tests.factories import PASSWORD

    sli_lead.set_password(PASSWORD)
    sli_lead.save()
    client.post("/accounts/login/", {"username": "sli.lead", "password": PASSWORD})
    sli_lead.refresh_from_db()
    first = sli_lead.last_login
    assert first is not None and sli_lead.previous_login is None
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "sli.lead", "password": PASSWORD})
    sli_lead.refresh_from_db()
    assert sli_lead.previous_login == first and sli_lead.last_login > first


def test_the_dass_home_has_their_self_assessment_session_pack_and_questions(
    summit, client_for, birmingham, django_assert_max_num_queries
) -> None:
    cycle = make_cycle()
    submitted(cycle=cycle, council=birmingham)
    client = client_for("dass")
    with django_assert_max_num_queries(40):
        page = client.get("/").content.decode()
    assert "Your self-assessment: " in page and "Submitted" in page and "ask for it to be reopened" in page
    assert "Your session:" in page
    assert "Download the pack on" in page and f"/summits/{summit.pk}/packs/" in page
    assert "Prepare your questions for" in page
    # Preparing starts the question set and opens it; the home page then links to it.
    challenged = next(
        c
        for g in summit_groups(summit=summit)
        for c in group_councils(g)
        if c != birmingham and birmingham in group_councils(g)
    )
    response = client.post(f"/summits/{summit.pk}/questions/{challenged.gss_code}/", {"action": "start"})
    assert response.status_code == 302
    assert "Your questions for" in client.get("/").content.decode()
    assert not SessionFinding.objects.exists()
