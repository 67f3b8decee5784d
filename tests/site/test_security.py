"""Production that works and holds: one test (or more) per finding.

The permission matrix and region-scoped writes are in tests/site/test_permission_matrix.py, the fuzz test in
tests/site/test_fuzz.py, backup and restore in tests/core/test_backup.py.
"""

import datetime
import json
import os
import re
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import OperationalError
from django.db.models import F
from django.http import HttpResponse, HttpResponseForbidden
from django.test import Client, RequestFactory

from core.middleware import IDLE_KEY, ApiJsonErrorsMiddleware
from councils.models import Council, Membership, Region
from scorecard.imports.local import measures_import
from scorecard.models import Framework, Measure, Value
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(django_settings.BASE_DIR)
BIRMINGHAM = "E08000025"


# The production path ----------------------------------------------------------------------------------


def test_make_assets_copies_the_images_the_compiled_css_references():
    css = (BASE_DIR / "static/build/app.min.css").read_text()
    urls = set(re.findall(r'url\("?(/static/[^")]+)"?\)', css))
    assert urls, "the compiled CSS should reference govuk-frontend's images"
    for url in urls:
        assert (BASE_DIR / "static" / url.removeprefix("/static/")).is_file(), url


def test_collectstatic_with_the_production_storage_and_whitenoise_long_caching(tmp_path):
    """collectstatic (CompressedManifestStaticFilesStorage) succeeds; whitenoise then serves the hashed
    files with a year-long immutable Cache-Control, and pages stay private."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    # The production storage as configured, less the (slow) brotli/gzip step, which CI's production
    # path (.ci/run) runs in full: the manifest step is the one that failed on missing images.
    (tmp_path / "collect_settings.py").write_text(
        "from config.settings import *  # noqa\n"
        "WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ['css', 'js', 'svg', 'map', 'txt', 'json', 'woff2', 'png', 'ico']\n"
    )
    env["DJANGO_SETTINGS_MODULE"] = "collect_settings"
    env["PYTHONPATH"] = f"{tmp_path}{os.pathsep}{BASE_DIR}"
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert collect.returncode == 0, collect.stderr[-2000:]
    script = (
        "import django, json; django.setup()\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage as s\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "r = c.get(s.url('build/app.min.css'))\n"
        "h = c.get(s.url('build/govuk/assets/images/govuk-crest.svg'))\n"
        "print(json.dumps([r.status_code, r.get('Cache-Control'), h.status_code]))\n"
    )
    serve = subprocess.run(  # noqa: S603 (fixed arguments: this interpreter and our own script)
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert serve.returncode == 0, serve.stderr[-2000:]
    status, cache_control, image_status = json.loads(serve.stdout.strip().splitlines()[-1])
    assert (status, image_status) == (200, 200)
    assert "immutable" in cache_control and "max-age=315360000" in cache_control


def test_make_serve_sets_gunicorn_worker_options_explicitly():
    dry_run = subprocess.run(
        ["/usr/bin/make", "-n", "serve"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    ).stdout.replace("\\\n", " ")
    gunicorn = next(line for line in dry_run.splitlines() if "gunicorn" in line)
    for option in ("--workers", "--timeout", "--graceful-timeout", "--keep-alive", "--max-requests"):
        assert option in gunicorn, option
    assert "collectstatic" in dry_run
    assert "manage.py db_worker" in dry_run  # imports and packs are not left waiting for a worker


# Health check and API errors ----------------------------------------------------------------------------


def test_healthz_is_503_json_when_the_database_is_down_even_with_a_session_cookie(client, dass, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    client.force_login(dass)
    client.raise_request_exception = False
    with monkeypatch.context() as patch:

        def database_down(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise OperationalError("could not connect to server")

        patch.setattr(BaseDatabaseWrapper, "_cursor", database_down)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "checks": {"database": "unavailable"}}


def test_api_errors_are_json(client_for, client, monkeypatch):
    response = client.get("/api/measures/")
    assert (response.status_code, response["Content-Type"]) == (401, "application/json")
    signed_in = client_for("dass")
    for url in (
        "/api/no-such-route/",
        f"/api/councils/{BIRMINGHAM}/nothing/",
        "/api/councils/E99/scorecard/",
    ):
        response = signed_in.get(url)
        assert (response.status_code, response["Content-Type"]) == (404, "application/json"), url
        assert response.json()["detail"]
    response = signed_in.put("/api/measures/")
    assert response.status_code == 405 and response.json()["detail"] and "GET" in response["Allow"]

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr("scorecard.api.views.scorecard_selectors.council_scorecard", broken)
    signed_in.raise_request_exception = False
    response = signed_in.get(f"/api/councils/{BIRMINGHAM}/scorecard/")
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert response.json() == {"detail": "Internal server error."}


def test_any_html_error_under_api_becomes_json_and_keeps_its_headers():
    request = RequestFactory().get("/api/anything/")
    forbidden = ApiJsonErrorsMiddleware(lambda r: HttpResponseForbidden("<h1>Forbidden</h1>"))(request)
    assert (forbidden.status_code, forbidden["Content-Type"]) == (403, "application/json")
    assert json.loads(forbidden.content)["detail"]
    not_allowed = HttpResponse("<p>no</p>", status=405)
    not_allowed["Allow"] = "GET"
    response = ApiJsonErrorsMiddleware(lambda r: not_allowed)(request)
    assert response["Allow"] == "GET" and json.loads(response.content)["detail"].startswith("Method GET")
    page = ApiJsonErrorsMiddleware(lambda r: HttpResponse("<p>x</p>", status=404))(
        RequestFactory().get("/councils/x/")
    )
    assert page["Content-Type"].startswith("text/html")  # pages keep their HTML error pages


# Demo data outside demo mode ----------------------------------------------------------------------------


def _a_few_demo_rows(birmingham) -> list[Value]:  # type: ignore[no-untyped-def]
    """Two demo values and a demo neighbour: what seed_demo makes, in miniature."""
    from councils.models import NearestNeighbour
    from scorecard.areas import area_for_council
    from scorecard.periods import period_get_or_create

    area = area_for_council(council=birmingham)
    period = period_get_or_create(start_year=2023)
    measures = Measure.objects.exclude(framework=Framework.LOCAL)[:2]
    NearestNeighbour.objects.create(
        council=birmingham, position=1, neighbour_gss_code="E08000026", is_demo=True
    )
    return [
        Value.objects.create(measure=measure, period=period, area=area, value=50, is_demo=True)
        for measure in measures
    ]


def test_outside_demo_mode_demo_figures_are_never_served_until_removed(client_for, settings, birmingham):
    _a_few_demo_rows(birmingham)
    assert Value.objects.filter(is_demo=True).exists()
    settings.DEMO_MODE = False
    client = client_for("sli_lead")
    for url in ("/", f"/councils/{BIRMINGHAM}/scorecard/", "/api/measures/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "remove_demo_data" in response.content.decode()
        assert "Demo data" not in response.content.decode()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["checks"]["demo_data"] == "present"

    out = StringIO()
    call_command("remove_demo_data", stdout=out)
    assert "Removed" in out.getvalue()
    assert not Value.objects.filter(is_demo=True).exists()
    assert client.get(f"/councils/{BIRMINGHAM}/scorecard/").status_code == 200
    assert client.get("/healthz").json() == {
        "status": "ok",
        "checks": {"database": "ok", "demo_data": "none"},
    }


def test_remove_demo_data_keeps_real_figures_and_users(settings, birmingham, admin):
    from councils.models import NearestNeighbour
    from tests.factories import UserFactory

    UserFactory(username="demo.someone", is_demo=True)
    real = _a_few_demo_rows(birmingham)[0]
    real.is_demo = False
    real.save()
    call_command("remove_demo_data", stdout=StringIO())
    assert list(Value.objects.all()) == [real]
    assert not NearestNeighbour.objects.exists()
    assert admin.__class__.objects.filter(is_demo=True).count() == 0
    assert admin.__class__.objects.filter(pk=admin.pk).exists()


# Region-scoped writes at the service ---------------------------------------------------------------------


def test_a_regional_lead_cannot_write_another_regions_council_or_measure(sli_lead, tmp_path):
    london = Region.objects.get(gss_code="E12000007")
    assert Council.objects.get(gss_code="E09000002").region == london  # shipped with every English council
    Measure.objects.create(
        key="local-wm-rev",
        code="WM-REV",
        framework=Framework.LOCAL,
        title="Reviews",
        unit="percent",
        polarity="higher",
        series="local-wm-rev",
        owner_region=Region.objects.get(gss_code="E12000005"),
    )
    Measure.objects.create(
        key="local-orphan",
        code="ORPHAN",
        framework=Framework.LOCAL,
        title="Unowned",
        unit="percent",
        polarity="higher",
        series="local-orphan",
    )
    path = tmp_path / "values.csv"
    path.write_text("gss_code,measure_code,period,value\nE09000002,WM-REV,2023-24,50\n")
    outcome = measures_import(path=path, user=sli_lead)
    assert not outcome.ok and not Value.objects.exists()
    message = str(outcome.problems[0])
    assert "values.csv" in message and "E09000002 Barking and Dagenham" in message
    assert "your own region (West Midlands)" in message

    path.write_text("gss_code,measure_code,period,value\nE08000025,ORPHAN,2023-24,50\n")
    outcome = measures_import(path=path, user=sli_lead)
    assert not outcome.ok and "ORPHAN (no region)" in str(outcome.problems[0])

    path.write_text(
        "gss_code,measure_code,period,value\nE08000025,WM-REV,2023-24,50\nE92000001,WM-REV,2023-24,51\n"
    )
    outcome = measures_import(path=path, user=sli_lead)
    assert not outcome.ok and "England" in str(outcome.problems[0])

    path.write_text(
        "gss_code,measure_code,period,value\nE08000025,WM-REV,2023-24,50\nE12000005,WM-REV,2023-24,51\n"
    )
    assert measures_import(path=path, user=sli_lead).ok  # own council and own region
    assert Value.objects.count() == 2


def test_only_admins_load_national_ascof_data(sli_lead, admin):
    from scorecard.imports.ascof import ascof_import

    real = BASE_DIR.parent / "shared/data"
    files = sorted(real.glob("meas-from-asc-of-eng-*.csv")) or sorted(
        (BASE_DIR / "tests/data/good").glob("meas-from-asc-of-eng-*.csv")
    )
    path = files[0]
    outcome = ascof_import(path=path, user=sli_lead, dry_run=True)
    assert not outcome.ok  # the whole national file: an administrator's
    assert "only for your own region's councils" in str(outcome.problems[0])
    # The lead's own region's figures from it: allowed (the rest is skipped).
    own = ascof_import(path=path, user=sli_lead, dry_run=True, only_region=sli_lead.memberships.get().region)
    assert own.ok
    assert ascof_import(path=BASE_DIR / "tests/data/good/meas-from-asc-of-eng-2019-20.csv", user=admin).ok


def test_a_lead_of_several_regions_cannot_create_an_ownerless_measure(west_midlands):
    from councils.rules import led_regions
    from scorecard.imports.pipeline.outcome import Problems
    from scorecard.imports.rules import import_scope_check

    lead = MembershipFactory(role=Membership.Role.SLI_LEAD, region=west_midlands).user
    MembershipFactory(
        user=lead, role=Membership.Role.SLI_LEAD, region=Region.objects.get(gss_code="E12000007")
    )
    assert len(led_regions(lead)) == 2
    problems = Problems("f.xlsx")
    fields: dict = {"NEW": {"code": "NEW"}}
    assert not import_scope_check(
        user=lead, kind="local", problems=problems, areas={BIRMINGHAM}, new_measures=fields
    )
    assert "you lead 2 regions" in str(problems.items[0])


# Hostile input -----------------------------------------------------------------------------------------

NUL_URLS = [
    "/councils/%00/",
    "/councils/?region=%00",
    "/councils/?name=%00",
    "/regions/%00/",
    "/regions/%00/scorecard/",
    "/measures/%00/",
    f"/councils/{BIRMINGHAM}/scorecard/?period=%00",
    f"/councils/{BIRMINGHAM}/scorecard/?domain=%00",
    "/regions/E12000005/scorecard/?period=%00",
    "/compare/?councils=%00",
    "/measures/?period=%00",
    "/councils/E08000025%00/",
    "/councils/?sort=%01",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_and_control_characters_are_a_400_not_a_500(client_for, url):
    client = client_for("admin")
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


def test_nul_in_the_api_is_a_json_400(client_for):
    client = client_for("admin")
    for url in ("/api/measures/%00/values/", f"/api/councils/{BIRMINGHAM}/scorecard/?period=%00"):
        response = client.get(url)
        assert (response.status_code, response["Content-Type"]) == (400, "application/json"), url


def test_overlong_query_strings_are_refused(client_for):
    response = client_for("admin").get("/councils/", {"name": "x" * 5000})
    assert response.status_code == 400


# Sign-in throttling ---------------------------------------------------------------------------------------


def _sign_in(client: Client, username: str, password: str, url: str = "/accounts/login/"):  # type: ignore[no-untyped-def]
    return client.post(url, {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message_and_an_audit_log(dass, settings):
    from axes.models import AccessAttempt, AccessFailureLog

    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "dass.birmingham", "wrong-password").status_code == 200
    locked = _sign_in(client, "dass.birmingham", "wrong-password")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # The right password does not get in while the account is locked.
    response = _sign_in(client, "dass.birmingham", PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="dass.birmingham").exists()
    assert AccessFailureLog.objects.filter(username="dass.birmingham").count() >= settings.AXES_FAILURE_LIMIT
    # The account is locked from that address, not for its owner elsewhere.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert _sign_in(other, "dass.birmingham", PASSWORD).status_code == 302


def test_no_one_can_keep_an_account_locked_for_its_owner(dass, settings):
    """A guessable username must not let an attacker keep its owner out: the attacker's address is locked,
    the owner (at another address) signs in whatever the attacker keeps doing."""
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT * 3):
        _sign_in(attacker, "dass.birmingham", "guess")
    assert _sign_in(attacker, "dass.birmingham", PASSWORD).status_code == 429
    owner = Client(REMOTE_ADDR="203.0.113.20")
    assert _sign_in(owner, "dass.birmingham", PASSWORD).status_code == 302


def test_attempts_during_a_lockout_do_not_extend_it(dass, settings):
    """The cool-off runs from the failure that set the lock: trying again while locked out restarts nothing."""
    from axes.models import AccessAttempt

    def minutes_pass(minutes: int) -> None:
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes))

    client = Client(REMOTE_ADDR="198.51.100.67")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "dass.birmingham", "guess")
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    minutes_pass(cool_off - 2)
    assert _sign_in(client, "dass.birmingham", "guess again").status_code == 429  # still locked, not counted
    assert _sign_in(client, "dass.birmingham", PASSWORD).status_code == 429
    minutes_pass(3)
    assert _sign_in(client, "dass.birmingham", PASSWORD).status_code == 302


def test_repeated_failures_from_one_address_lock_that_address(dass, delegate, settings):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"nobody{number}", "wrong-password")
    assert _sign_in(client, "delegate.birmingham", PASSWORD).status_code == 429
    # Another address signs in as usual.
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert _sign_in(other, "delegate.birmingham", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(admin, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "admin.user", "wrong-password", "/admin/login/")
    response = _sign_in(client, "admin.user", PASSWORD, "/admin/login/")
    assert response.status_code == 429


def test_a_successful_sign_in_resets_the_count(dass, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "dass.birmingham", "wrong-password")
    assert _sign_in(client, "dass.birmingham", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "dass.birmingham", "wrong-password")
    assert _sign_in(client, "dass.birmingham", PASSWORD).status_code == 302


# Sessions and caching -------------------------------------------------------------------------------------


def test_session_ends_when_the_browser_closes(dass):
    response = _sign_in(Client(), "dass.birmingham", PASSWORD)
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert django_settings.SESSION_COOKIE_AGE <= 60 * 60


def test_a_session_that_expired_while_idle_says_why_on_the_sign_in_page(client_for, settings):
    """However long the browser stayed away, a session that ended for idleness says so (not a bare sign-in
    page): here the stored session has expired and been removed."""
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    client = client_for("dass")
    assert client.get("/councils/").status_code == 200
    assert django_settings.SESSION_COOKIE_AGE > settings.SESSION_IDLE_TIMEOUT  # the middleware ends it first
    Session.objects.all().delete()
    cache.clear()
    response = client.get("/councils/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "You were signed out because you had not used the service for 30 minutes" in (
        response.content.decode()
    )
    client.cookies.clear()  # a new visitor sees no such message
    assert "You were signed out" not in client.get("/councils/", follow=True).content.decode()


def test_idle_sessions_are_signed_out(client_for, settings):
    client = client_for("dass")
    assert client.get("/councils/").status_code == 200
    session = client.session
    session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/councils/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "You were signed out because you had not used the service for 30 minutes" in (
        response.content.decode()
    )
    assert client.get("/councils/").status_code == 302


def test_an_active_session_stays_signed_in(client_for, settings):
    client = client_for("dass")
    session = client.session
    session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 120
    session.save()
    assert client.get("/councils/").status_code == 200
    assert client.session[IDLE_KEY] >= int(time.time()) - 5  # the stamp moved on


@pytest.mark.parametrize(
    "url",
    ["/", "/councils/", "/councils/?_export=csv", f"/councils/{BIRMINGHAM}/scorecard/", "/api/measures/"],
)
def test_signed_in_pages_are_private_and_not_stored(client_for, url):
    response = client_for("sli_lead").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


# Content-Security-Policy ----------------------------------------------------------------------------------


def test_every_page_has_a_csp_without_inline_script_and_a_permissions_policy(
    client_for, client, west_midlands
):
    from scorecard.demo import demo_values_seed

    demo_values_seed()
    signed_in = client_for("sli_lead")
    measure = Measure.objects.filter(values__isnull=False).first()
    for page_client, url in [
        (client, "/accounts/login/"),
        (signed_in, "/"),
        (signed_in, f"/councils/{BIRMINGHAM}/scorecard/"),
        (signed_in, "/regions/E12000005/scorecard/"),
        (signed_in, f"/measures/{measure.key}/"),
        (signed_in, "/compare/"),
        (signed_in, "/imports/"),
    ]:
        response = page_client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
        assert script_src.split() == ["script-src", "'self'"], csp
        assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"]
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, f"inline script on {url}: {tag}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"


def test_demo_self_assessments_and_summits_count_as_demo_data_and_are_removed(settings, west_midlands):
    """Demo rows of the apps built on the scorecard (found by their ``is_demo`` flag) keep a production site
    closed until removed, and ``remove_demo_data`` removes them, summits before the cycles they use."""
    from core.demo import demo_rows_present
    from peerchallenge.models import Summit
    from selfassessment.models import SelfAssessmentCycle
    from tests.factories import make_summit
    from tests.selfassessment_helpers import hand_made_values, make_cycle

    cycle = make_cycle(period=hand_made_values())
    Value.objects.update(is_demo=False)  # only the cycle and the summit are demo rows here
    SelfAssessmentCycle.objects.filter(pk=cycle.pk).update(is_demo=True)
    real_summit = make_summit(west_midlands, name="Real summit")
    make_summit(west_midlands, name="Demo summit", cycle=cycle, is_demo=True)
    assert demo_rows_present()
    call_command("remove_demo_data", stdout=StringIO())
    assert not demo_rows_present()
    assert list(Summit.objects.all()) == [real_summit]
    assert not SelfAssessmentCycle.objects.exists()
