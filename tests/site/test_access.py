"""Who may see what: every page for every role, sign-in/out, health check, the role model's rules."""

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.test import Client, override_settings

from councils.models import Membership
from tests.factories import PASSWORD, PERSONAS, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"

# (url, {persona: expected status}); personas not listed expect 200.
PAGES = [
    ("/", {}),
    ("/councils/", {}),
    ("/councils/?_export=csv", {}),
    ("/councils/?_export=xlsx", {}),
    ("/councils/?region=E12000005&council_type=county&sort=-gss_code", {}),
    (f"/councils/{BIRMINGHAM}/", {}),
    (f"/regions/{WEST_MIDLANDS}/", {}),
    (f"/regions/{WEST_MIDLANDS}/?_export=csv", {}),
    (
        f"/regions/{WEST_MIDLANDS}/people/",
        {"dass": 403, "delegate": 403, "no_role_user": 403},
    ),
    ("/admin/", {"sli_lead": 302, "coordinator": 302, "dass": 302, "delegate": 302, "no_role_user": 302}),
]


@pytest.mark.parametrize(("url", "overrides"), PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_for_every_role(client_for, url, overrides, persona):
    response = client_for(persona).get(url)
    assert response.status_code == overrides.get(persona, 200)


@pytest.mark.parametrize(("url", "_"), PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, url, _):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))


def test_unknown_council_and_region_are_404(client_for):
    client = client_for("dass")
    assert client.get("/councils/E99999999/").status_code == 404
    assert client.get("/regions/E12000099/").status_code == 404
    assert client.get("/regions/E12000099/people/").status_code == 404


def test_sli_lead_of_another_region_cannot_see_west_midlands_people(client, db):
    from councils.models import Region

    lead = MembershipFactory(
        role=Membership.Role.SLI_LEAD, region=Region.objects.get(gss_code="E12000001")
    ).user
    client.force_login(lead)
    assert client.get(f"/regions/{WEST_MIDLANDS}/people/").status_code == 403
    assert client.get("/regions/E12000001/people/").status_code == 200


def test_healthz_needs_no_login_and_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert client.post("/healthz").status_code == 405


def test_sign_in_with_wrong_password_shows_a_govuk_error_summary(client, dass):
    response = client.post("/accounts/login/", {"username": "dass.birmingham", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "<title>Error: Sign in" in page


def test_sign_in_lands_on_a_home_page_for_the_role(client, dass, sli_lead):
    response = client.post(
        "/accounts/login/", {"username": "dass.birmingham", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "Your council: Birmingham" in page
    assert "People and roles" not in page
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "sli.lead", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "Regional SLI lead" in page and "People and roles in West Midlands" in page


def test_sign_out_is_post_only(client_for):
    client = client_for("dass")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200  # still signed in
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out


def test_sign_out_needs_a_csrf_token(dass):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dass)
    assert client.post("/accounts/logout/").status_code == 403


def test_navigation_fits_the_role(client_for):
    dass_nav = client_for("dass").get("/").context["navigation"]
    assert [item.label for item in dass_nav] == [
        "Home",
        "My scorecard",
        "Regional scorecard",
        "Self-assessment",
        "Compare",
        "Councils",
        "Measures",
        "Peer challenge",
        "Work programme",
    ]
    lead_nav = client_for("sli_lead").get("/").context["navigation"]
    assert [item.label for item in lead_nav] == [
        "Home",
        "Regional scorecard",
        "Self-assessment",
        "Compare",
        "Councils",
        "Measures",
        "Peer challenge",
        "Work programme",
        "Imports",
        "People",
    ]
    admin_nav = client_for("admin").get("/").context["navigation"]
    assert "Admin" in [item.label for item in admin_nav]


def test_council_profile_shows_codes_type_region_dass_and_neighbours(client_for, dass, birmingham):
    from councils.models import NearestNeighbour

    NearestNeighbour.objects.create(council=birmingham, position=1, neighbour_gss_code="E08000026")
    page = client_for("other_dass").get(f"/councils/{BIRMINGHAM}/").content.decode()
    for text in (
        "Birmingham",
        "E08000025",
        "406",
        "Metropolitan district",
        "West Midlands",
        str(dass),
        ">Coventry</a>",
    ):
        assert text in page


def test_councils_table_sorts_and_exports(client_for):
    client = client_for("dass")
    names = [row.record.name for row in client.get("/councils/?sort=-name").context["table"].rows]
    assert names[0] == "York" and names[-1] == "Barking and Dagenham"
    csv = client.get("/councils/?_export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Name,Type,GSS code,CASSR code,Region,Status,DASS,Region GSS code")
    assert len(lines) == 1 + 161  # every English council, current and former
    xlsx = client.get("/councils/?_export=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_councils_list_query_count_is_constant(client_for, django_assert_max_num_queries):
    from tests.factories import CouncilFactory

    client = client_for("sli_lead")
    with django_assert_max_num_queries(10):
        client.get("/councils/")
    CouncilFactory.create_batch(40)
    with django_assert_max_num_queries(10):
        client.get("/councils/")


# The role model and its rules --------------------------------------------------------------------------


def test_permission_rules(
    dass, delegate, other_dass, sli_lead, coordinator, admin, no_role_user, birmingham, west_midlands
):
    from councils import rules as r

    assert r.is_council_member_of(delegate, birmingham) and not r.is_council_member_of(other_dass, birmingham)
    assert r.is_regional_member_of(sli_lead, birmingham) and r.is_regional_member_of(
        coordinator, west_midlands
    )
    assert not r.is_regional_member_of(dass, west_midlands)
    for user in (dass, delegate, sli_lead, coordinator, admin, no_role_user):
        assert user.has_perm("councils.view_council", birmingham)
    assert sli_lead.has_perm("councils.view_people", west_midlands)
    assert admin.has_perm("councils.view_people", west_midlands)
    assert not dass.has_perm("councils.view_people", west_midlands)
    assert sli_lead.has_perm("councils.import_data") and admin.has_perm("councils.import_data")
    for user in (dass, delegate, coordinator, no_role_user):
        assert not user.has_perm("councils.import_data")


def test_inactive_users_have_no_permissions(dass, birmingham):
    dass.is_active = False
    dass.save()
    assert not dass.has_perm("councils.view_council", birmingham)


def test_a_council_role_needs_a_council_and_a_regional_role_a_region(birmingham, west_midlands):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Membership.Role.DASS, region=west_midlands)


def test_a_council_has_one_dass(dass, birmingham):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), role=Membership.Role.DASS, council=birmingham)


def test_demo_users_sign_in_only_in_demo_mode(client, db):
    UserFactory(username="demo.person", is_demo=True)
    assert client.login(username="demo.person", password=PASSWORD)
    client.logout()
    with override_settings(DEMO_MODE=False):
        assert not client.login(username="demo.person", password=PASSWORD)


def test_seed_demo_creates_a_user_for_every_role_and_refuses_outside_demo_mode(db):
    from django.core.management import CommandError, call_command

    call_command("seed_demo", stdout=__import__("io").StringIO())
    roles = set(Membership.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert roles == {"dass", "delegate", "sli_lead", "coordinator"}
    assert Membership.objects.filter(role="dass", council__region__gss_code=WEST_MIDLANDS).count() == 14
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo")


def test_production_settings_need_a_secret_key():
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("query", ["per_page=-1", "per_page=abc", "page=999", "page=abc", "sort=nonsense"])
@pytest.mark.parametrize("url", ["/councils/", "/measures/", "/imports/"])
def test_odd_table_parameters_never_break_a_page(client_for, url, query):
    assert client_for("sli_lead").get(f"{url}?{query}").status_code in (200, 404)
