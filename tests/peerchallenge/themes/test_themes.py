"""Plenary themes: the JSON API, two people logging at once, retried saves, merge/split/undo with
history, recurring themes and the no-JavaScript plenary form."""

import datetime as dt
import json

import pytest
from django.test import Client

from councils.models import Council, Membership
from peerchallenge.models import Summit, SummitLogger, Theme, ThemeChange
from peerchallenge.services import summit_pair, summit_transition
from peerchallenge.themes import selectors, services
from scorecard.models import Domain
from tests.factories import MembershipFactory, UserFactory, make_summit

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY, DUDLEY = "E08000025", "E08000026", "E08000027"
WORKFORCE, OUTCOMES = "resources-and-workforce-management", "performance-and-outcomes"


@pytest.fixture
def domains(db):
    """Two of the six domains the scorecard migrations load."""
    return list(Domain.objects.filter(slug__in=[WORKFORCE, OUTCOMES]))


@pytest.fixture
def summit(west_midlands):
    councils = list(Council.objects.filter(gss_code__in=[BIRMINGHAM, COVENTRY, DUDLEY]))
    summit = make_summit(west_midlands, councils=councils, rooms=2)
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    return summit


def api(client: Client, summit: Summit, body, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/summits/{summit.pk}/themes/",
        data=json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
        **extra,
    )


def data(summit: Summit, title: str, councils=(), domains=()):  # type: ignore[no-untyped-def]
    theme_input, errors = services.theme_input_from_keys(
        summit=summit, title=title, councils=list(councils), domains=list(domains)
    )
    assert not errors
    return theme_input


# --- The JSON API -------------------------------------------------------------------------------------------


def test_post_creates_then_a_retried_save_answers_the_same_theme(client_for, coordinator, summit, domains):
    client = client_for("coordinator")
    body = {
        "title": "Agency social workers",
        "description": "Costly and unstable",
        "domains": [WORKFORCE],
        "councils": [BIRMINGHAM, COVENTRY.lower()],
        "measures": [],
        "client_id": "abc-1",
    }
    first = api(client, summit, body)
    assert first.status_code == 201, first.content
    theme = first.json()
    assert theme["title"] == "Agency social workers" and theme["reach"] == 2
    assert sorted(theme["councils"]) == [BIRMINGHAM, COVENTRY] and theme["domains"] == [WORKFORCE]
    again = api(client, summit, {**body, "title": "Changed on retry"})
    assert again.status_code == 200 and again.json()["id"] == theme["id"]
    assert Theme.objects.filter(summit=summit).count() == 1
    assert Theme.objects.get().changes.filter(action=ThemeChange.Action.CREATED).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Ok", "councils": ["E99999999"]}, "councils"),
        ({"title": "Ok", "councils": ["E09000002"]}, "councils"),  # Barking and Dagenham: another region
        ({"title": "Ok", "sessions": ["²"]}, "sessions"),  # a Unicode digit, not a session number
        ({"title": "Ok", "domains": "nope"}, "domains"),
        ({"title": "Ok", "measures": [{"a": 1}]}, "measures"),
        ({"title": 5}, "title"),
        ({"title": "Ok", "client_id": "x" * 65}, "client_id"),
    ],
)
def test_invalid_themes_are_json_400_with_field_errors(client_for, coordinator, summit, domains, body, field):
    response = api(client_for("coordinator"), summit, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]
    assert not Theme.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"text"', '{"title": "\\u0000"}'])
def test_malformed_bodies_are_json_400(client_for, coordinator, summit, body):
    response = api(client_for("coordinator"), summit, body)
    assert response.status_code == 400 and response.json()["detail"]


def test_csrf_is_enforced_and_answered_in_json(coordinator, summit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = api(client, summit, {"title": "No token", "client_id": "c1"})
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    page = client.get(f"/summits/{summit.pk}/plenary/")
    token = page.cookies["csrftoken"].value
    response = api(client, summit, {"title": "With token", "client_id": "c1"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_get_lists_themes_by_reach_and_summits_the_user_may_see(
    client_for, coordinator, summit, west_midlands
):
    services.theme_create(summit=summit, data=data(summit, "One council", [BIRMINGHAM]), by=coordinator)
    services.theme_create(
        summit=summit, data=data(summit, "Three councils", [BIRMINGHAM, COVENTRY, DUDLEY]), by=coordinator
    )
    services.theme_create(
        summit=summit, data=data(summit, "Two councils", [BIRMINGHAM, COVENTRY]), by=coordinator
    )
    client = client_for("coordinator")
    themes = client.get(f"/api/summits/{summit.pk}/themes/").json()["themes"]
    assert [t["title"] for t in themes] == ["Three councils", "Two councils", "One council"]
    assert [t["reach"] for t in themes] == [3, 2, 1]
    summits = client.get("/api/summits/").json()["summits"]
    assert summits == [
        {"id": summit.pk, "name": summit.name, "date": summit.date.isoformat(), "state": "held"}
    ]


def test_api_list_query_count_is_constant(client_for, coordinator, summit, django_assert_max_num_queries):
    for i in range(12):
        services.theme_create(
            summit=summit, data=data(summit, f"Theme {i}", [BIRMINGHAM, COVENTRY]), by=coordinator
        )
    client = client_for("coordinator")
    with django_assert_max_num_queries(14):
        assert len(client.get(f"/api/summits/{summit.pk}/themes/").json()["themes"]) == 12


# --- Two or three people logging at once ---------------------------------------------------------------------


def test_two_people_logging_at_once_lose_nothing_and_duplicate_nothing(summit, coordinator, domains):
    colleague = MembershipFactory(
        user=UserFactory(username="colleague"),
        role=Membership.Role.DASS,
        council=Council.objects.get(gss_code=DUDLEY),
    ).user
    SummitLogger.objects.create(summit=summit, user=colleague)
    first, second = Client(), Client()
    first.force_login(coordinator)
    second.force_login(colleague)
    statuses = []
    for i in range(5):  # interleaved, as in the room
        statuses.append(api(first, summit, {"title": f"Coordinator {i}", "client_id": f"a{i}"}).status_code)
        statuses.append(api(second, summit, {"title": f"Colleague {i}", "client_id": f"b{i}"}).status_code)
    # Both send the same retried save (a shared laptop's queue, or a double tap): one theme.
    statuses.append(api(first, summit, {"title": "Shared", "client_id": "same"}).status_code)
    statuses.append(api(second, summit, {"title": "Shared", "client_id": "same"}).status_code)
    assert statuses == [201] * 11 + [200]
    assert Theme.objects.filter(summit=summit).count() == 11
    listed = first.get(f"/api/summits/{summit.pk}/themes/").json()["themes"]
    assert len(listed) == 11


def test_a_save_that_races_another_with_the_same_client_id_returns_the_winner(
    summit, coordinator, monkeypatch
):
    """Both requests passed the "already saved?" check before either inserted: the unique constraint
    stops the second insert and the service answers the theme the first one saved."""
    winner = services.theme_create(
        summit=summit, data=data(summit, "First"), by=coordinator, client_id="race"
    )
    real_filter = Theme.objects.filter
    missed = []

    def filter_missing_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        queryset = real_filter(*args, **kwargs)
        if not missed:
            missed.append(True)
            return queryset.none()
        return queryset

    monkeypatch.setattr(Theme.objects, "filter", filter_missing_once)
    loser = services.theme_create(
        summit=summit, data=data(summit, "Second"), by=coordinator, client_id="race"
    )
    assert missed and not loser.created and loser.theme.pk == winner.theme.pk
    assert Theme.objects.count() == 1


# --- Merge, split, undo, history --------------------------------------------------------------------------------


def test_merge_and_undo_keep_later_edits_and_history(summit, coordinator, domains):
    a = services.theme_create(
        summit=summit, data=data(summit, "Recruitment", [BIRMINGHAM], [WORKFORCE]), by=coordinator
    ).theme
    b = services.theme_create(
        summit=summit,
        data=data(summit, "Recruiting staff", [COVENTRY, BIRMINGHAM], [OUTCOMES]),
        by=coordinator,
    ).theme
    services.theme_merge(target=a, sources=[b], by=coordinator)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into == a
    assert set(a.councils.values_list("gss_code", flat=True)) == {BIRMINGHAM, COVENTRY}
    assert set(a.domains.values_list("slug", flat=True)) == {WORKFORCE, OUTCOMES}
    assert [t.title for t in selectors.themes_for_summit(summit=summit)] == ["Recruitment"]
    # An edit after the merge adds Dudley; undoing the merge takes back only what the merge added.
    services.theme_update(
        theme=a,
        data=data(summit, "Recruitment and retention", [BIRMINGHAM, COVENTRY, DUDLEY], [WORKFORCE, OUTCOMES]),
        by=coordinator,
    )
    services.theme_merge_undo(source=b, by=coordinator)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into is None
    assert set(a.councils.values_list("gss_code", flat=True)) == {BIRMINGHAM, DUDLEY}
    assert set(a.domains.values_list("slug", flat=True)) == {WORKFORCE}
    assert a.title == "Recruitment and retention"
    actions = list(a.changes.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["created", "merged", "edited", "merge_undone"]
    assert a.changes.get(action="merged").undone
    assert list(b.changes.order_by("at", "pk").values_list("action", flat=True)) == [
        "created",
        "merged_into",
        "merge_undone",
    ]
    with pytest.raises(services.ThemeError):
        services.theme_merge_undo(source=b, by=coordinator)
    with pytest.raises(services.ThemeError):
        services.theme_merge(target=a, sources=[a], by=coordinator)


def test_split_moves_the_chosen_councils_to_a_new_theme(summit, coordinator, domains):
    theme = services.theme_create(
        summit=summit,
        data=data(summit, "Workforce and markets", [BIRMINGHAM, COVENTRY, DUDLEY], [WORKFORCE]),
        by=coordinator,
    ).theme
    new = services.theme_split(
        theme=theme, title="Markets", councils=list(Council.objects.filter(gss_code=DUDLEY)), by=coordinator
    )
    assert new.split_from == theme
    assert list(new.councils.values_list("gss_code", flat=True)) == [DUDLEY]
    assert set(theme.councils.values_list("gss_code", flat=True)) == {BIRMINGHAM, COVENTRY}
    assert list(new.domains.values_list("slug", flat=True)) == [WORKFORCE]
    assert theme.changes.filter(action="split", other=new).exists()
    with pytest.raises(services.ThemeError):
        services.theme_split(
            theme=theme, title="x", councils=list(Council.objects.filter(gss_code=DUDLEY)), by=coordinator
        )


def test_merge_split_and_undo_through_the_pages(client_for, coordinator, summit, domains):
    client = client_for("coordinator")
    a = services.theme_create(
        summit=summit, data=data(summit, "Hospital discharge", [BIRMINGHAM]), by=coordinator
    ).theme
    b = services.theme_create(
        summit=summit, data=data(summit, "Discharge delays", [COVENTRY]), by=coordinator
    ).theme
    response = client.post(f"/summits/{summit.pk}/themes/{a.pk}/merge/", {"source": b.pk})
    assert response.status_code == 302
    page = client.get(f"/summits/{summit.pk}/themes/{a.pk}/").content.decode()
    assert "Discharge delays" in page and "Duplicates merged in" in page and "Undo merge" in page
    assert client.post(f"/summits/{summit.pk}/themes/{a.pk}/merge/", {"source": "999999"}).status_code == 400
    assert client.post(f"/summits/{summit.pk}/themes/{b.pk}/unmerge/").status_code == 302
    b.refresh_from_db()
    assert b.merged_into is None
    response = client.post(f"/summits/{summit.pk}/themes/{a.pk}/split/", {"title": "", "councils": []})
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    response = client.post(
        f"/summits/{summit.pk}/themes/{a.pk}/split/", {"title": "Delays", "councils": [BIRMINGHAM]}
    )
    assert response.status_code == 302
    assert Theme.objects.get(title="Delays").councils.get().gss_code == BIRMINGHAM


def test_the_plenary_form_works_without_javascript(client_for, coordinator, summit, domains):
    client = client_for("coordinator")
    page = client.get(f"/summits/{summit.pk}/plenary/")
    assert page.status_code == 200
    client_id = page.context["form"].initial["client_id"]
    form = {
        "title": "Direct payments",
        "councils": [BIRMINGHAM],
        "domains": [WORKFORCE],
        "client_id": client_id,
    }
    assert client.post(f"/summits/{summit.pk}/plenary/", form).status_code == 302
    assert client.post(f"/summits/{summit.pk}/plenary/", form).status_code == 302  # pressed twice
    assert Theme.objects.filter(title="Direct payments").count() == 1
    response = client.post(f"/summits/{summit.pk}/plenary/", {"title": "", "client_id": "x"})
    assert response.status_code == 400 and "Enter a title for the theme" in response.content.decode()


# --- Recurring themes --------------------------------------------------------------------------------------------


def test_a_theme_raised_in_three_years_is_flagged(west_midlands, coordinator, domains):
    summits = [
        make_summit(west_midlands, date=dt.date(year, 3, 12), name=f"Summit {year}")
        for year in (2024, 2025, 2026)
    ]
    titles = ["Workforce: recruitment", "workforce recruitment", "Workforce – Recruitment!"]
    themes = [
        services.theme_create(summit=s, data=data(s, t, [BIRMINGHAM], [WORKFORCE]), by=coordinator).theme
        for s, t in zip(summits, titles, strict=True)
    ]
    lone = services.theme_create(
        summit=summits[2], data=data(summits[2], "Carers' breaks", [], [OUTCOMES]), by=coordinator
    ).theme
    # An explicit link: a differently worded theme is the same as one from 2024.
    linked = services.theme_create(
        summit=summits[1], data=data(summits[1], "Staff turnover", [], []), by=coordinator
    ).theme
    other = services.theme_create(
        summit=summits[0], data=data(summits[0], "Retention", [], []), by=coordinator
    ).theme
    services.theme_link_earlier(theme=linked, earlier=other)
    chains = selectors.region_theme_chains(region=west_midlands)
    assert chains[themes[2].pk].label == "Raised in 2024, 2025 and 2026"
    assert chains[lone.pk].label == ""
    assert chains[other.pk].label == "Raised in 2024 and 2025"
    assert chains[linked.pk].label == "Raised in 2024 and 2025"
    with pytest.raises(services.ThemeError):
        services.theme_link_earlier(theme=other, earlier=linked)  # not earlier
    view = selectors.region_themes_by_domain(region=west_midlands, published_only=False)
    assert view.years == [2024, 2025, 2026]
    workforce = next(row for row in view.domains if row.domain and row.domain.slug == WORKFORCE)
    assert [len(themes) for _, themes in workforce.cells] == [1, 1, 1]
    client = Client()
    client.force_login(coordinator)
    # The link through the page: "Carers' breaks" (2026) is the same as "Retention" (2024).
    response = client.post(f"/summits/{summits[2].pk}/themes/{lone.pk}/link/", {"earlier": other.pk})
    assert response.status_code == 302
    assert (
        selectors.region_theme_chains(region=west_midlands)[lone.pk].label == "Raised in 2024, 2025 and 2026"
    )
    assert (
        client.post(f"/summits/{summits[2].pk}/themes/{lone.pk}/link/", {"earlier": "x"}).status_code == 302
    )
    client.post(f"/summits/{summits[2].pk}/themes/{lone.pk}/link/", {"earlier": ""})
    assert selectors.region_theme_chains(region=west_midlands)[lone.pk].label == ""
    page = client.get(f"/summits/{summits[2].pk}/themes/").content.decode()
    assert "Raised in 2024, 2025 and 2026" in page
    page = client.get(f"/regions/{west_midlands.gss_code}/themes/").content.decode()
    assert page.count("Raised in 2024, 2025 and 2026") == 3


def test_pages_read_a_constant_number_of_queries(
    client_for, coordinator, summit, django_assert_max_num_queries
):
    """The plenary, theme list and work programme pages do not read per theme or per item."""
    for i in range(15):
        theme = services.theme_create(
            summit=summit,
            data=data(summit, f"Theme {i}", [BIRMINGHAM, COVENTRY], [WORKFORCE]),
            by=coordinator,
        ).theme
        if i % 3 == 0:
            services.work_item_from_theme(theme=theme)
    client = client_for("coordinator")
    for url, limit in (
        (f"/summits/{summit.pk}/plenary/", 20),  # 18 measured with 3 themes and with 15
        (f"/summits/{summit.pk}/themes/", 17),  # 15
        ("/regions/E12000005/work-programme/2026/", 21),  # 19
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_a_theme_with_duplicates_merged_in_hands_them_over_each_undoable(summit, coordinator, domains):
    """C into B, then B into A: C is merged into A on its own, so undoing it takes C's councils out of A."""
    a = services.theme_create(
        summit=summit, data=data(summit, "Workforce", [BIRMINGHAM]), by=coordinator
    ).theme
    b = services.theme_create(summit=summit, data=data(summit, "Staffing", [COVENTRY]), by=coordinator).theme
    c = services.theme_create(summit=summit, data=data(summit, "Recruitment", [DUDLEY]), by=coordinator).theme
    services.theme_merge(target=b, sources=[c], by=coordinator)
    services.theme_merge(target=a, sources=[b], by=coordinator)
    a.refresh_from_db()
    c.refresh_from_db()
    assert c.merged_into == a
    assert set(a.councils.values_list("gss_code", flat=True)) == {BIRMINGHAM, COVENTRY, DUDLEY}
    services.theme_merge_undo(source=c, by=coordinator)
    assert set(a.councils.values_list("gss_code", flat=True)) == {BIRMINGHAM, COVENTRY}
    assert set(b.councils.values_list("gss_code", flat=True)) == {COVENTRY}
