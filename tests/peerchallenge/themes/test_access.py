"""Who may do what with themes, the work programme and findings, role by role.

Coordinator: everything for their region. Loggers they name: log and edit that summit's themes. SLI lead:
reads everything, edits the work programme. DASSs and delegates: published themes and work programme of
their region, and their own council's findings. Another region's users: nothing (404).
"""

import json

import pytest
from django.test import Client

from councils.models import Council, Membership, Region
from peerchallenge.models import Summit, SummitLogger, Theme
from peerchallenge.services import summit_pair, summit_transition
from peerchallenge.themes import services
from tests.factories import MembershipFactory, UserFactory, make_summit

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY, DUDLEY = "E08000025", "E08000026", "E08000027"


@pytest.fixture
def setting(west_midlands, coordinator, sli_lead, dass, delegate, other_dass, admin):
    london = Region.objects.get(gss_code="E12000007")
    birmingham, coventry, dudley = (Council.objects.get(gss_code=c) for c in (BIRMINGHAM, COVENTRY, DUDLEY))
    summit = make_summit(west_midlands, councils=[birmingham, coventry], rooms=2)
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    users = {
        "admin": admin,
        "coordinator": coordinator,
        "sli_lead": sli_lead,
        "dass": dass,
        "delegate": delegate,
        "other_dass": other_dass,
        "logger": MembershipFactory(
            user=UserFactory(username="logger"), role=Membership.Role.DELEGATE, council=dudley
        ).user,
        "london_coordinator": MembershipFactory(
            user=UserFactory(username="ldn.coord"), role=Membership.Role.COORDINATOR, region=london
        ).user,
        "london_dass": MembershipFactory(
            user=UserFactory(username="ldn.dass"),
            role=Membership.Role.DASS,
            council=Council.objects.filter(region=london).first(),
        ).user,
    }
    SummitLogger.objects.create(summit=summit, user=users["logger"])
    published = services.theme_create(
        summit=summit, data=services.ThemeInput(title="Published", councils=[birmingham]), by=coordinator
    ).theme
    # themes are published once the summit is held
    summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    services.themes_publish(summit=summit, by=coordinator)
    unpublished = services.theme_create(
        summit=summit, data=services.ThemeInput(title="Unpublished"), by=coordinator
    ).theme
    programme = services.work_programme_get_or_create(region=west_midlands, year=summit.date.year)
    item = services.work_item_from_theme(theme=published)
    finding_b = services.finding_save(
        summit=summit, council=birmingham, key_findings="Birmingham finding", recommendations=["B rec"]
    )
    finding_c = services.finding_save(
        summit=summit, council=coventry, key_findings="Coventry finding", recommendations=["C rec"]
    )
    return {
        "users": users,
        "summit": summit,
        "published": published,
        "unpublished": unpublished,
        "programme": programme,
        "item": item,
        "findings": (finding_b, finding_c),
    }


def as_(setting, role: str) -> Client:
    client = Client()
    client.force_login(setting["users"][role])
    return client


LOGGERS = {"admin", "coordinator", "logger"}
ALL_THEMES = {"admin", "coordinator", "logger", "sli_lead"}
REGION = {"admin", "coordinator", "logger", "sli_lead", "dass", "delegate", "other_dass"}
PLANNERS = {"admin", "coordinator", "sli_lead"}
ROLES = [
    "admin",
    "coordinator",
    "logger",
    "sli_lead",
    "dass",
    "delegate",
    "other_dass",
    "london_coordinator",
    "london_dass",
]


@pytest.mark.parametrize("role", ROLES)
def test_logging_themes(setting, role):
    client, summit = as_(setting, role), setting["summit"]
    response = client.post(
        f"/api/summits/{summit.pk}/themes/",
        json.dumps({"title": f"By {role}", "client_id": role}),
        content_type="application/json",
    )
    expected = 201 if role in LOGGERS else 403 if role in REGION else 404
    assert response.status_code == expected
    assert Theme.objects.filter(title=f"By {role}").exists() == (role in LOGGERS)
    plenary = client.get(f"/summits/{summit.pk}/plenary/")
    assert plenary.status_code == (200 if role in LOGGERS else 403 if role in REGION else 404)


@pytest.mark.parametrize("role", ROLES)
def test_reading_themes(setting, role):
    client, summit = as_(setting, role), setting["summit"]
    response = client.get(f"/api/summits/{summit.pk}/themes/")
    if role not in REGION:
        assert response.status_code == 404
        assert client.get(f"/summits/{summit.pk}/themes/").status_code == 404
        return
    titles = [t["title"] for t in response.json()["themes"]]
    assert titles == (["Published", "Unpublished"] if role in ALL_THEMES else ["Published"])
    page = client.get(f"/summits/{summit.pk}/themes/").content.decode()
    assert ("Unpublished" in page) == (role in ALL_THEMES)
    detail = client.get(f"/summits/{summit.pk}/themes/{setting['unpublished'].pk}/")
    assert detail.status_code == (200 if role in ALL_THEMES else 404)


@pytest.mark.parametrize("role", ROLES)
def test_editing_merging_and_naming_loggers(setting, role):
    client, summit = as_(setting, role), setting["summit"]
    published, unpublished = setting["published"], setting["unpublished"]
    response = client.post(f"/summits/{summit.pk}/themes/{published.pk}/merge/", {"source": unpublished.pk})
    allowed = role in LOGGERS
    assert response.status_code == (302 if allowed else 403 if role in REGION else 404)
    unpublished.refresh_from_db()
    assert (unpublished.merged_into_id == published.pk) == allowed
    newcomer = UserFactory(username="newcomer")
    MembershipFactory(
        user=newcomer, role=Membership.Role.DELEGATE, council=Council.objects.get(gss_code=COVENTRY)
    )
    response = client.post(f"/summits/{summit.pk}/loggers/", {"user": newcomer.pk})
    managers = {"admin", "coordinator"}
    assert response.status_code == (302 if role in managers else 403 if role in REGION else 404)
    assert SummitLogger.objects.filter(summit=summit, user=newcomer).exists() == (role in managers)


@pytest.mark.parametrize("role", ROLES)
def test_work_programme(setting, role):
    client = as_(setting, role)
    year = setting["programme"].year
    base = f"/regions/E12000005/work-programme/{year}/"
    item_url = f"{base}items/{setting['item'].pk}/"
    # Not published yet: the region's SLI lead and coordinator (and admins) only.
    response = client.get(item_url)
    assert response.status_code == (200 if role in PLANNERS else 404)
    services.work_programme_publish(programme=setting["programme"])
    response = client.get(item_url)
    assert response.status_code == (200 if role in REGION else 404)
    response = client.post(f"{item_url}update/", {"text": "Agreed at the DASS meeting", "status": "agreed"})
    assert response.status_code == (302 if role in PLANNERS else 403 if role in REGION else 404)
    setting["item"].refresh_from_db()
    assert (setting["item"].status == "agreed") == (role in PLANNERS)
    response = client.get(f"{base}export.csv")
    assert response.status_code == (200 if role in REGION else 404)


@pytest.mark.parametrize("role", ROLES)
def test_findings_of_their_own_council_only(setting, role):
    client, summit = as_(setting, role), setting["summit"]
    response = client.get(f"/summits/{summit.pk}/findings/")
    if role not in REGION:
        assert response.status_code == 404
        return
    page = response.content.decode()
    sees_all = role in {"admin", "coordinator", "sli_lead"}
    assert ("Birmingham finding" in page) == (sees_all or role in {"dass", "delegate"})
    assert ("Coventry finding" in page) == (sees_all or role == "other_dass")
    response = client.post(
        f"/summits/{summit.pk}/findings/{BIRMINGHAM}/", {"key_findings": "Changed", "recommendations": ""}
    )
    assert response.status_code == (
        302 if role in {"admin", "coordinator"} else 403 if role == "sli_lead" else 404
    )


def test_nobody_logs_or_edits_themes_once_the_summit_is_closed(setting):
    """A closed summit's themes are the record: the log page and the API refuse, the list offers no log
    button and the theme page no edit; reading them goes on."""
    summit = setting["summit"]
    summit_transition(summit=summit, to=Summit.State.CLOSED, on=summit.date)
    for role in ("coordinator", "logger"):
        client = Client()
        client.force_login(setting["users"][role])
        assert client.get(f"/summits/{summit.pk}/plenary/").status_code == 403
        body = json.dumps({"title": "Late theme", "client_id": f"late-{role}"})
        response = client.post(f"/api/summits/{summit.pk}/themes/", body, content_type="application/json")
        assert response.status_code == 403
        listing = client.get(f"/summits/{summit.pk}/themes/")
        assert listing.status_code == 200
        assert "Published" in listing.content.decode()
        assert "Log themes" not in listing.content.decode()
    assert not Theme.objects.filter(summit=summit, title="Late theme").exists()


SUMMIT_OFFICERS = {"admin", "coordinator", "sli_lead"}


@pytest.mark.parametrize("role", ROLES)
def test_nothing_of_a_draft_summit_shows_beyond_its_coordinator_lead_and_admins(setting, role):
    """A draft may still be re-planned or dropped: its name, date, themes and findings stay with the region's
    coordinator and SLI lead (and admins), whoever else is a named logger or has a finding in it."""
    west_midlands = setting["summit"].region
    birmingham, coventry = (Council.objects.get(gss_code=c) for c in (BIRMINGHAM, COVENTRY))
    draft = make_summit(west_midlands, councils=[birmingham, coventry], rooms=2, name="Secret autumn summit")
    summit_pair(summit=draft)
    SummitLogger.objects.create(summit=draft, user=setting["users"]["logger"])
    theme = services.theme_create(
        summit=draft, data=services.ThemeInput(title="Draft theme", councils=[birmingham]), by=None
    ).theme
    Theme.objects.filter(pk=theme.pk).update(is_published=True)  # published before the rule: still hidden
    services.finding_save(summit=draft, council=birmingham, key_findings="Draft finding", recommendations=[])
    client = as_(setting, role)
    sees = role in SUMMIT_OFFICERS
    for path in (
        f"/summits/{draft.pk}/themes/",
        f"/summits/{draft.pk}/themes/{theme.pk}/",
        f"/summits/{draft.pk}/findings/",
        f"/api/summits/{draft.pk}/themes/",
    ):
        response = client.get(path)
        assert response.status_code == (200 if sees else 404), path
        assert ("Secret autumn summit" in response.content.decode()) == sees, path
    listed = [s["name"] for s in client.get("/api/summits/").json()["summits"]]
    assert ("Secret autumn summit" in listed) == sees
    for path in (
        "/regions/E12000005/themes/",
        f"/regions/E12000005/work-programme/{draft.date.year}/",
    ):
        response = client.get(path)
        if response.status_code == 200:
            page = response.content.decode()
            assert ("Secret autumn summit" in page or "Draft theme" in page) == sees, path
    response = client.post(
        f"/api/summits/{draft.pk}/themes/",
        json.dumps({"title": "Logged early", "client_id": f"early-{role}"}),
        content_type="application/json",
    )
    assert response.status_code == (201 if role in {"admin", "coordinator"} else 403 if sees else 404)


def test_themes_are_published_only_once_the_summit_has_been_held(setting):
    """The plenary's themes go to the region's councils after the day: a published (or draft) summit's
    themes cannot be published; a held or closed summit's can."""
    west_midlands, coordinator = setting["summit"].region, setting["users"]["coordinator"]
    birmingham, coventry = (Council.objects.get(gss_code=c) for c in (BIRMINGHAM, COVENTRY))
    summit = make_summit(west_midlands, councils=[birmingham, coventry], rooms=2, name="Upcoming")
    summit_pair(summit=summit)
    theme = services.theme_create(summit=summit, data=services.ThemeInput(title="Early"), by=None).theme
    client = as_(setting, "coordinator")
    for state in (None, Summit.State.PUBLISHED):
        if state:
            summit_transition(summit=summit, to=state)
        page = client.get(f"/summits/{summit.pk}/themes/").content.decode()
        assert (
            "once the summit has been held" in page and "to the region&#x27;s councils</button>" not in page
        )
        response = client.post(f"/summits/{summit.pk}/themes/publish/", follow=True)
        assert "once the summit has been held" in response.content.decode()
        theme.refresh_from_db()
        assert not theme.is_published
        with pytest.raises(services.ThemeError):
            services.themes_publish(summit=summit, by=coordinator)
    summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    client.post(f"/summits/{summit.pk}/themes/publish/")
    theme.refresh_from_db()
    assert theme.is_published
    summit_transition(summit=summit, to=Summit.State.CLOSED, on=summit.date)
    late = Theme.objects.create(summit=summit, title="Late", client_id="late")
    assert services.themes_publish(summit=summit, by=coordinator) == 1
    late.refresh_from_db()
    assert late.is_published


@pytest.mark.parametrize("role", ROLES)
def test_findings_reach_the_lessons_only_when_the_coordinator_publishes_them(setting, role):
    """Findings belong to their council and the coordinator: saving them puts nothing on the region's
    lessons-learnt page; ticking "publish as a lesson" does, and unticking it withdraws the lesson."""
    summit = setting["summit"]
    coordinator = as_(setting, "coordinator")
    coordinator.post(
        f"/summits/{summit.pk}/findings/{BIRMINGHAM}/",
        {"key_findings": "Private finding for Birmingham", "recommendations": ""},
    )
    client = as_(setting, role)
    lessons = client.get("/lessons/")
    assert "Private finding for Birmingham" not in lessons.content.decode()
    coordinator.post(
        f"/summits/{summit.pk}/findings/{BIRMINGHAM}/",
        {"key_findings": "Chosen lesson", "recommendations": "", "publish_as_lesson": "on"},
    )
    assert ("Chosen lesson" in client.get("/lessons/").content.decode()) == (role in REGION)
    form = coordinator.get(f"/summits/{summit.pk}/findings/{BIRMINGHAM}/").content.decode()
    assert 'name="publish_as_lesson" type="checkbox" checked' in form
    coordinator.post(
        f"/summits/{summit.pk}/findings/{BIRMINGHAM}/",
        {"key_findings": "Chosen lesson", "recommendations": ""},
    )
    assert "Chosen lesson" not in client.get("/lessons/").content.decode()
