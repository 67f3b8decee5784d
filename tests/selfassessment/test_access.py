"""Who sees a self-assessment, for every role, on every page and in the API: 403/404, never the content."""

import pytest
from django.test import Client

from councils.models import ApiToken
from selfassessment import services
from selfassessment.models import SelfAssessment
from tests.selfassessment_helpers import BIRMINGHAM, drafted, submitted

BASE = f"/councils/{BIRMINGHAM}/self-assessment/2026-27-peer-challenge/"
API = f"/api/councils/{BIRMINGHAM}/self-assessment/"
SECRET = "Strengths in Governance and Leadership"

ALL = [
    "admin",
    "sli_lead",
    "coordinator",
    "dass",
    "delegate",
    "other_dass",
    "no_role_user",
    "other_region_lead",
    "other_region_coordinator",
]
COUNCIL = {"admin", "dass", "delegate"}
SUBMITTED = COUNCIL | {"sli_lead", "coordinator"}


def _state(cycle, birmingham, coordinator, state):  # type: ignore[no-untyped-def]
    if state == "draft":
        return drafted(cycle=cycle, council=birmingham)
    assessment = submitted(cycle=cycle, council=birmingham)
    if state == "reopened":
        assessment = services.self_assessment_reopen(
            assessment=assessment, user=coordinator, reason="More evidence"
        )
    return assessment


@pytest.mark.parametrize("state", ["draft", "submitted", "reopened"])
@pytest.mark.parametrize("persona", ALL)
def test_page_and_api_visibility(cycle, birmingham, coordinator, client_for, persona, state):
    _state(cycle, birmingham, coordinator, state)
    allowed = COUNCIL if state == "draft" else SUBMITTED
    client = client_for(persona)
    page = client.get(BASE)
    docx = client.get(BASE + "export.docx")
    api = client.get(API, {"cycle": "2026-27-peer-challenge"})
    if persona in allowed:
        assert page.status_code == 200 and SECRET in page.content.decode()
        assert docx.status_code == 200
        assert api.status_code == 200 and api.json()["status"] == state
    else:
        assert page.status_code == 403 and SECRET not in page.content.decode()
        assert docx.status_code == 403
        assert api.status_code == 403 and SECRET not in api.content.decode()
        assert api.json() == {"detail": "You do not have permission to read this self-assessment."}


@pytest.mark.parametrize("persona", ALL)
def test_only_the_council_may_edit_and_only_the_coordinator_reopen(
    cycle, birmingham, coordinator, client_for, persona
):
    drafted(cycle=cycle, council=birmingham)
    client = client_for(persona)
    edit = client.get(BASE + "edit/")
    # Its DASS and delegate; a superuser (admin) has every permission, as everywhere in Django.
    assert (edit.status_code == 200) == (persona in {"dass", "delegate", "admin"}), persona
    submitted_one = SelfAssessment.objects.get()
    submitted_one.status = "submitted"
    submitted_one.save()
    response = client.post(BASE + "reopen/", {"reason": "Because"})
    assert (response.status_code == 302) == (persona in {"coordinator", "admin"}), persona


@pytest.mark.parametrize("persona", ALL)
def test_opening_a_cycle_is_for_the_regions_coordinator(db, client_for, persona):
    status = client_for(persona).get("/regions/E12000005/self-assessment/new/").status_code
    assert (status == 200) == (persona in {"coordinator", "admin"}), persona


def test_anonymous_is_sent_to_sign_in_or_gets_401(cycle, birmingham):
    submitted(cycle=cycle, council=birmingham)
    client = Client()
    for url in (BASE, BASE + "edit/", BASE + "history/", BASE + "export.docx"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert client.post(BASE + "reopen/", {"reason": "x"}).status_code == 302
    api = client.get(API)
    assert api.status_code == 401 and SECRET not in api.content.decode()


def test_not_started_is_the_councils_business(cycle, client_for):
    assert client_for("dass").get(BASE).status_code == 200
    assert "has not started its self-assessment" in client_for("dass").get(BASE).content.decode()
    assert client_for("other_dass").get(BASE).status_code == 403
    assert client_for("dass").get(API).status_code == 404
    assert client_for("other_dass").get(API).status_code == 403


def test_cycle_page_shows_other_councils_rows_to_the_region_only(cycle, birmingham, coventry, client_for):
    submitted(cycle=cycle, council=birmingham)
    url = f"/regions/E12000005/self-assessment/{cycle.slug}/"
    lead = client_for("sli_lead").get(url).content.decode()
    assert "Birmingham" in lead and "Coventry" in lead
    own = client_for("other_dass").get(url).content.decode()
    assert "Coventry" in own and ">Birmingham<" not in own
    # A draft is listed for the region but not linked: they could not open it.
    drafted(cycle=cycle, council=coventry)
    lead = client_for("sli_lead").get(url).content.decode()
    assert f"/councils/{BIRMINGHAM}/self-assessment/{cycle.slug}/" in lead
    assert f"/councils/E08000026/self-assessment/{cycle.slug}/" not in lead


def test_a_higher_app_extending_the_read_rule_widens_submitted_only(
    cycle, birmingham, coordinator, client_for, other_dass
):
    """A higher app widens ``selfassessment.view_selfassessment`` as the peer-challenge app does (django-rules'
    ``set_perm`` over the self-assessment's own rule): a draft stays its council's whatever it adds."""
    import rules

    from councils.rules import is_shared_beyond_council
    from selfassessment.rules import can_view_self_assessment

    @rules.predicate
    def coventry_challenges_birmingham(user, obj):  # type: ignore[no-untyped-def]
        return user.username == "dass.coventry" and obj.council.gss_code == BIRMINGHAM

    installed = rules.permissions.permissions["selfassessment.view_selfassessment"]
    rules.set_perm(
        "selfassessment.view_selfassessment",
        can_view_self_assessment | (is_shared_beyond_council & coventry_challenges_birmingham),
    )
    try:
        drafted(cycle=cycle, council=birmingham)
        assert client_for("other_dass").get(BASE).status_code == 403  # a draft stays the council's
        SelfAssessment.objects.update(status="submitted")
        assert client_for("other_dass").get(BASE).status_code == 200
        assert client_for("other_dass").get(API).status_code == 200
        assert client_for("no_role_user").get(BASE).status_code == 403
    finally:
        rules.set_perm("selfassessment.view_selfassessment", installed)
    assert client_for("other_dass").get(BASE).status_code == 403


# --- API shape --------------------------------------------------------------------------------------


def test_api_shape_and_numbers(cycle, birmingham, client_for):
    from scorecard.models import Measure

    assessment = submitted(
        cycle=cycle,
        council=birmingham,
        rating="amber",
        **{"performance-and-outcomes": "green", "culture-and-change": "red"},
    )
    row = assessment.domains.get(domain__slug="performance-and-outcomes")
    row.measures.set([Measure.objects.get(key="ascof-2023-1a")])
    body = client_for("coordinator").get(API).json()  # latest cycle without ?cycle
    assert body["status"] == "submitted"
    assert body["period"] == "2023-24"
    assert body["submitted_at"].startswith(str(assessment.submitted_at.date()))
    assert body["top_risks"] == ["Risk one", "Risk two", "Risk three"]
    domains = {d["domain"]: d for d in body["domains"]}
    perf = domains["performance-and-outcomes"]
    assert perf == {
        "domain": "performance-and-outcomes",
        "rating": "green",
        "strengths": "Strengths in Performance and Outcomes",
        "improvements": "Improve",
        "evidence": "Evidence",
        "measures": ["ascof-2023-1a"],
        "data_rag": {"green": 1, "amber": 0, "red": 2},
        "divergence": "rated_better_than_data",
    }
    assert domains["culture-and-change"]["data_rag"] == {"green": 0, "amber": 0, "red": 0}
    assert domains["culture-and-change"]["divergence"] is None  # no data: never a flag, never agreement


def test_api_errors(cycle, birmingham, client_for):
    submitted(cycle=cycle, council=birmingham)
    client = client_for("coordinator")
    assert client.get(API, {"cycle": "no-such-cycle"}).status_code == 404
    assert client.get("/api/councils/E99999999/self-assessment/").status_code == 404
    assert client.post(API).status_code == 405
    # A very long parameter is refused before the view (the hostile-input middleware): 400, JSON.
    too_long = client.get(API, {"cycle": "x" * 5000})
    assert too_long.status_code == 400 and too_long["Content-Type"].startswith("application/json")


def test_api_token_follows_the_same_rules(cycle, birmingham, other_dass, coordinator):
    submitted(cycle=cycle, council=birmingham)
    _, other_key = ApiToken.issue(user=other_dass, name="other")
    _, coordinator_key = ApiToken.issue(user=coordinator, name="coordinator")
    client = Client()
    assert client.get(API, HTTP_AUTHORIZATION=f"Token {other_key}").status_code == 403
    assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {coordinator_key}").status_code == 200
