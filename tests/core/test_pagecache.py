"""The viewer-keyed page cache (core/pagecache.py). A signed-in page seen before in this data and
page version is served from the cache at the cost of the request's own stack; nothing that decides what the
viewer may see or what the page shows can leave a stale or foreign page behind, and no CSRF token is shared."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory

from core.cache import page_version
from councils.models import Membership
from peerchallenge.models import GroupMember, Summit, SummitGroup
from peerchallenge.services import summit_swap, summit_transition
from tests.factories import make_summit
from tests.selfassessment_helpers import hand_made_values, make_cycle, submitted

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
COUNCIL_PAGE = f"/councils/{BIRMINGHAM}/scorecard/"
PAGES = [
    COUNCIL_PAGE,
    "/regions/E12000005/scorecard/",
    "/compare/?councils=Birmingham&councils=Coventry",
    "/measures/ascof-2023-1a/",
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
HIT_QUERIES = 2  # the user row; a spare for the idle stamp (a session write once a minute)
SELF_RATING = "Self-assessed rating"


@pytest.fixture
def period(db):
    return hand_made_values()


def _tokens(page: str) -> list[str]:
    return TOKEN.findall(page)


def _without_tokens(page: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_second_view_is_the_same_page_from_the_cache(
    url, period, client_for, django_assert_max_num_queries
):
    client = client_for("dass")
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(HIT_QUERIES):
        second = client.get(url)
    assert second.status_code == 200
    page_one, page_two = first.content.decode(), second.content.decode()
    assert _tokens(page_one) and _tokens(page_two)
    assert _without_tokens(page_one) == _without_tokens(page_two)
    for header in ("Content-Type", "Cache-Control", "X-Frame-Options", "Content-Security-Policy"):
        assert second.get(header) == first.get(header), header
    assert second["Cache-Control"] == "private, no-store"


def test_each_user_gets_their_own_page(period, client_for, dass, sli_lead):
    dass_page = _get(client_for("dass"), COUNCIL_PAGE)
    lead_page = _get(client_for("sli_lead"), COUNCIL_PAGE)
    again = _get(client_for("dass"), COUNCIL_PAGE)
    dass_name, lead_name = f"<strong>{dass}</strong>", f"<strong>{sli_lead}</strong>"
    assert dass_name in dass_page and dass_name in again and dass_name not in lead_page
    assert lead_name in lead_page and lead_name not in dass_page and lead_name not in again
    # Navigation by role: the DASS has a scorecard of their own, the lead the region's people.
    assert "My scorecard" in dass_page and "My scorecard" not in lead_page
    assert "/regions/E12000005/people/" in lead_page and "/regions/E12000005/people/" not in dass_page


def test_self_ratings_follow_the_viewer(period, client_for, birmingham, dass, no_role_user):
    cycle = make_cycle(period=period)
    submitted(cycle=cycle, council=birmingham, rating="green")
    assert SELF_RATING in _get(client_for("dass"), COUNCIL_PAGE)
    assert SELF_RATING not in _get(client_for("no_role_user"), COUNCIL_PAGE)


def test_a_role_change_makes_the_next_view_fresh(period, client_for, dass, coventry):
    client = client_for("dass")
    assert f'href="{COUNCIL_PAGE}"' in _get(client, COUNCIL_PAGE)
    membership = Membership.objects.get(user=dass)
    membership.council = coventry
    membership.save()
    page = _get(client, COUNCIL_PAGE)
    assert f'href="{COUNCIL_PAGE}"' not in page
    assert 'href="/councils/E08000026/scorecard/"' in page


def test_a_membership_delete_makes_the_next_view_fresh(period, client_for, dass):
    client = client_for("dass")
    assert "My scorecard" in _get(client, COUNCIL_PAGE)
    Membership.objects.filter(user=dass).delete()
    assert "My scorecard" not in _get(client, COUNCIL_PAGE)


def test_a_user_row_change_makes_the_next_view_fresh(period, client_for, dass):
    client = client_for("dass")
    assert ">Admin<" not in _get(client, COUNCIL_PAGE)
    dass.is_staff = True
    dass.save()
    assert ">Admin<" in _get(client, COUNCIL_PAGE)
    dass.first_name, dass.last_name = "Dana", "Ashworth"
    dass.save()
    assert "Dana Ashworth" in _get(client, COUNCIL_PAGE)


def test_a_deactivated_user_is_signed_out_not_served_the_cached_page(period, client_for, dass):
    client = client_for("dass")
    _get(client, COUNCIL_PAGE)
    dass.is_active = False
    dass.save()
    response = client.get(COUNCIL_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_group_change_moves_the_page_version(dass):
    group = Group.objects.create(name="Analysts")
    before = page_version()
    dass.groups.add(group)
    assert page_version() != before


def test_a_self_assessment_submission_makes_the_next_view_fresh(period, client_for, birmingham, dass):
    client = client_for("dass")
    cycle = make_cycle(period=period)
    assert SELF_RATING not in _get(client, COUNCIL_PAGE)
    submitted(cycle=cycle, council=birmingham, rating="green")
    assert SELF_RATING in _get(client, COUNCIL_PAGE)


def _challenged_by_coventry(west_midlands, birmingham, coventry, period) -> Summit:
    """A draft summit whose pairing has Coventry challenge Birmingham, Birmingham's self-assessment submitted."""
    cycle = make_cycle(period=period)
    submitted(cycle=cycle, council=birmingham, rating="green")
    summit = make_summit(west_midlands, councils=[birmingham, coventry], cycle=cycle)
    group = SummitGroup.objects.create(summit=summit, position=1)
    GroupMember.objects.create(group=group, council=coventry, position=1)
    GroupMember.objects.create(group=group, council=birmingham, position=2)
    return summit


def test_a_summit_state_change_makes_the_next_view_fresh(
    period, client_for, west_midlands, birmingham, coventry, other_dass
):
    summit = _challenged_by_coventry(west_midlands, birmingham, coventry, period)
    client = client_for("other_dass")
    assert SELF_RATING not in _get(client, COUNCIL_PAGE)  # a draft pairing shows nothing yet
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    assert SELF_RATING in _get(client, COUNCIL_PAGE)  # the challenger now sees the self-ratings
    summit.refresh_from_db()
    summit_transition(summit=summit, to=Summit.State.DRAFT)
    assert SELF_RATING not in _get(client, COUNCIL_PAGE)


def test_a_pairing_change_made_set_based_moves_the_page_version(
    period, west_midlands, birmingham, coventry, other_dass
):
    summit = _challenged_by_coventry(west_midlands, birmingham, coventry, period)
    before = page_version()
    summit_swap(summit=summit, first=birmingham, second=coventry)
    assert page_version() != before


def _message_cookie(text: str) -> str:
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(constants.INFO, text)])


def test_a_request_with_messages_is_rendered_and_not_kept(period, client_for):
    client = client_for("dass")
    client.cookies[CookieStorage.cookie_name] = _message_cookie("First message")
    assert "First message" in _get(client, COUNCIL_PAGE)  # first view: shown, not stored
    assert "First message" not in _get(client, COUNCIL_PAGE)  # shown once: the page kept now has none
    client.cookies[CookieStorage.cookie_name] = _message_cookie("Second message")
    assert "Second message" in _get(client, COUNCIL_PAGE)  # a kept page is not served over a message
    assert "Second message" not in _get(client, COUNCIL_PAGE)


def test_a_token_from_a_cached_page_is_accepted_and_never_another_sessions(period, dass):
    first = Client(enforce_csrf_checks=True)
    first.force_login(dass)
    first_tokens = _tokens(_get(first, COUNCIL_PAGE))
    second = Client(enforce_csrf_checks=True)
    second.force_login(dass)
    page = _get(second, COUNCIL_PAGE)  # from the cache: the same user, another session
    tokens = _tokens(page)
    assert tokens and not set(tokens) & set(first_tokens)
    assert "\x00" not in page
    # After the CSRF cookie changes (a new one set by the server), the cached page carries the new token.
    second.cookies.pop(settings.CSRF_COOKIE_NAME, None)
    tokens = _tokens(_get(second, COUNCIL_PAGE))
    assert settings.CSRF_COOKIE_NAME in second.cookies
    response = second.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302  # accepted: signed out
    # The first session's own (fresh) page token works too.
    response = first.post("/accounts/logout/", {"csrfmiddlewaretoken": first_tokens[0]})
    assert response.status_code == 302


def test_a_token_of_a_cached_page_is_refused_for_another_session(period, dass):
    first = Client(enforce_csrf_checks=True)
    first.force_login(dass)
    first_token = _tokens(_get(first, COUNCIL_PAGE))[0]
    second = Client(enforce_csrf_checks=True)
    second.force_login(dass)
    _get(second, COUNCIL_PAGE)
    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": first_token}).status_code == 403


def test_head_works_before_and_after_the_page_is_kept(period, client_for):
    client = client_for("dass")
    assert client.head(COUNCIL_PAGE).status_code == 200
    assert client.get(COUNCIL_PAGE).status_code == 200
    response = client.head(COUNCIL_PAGE)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_anonymous_requests_still_go_to_sign_in(period, client_for):
    _get(client_for("dass"), COUNCIL_PAGE)
    response = Client().get(COUNCIL_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_page_the_viewer_may_not_see_is_not_kept_for_them(period, client_for, dass):
    client = client_for("dass")
    missing = "/councils/E99999999/scorecard/"
    assert client.get(missing).status_code == 404
    assert client.get(missing).status_code == 404
    assert client.get("/measures/no-such-measure/").status_code == 404


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        f"{COUNCIL_PAGE}?utm_source=mail",  # a parameter the page does not read
        "/compare/?councils=Nowhere&councils=Elsewhere",  # a form answered with errors
        "/regions/E12000005/scorecard/?sort=" + "x" * 400,  # too long for one of the pages' own links
    ],
)
def test_made_up_addresses_are_rendered_and_not_kept(url, period, client_for):
    client = client_for("dass")
    _queries(client, url)
    assert _queries(client, url) > HIT_QUERIES


@pytest.mark.parametrize("url", PAGES)
def test_no_request_detail_of_one_user_reaches_another(url, period, client_for):
    """Whatever one visitor adds to an address (a tracking parameter, padding, markup), nothing of it is in
    another visitor's page: kept pages are per user and address, and kept fragments hold only what shapes
    them (the council scorecard's downloads used to copy the first visitor's query string for a day)."""
    marker = "leakmarker" + "x" * 300
    joiner = "&" if "?" in url else "?"
    first = client_for("dass")
    for extra in (f"utm_source={marker}", f"period=2023-24&utm={marker}", f"sort=name&q={marker}"):
        first.get(f"{url}{joiner}{extra}")
    second = client_for("other_dass")
    for address in (url, f"{url}{joiner}period=2023-24"):
        page = _get(second, address)
        assert "leakmarker" not in page, address
    links = re.findall(r'href="(\?[^"]*_export=[^"]*)"', _get(second, url))
    assert links and all("utm" not in link and "leakmarker" not in link for link in links)


def test_an_export_is_never_answered_with_the_kept_page(period, client_for):
    client = client_for("dass")
    _get(client, COUNCIL_PAGE)
    response = client.get(f"{COUNCIL_PAGE}?_export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_plenary_theme_edits_keep_the_pages(west_midlands, birmingham):
    """Themes change every few seconds on summit day and no cached page shows them."""
    from peerchallenge.themes.models import Theme

    summit = make_summit(west_midlands, councils=[birmingham])
    before = page_version()
    theme = Theme.objects.create(summit=summit, title="Workforce", client_id="c-1")
    theme.councils.add(birmingham)
    theme.title = "Workforce and recruitment"
    theme.save()
    assert page_version() == before


def test_a_password_change_signs_out_the_other_sessions(
    period, client_for, dass, django_assert_max_num_queries
):
    """A password change is seen by the next request of every other session, which is signed out (the
    session's auth hash), whatever page it asks for and however that page is kept."""
    client = client_for("dass")
    _get(client, COUNCIL_PAGE)
    with django_assert_max_num_queries(1):  # the page is kept; the user row is read afresh
        _get(client, COUNCIL_PAGE)
    dass.set_password("a-new-long-passphrase")
    dass.save()
    response = client.get(COUNCIL_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("how", ["queryset update", "SQL"])
def test_deactivation_by_a_set_based_write_signs_out_on_the_next_request(period, client_for, dass, how):
    """No signal, no page-version bump: the user row is never kept, so the next request sees it."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    client = client_for("dass")
    _get(client, COUNCIL_PAGE)
    _get(client, COUNCIL_PAGE)  # kept
    before = page_version()
    if how == "SQL":
        table = get_user_model()._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET is_active = %s WHERE id = %s", [False, dass.pk])  # noqa: S608
    else:
        get_user_model().objects.filter(pk=dass.pk).update(is_active=False)
    assert page_version() == before  # nothing told the caches
    response = client.get(COUNCIL_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/measures/").status_code == 401


def test_a_new_release_renders_pages_and_reads_afresh(period, client_for, settings, monkeypatch):
    """After a deploy (another RELEASE) no page the old code rendered, and no read it cached, is served."""
    from core import cache as scorecard_cache

    client = client_for("dass")
    _get(client, COUNCIL_PAGE)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert scorecard_cache.cached_read("release-test", compute=compute) == 1
    rendered = []
    from scorecard.scorecards import views

    original = views.CouncilScorecardView.get_context_data

    def spy(self, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(1)
        return original(self, **kwargs)

    monkeypatch.setattr(views.CouncilScorecardView, "get_context_data", spy)
    _get(client, COUNCIL_PAGE)
    assert rendered == []  # kept
    settings.RELEASE = "next-release"
    scorecard_cache.local_clear()  # a new process after the deploy
    _get(client, COUNCIL_PAGE)
    assert rendered == [1]  # rendered by the new code
    assert scorecard_cache.cached_read("release-test", compute=compute) == 2


def test_the_release_is_a_hash_of_the_source(tmp_path):
    from core.release import source_fingerprint

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    first = source_fingerprint(tmp_path)
    assert source_fingerprint(tmp_path) == first and len(first) == 12
    page.write_text("<p>two</p>")
    second = source_fingerprint(tmp_path)
    assert second != first
    (tmp_path / "static" / "src").mkdir(parents=True)
    (tmp_path / "static" / "src" / "app.scss").write_text("$x: 1;")  # the stylesheet a kept page links
    third = source_fingerprint(tmp_path)
    assert third != second
    (tmp_path / "package-lock.json").write_text("{}")  # govuk-frontend's version
    assert source_fingerprint(tmp_path) != third


def test_the_release_is_named_by_the_deploy_or_else_the_source_hash(settings):
    """RELEASE names the release; left empty, the source's hash is, computed on first use only (a command
    that caches nothing never reads the source files)."""
    from core import release

    settings.RELEASE = ""
    release._fingerprint.cache_clear()  # once per process: the source may have changed since (a checkout)
    assert release.current_release() == release.source_fingerprint(settings.BASE_DIR)
    settings.RELEASE = "2026-11-27.1"
    assert release.current_release() == "2026-11-27.1"
