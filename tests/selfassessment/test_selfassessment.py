"""Self-assessment: draft → submit → reopen, validation, the concurrent-edit conflict, history, the view
against data with hand-made values, the scorecard panels, DOCX, cycles and the demo seed."""

import io
import re

import pytest
from django.test import Client
from docx import Document

from councils.models import Council, Membership
from scorecard.models import Domain
from selfassessment import selectors, services
from selfassessment.models import SelfAssessment, SelfAssessmentCycle
from tests.factories import MembershipFactory, UserFactory
from tests.selfassessment_helpers import (
    BIRMINGHAM,
    WEST_MIDLANDS,
    drafted,
    form_data,
    hand_made_values,
    make_cycle,
    submitted,
)

EDIT = f"/councils/{BIRMINGHAM}/self-assessment/2026-27-peer-challenge/edit/"
DETAIL = f"/councils/{BIRMINGHAM}/self-assessment/2026-27-peer-challenge/"


# --- Draft → submit → reopen ------------------------------------------------------------------------


def test_draft_submit_reopen_journey(cycle, client_for, dass, coordinator, birmingham):
    client = client_for("dass")
    page = client.get(EDIT)
    assert page.status_code == 200
    assert "Market shaping; quality issues." in page.content.decode()  # the cycle's prompts

    response = client.post(EDIT, form_data(version=0, rating="", top_risk_2="", top_risk_3=""))
    assert response.status_code == 302 and response["Location"] == EDIT
    assessment = SelfAssessment.objects.get(cycle=cycle, council=birmingham)
    assert (assessment.status, assessment.version) == ("draft", 1)
    assert assessment.top_risk_1 == "Risk A"
    assert assessment.domains.count() == Domain.objects.count()

    # Continue: every answer is checked and saved as a draft, then shown for checking; nothing is submitted.
    response = client.post(EDIT, form_data(version=1, rating="green", action="check"))
    assert response.status_code == 302 and response["Location"] == DETAIL + "check/"
    assessment.refresh_from_db()
    assert (assessment.status, assessment.version) == ("draft", 2)
    check = client.get(DETAIL + "check/").content.decode()
    assert "Check your answers before you submit" in check
    assert "Submit the self-assessment" in check and 'name="version" value="2"' in check
    # A check against an older version is refused (someone saved since), and submits nothing.
    stale = client.post(DETAIL + "check/", {"version": "1"})
    assert stale["Location"] == DETAIL + "check/"
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    response = client.post(DETAIL + "check/", {"version": "2"})
    assert response.status_code == 302 and response["Location"] == DETAIL
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.submitted_by == dass
    assert assessment.submitted_at is not None

    # Read-only now: the edit page sends the council back to the read view; a POST changes nothing.
    assert client.get(EDIT)["Location"] == DETAIL
    client.post(EDIT, form_data(version=2, rating="red", action="save"))
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.domains.filter(rating="red").count() == 0
    assert "Change the self-assessment" not in client.get(DETAIL).content.decode()

    # The council cannot reopen, but asks for it to be reopened; the coordinator sees the request.
    assert client.post(DETAIL + "reopen/", {"reason": "mine"}).status_code == 403
    assert "Ask for it to be reopened" in client.get(DETAIL).content.decode()
    assert client.post(DETAIL + "reopen-request/", {"reason": "  "}).status_code == 400
    response = client.post(DETAIL + "reopen-request/", {"reason": "Wrong risk 2"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.has_reopen_request and assessment.reopen_requested_by == dass
    assert "You asked on" in client.get(DETAIL).content.decode()
    coordinator_client = client_for("coordinator")
    assert "Wrong risk 2" in coordinator_client.get(DETAIL).content.decode()
    cycle_page = coordinator_client.get(f"/regions/{WEST_MIDLANDS}/self-assessment/{cycle.slug}/")
    assert "Asks to reopen" in cycle_page.content.decode()
    missing = coordinator_client.post(DETAIL + "reopen/", {"reason": "   "})
    assert missing.status_code == 400
    assert "Enter a reason for reopening the self-assessment" in missing.content.decode()
    response = coordinator_client.post(DETAIL + "reopen/", {"reason": "Evidence for 2C is missing"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "reopened" and assessment.reopen_reason == "Evidence for 2C is missing"
    assert assessment.reopened_by == coordinator
    assert not assessment.has_reopen_request and assessment.reopen_request_reason == ""
    page = client.get(DETAIL).content.decode()
    assert "Evidence for 2C is missing" in page and "Change the self-assessment" in page
    assert client.get(EDIT).status_code == 200


def test_reopen_and_state_changes_are_post_only(cycle, client_for, birmingham):
    submitted(cycle=cycle, council=birmingham)
    assert client_for("coordinator").get(DETAIL + "reopen/").status_code == 405
    assert (
        client_for("coordinator")
        .get(f"/regions/{WEST_MIDLANDS}/self-assessment/{cycle.slug}/close/")
        .status_code
        == 405
    )


def test_submit_names_every_missing_rating_and_risk_in_the_error_summary(cycle, client_for, birmingham):
    data = form_data(version=0, action="submit", top_risk_3="   ")
    data["governance-and-leadership-rating"] = ""
    del data["culture-and-change-rating"]
    response = client_for("dass").post(EDIT, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert (
        '<a href="#id_governance-and-leadership-rating">Select a rating for Governance and Leadership</a>'
        in page
    )
    assert '<a href="#id_culture-and-change-rating">Select a rating for Culture and Change</a>' in page
    assert '<a href="#id_top_risk_3">Enter the third of your top three risks</a>' in page
    assert 'id="id_governance-and-leadership-rating"' in page  # the link target exists (first radio)
    assert page.count('<a href="#id_') == 3
    # Nothing typed is lost, and nothing was saved.
    assert "Typed strengths for Performance and Outcomes" in page
    assert not SelfAssessment.objects.filter(council=birmingham).exists()


def test_length_limits_and_text_kept_as_typed_and_escaped(cycle, client_for, birmingham):
    client = client_for("dass")
    too_long = "x" * 5001
    response = client.post(EDIT, form_data(**{"culture-and-change-strengths": too_long}))
    page = response.content.decode()
    assert "Strengths for Culture and Change must be 5,000 characters or fewer" in page
    assert too_long in page  # kept on screen
    assert not SelfAssessment.objects.exists()

    typed = '<script>alert("x")</script>\n  indented & "quoted"'
    client.post(EDIT, form_data(**{"culture-and-change-strengths": typed}))
    row = SelfAssessment.objects.get().domains.get(domain__slug="culture-and-change")
    assert row.strengths == typed  # stored as typed
    page = client.get(DETAIL).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_bad_choices_get_a_clear_error_not_a_500(cycle, client_for):
    response = client_for("dass").post(
        EDIT, form_data(**{"governance-and-leadership-rating": "purple", "version": "abc"})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select green, amber or red for Governance and Leadership" in page
    bad_measure = client_for("dass").post(
        EDIT, {**form_data(), "culture-and-change-measures": ["999999", "x"]}
    )
    assert bad_measure.status_code == 200
    assert "Choose measures from the list for Culture and Change" in bad_measure.content.decode()


def test_measures_picked_from_the_catalogue_are_saved(cycle, client_for):
    from scorecard.models import Measure

    measure = Measure.objects.get(key="ascof-2023-1c")
    client_for("dass").post(EDIT, {**form_data(), "performance-and-outcomes-measures": [str(measure.pk)]})
    row = SelfAssessment.objects.get().domains.get(domain__slug="performance-and-outcomes")
    assert list(row.measures.values_list("key", flat=True)) == ["ascof-2023-1c"]
    changed = [e for e in selectors.self_assessment_history(assessment=row.self_assessment) if e.changes]
    assert any(("measures", "(none)", "1C") in e.changes for e in changed)
    page = client_for("dass").get(EDIT).content.decode()
    assert re.search(rf'value="{measure.pk}" checked', page)


# --- Two editors ------------------------------------------------------------------------------------


def test_second_save_from_the_same_version_is_refused_and_text_kept(cycle, client_for, delegate, birmingham):
    drafted(cycle=cycle, council=birmingham)  # version 1
    first, second = client_for("dass"), client_for("delegate")
    first.post(EDIT, form_data(version=1, **{"culture-and-change-strengths": "First editor's words"}))
    response = second.post(
        EDIT, form_data(version=1, **{"culture-and-change-strengths": "Second editor's words"})
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this self-assessment while you were editing" in page
    assert "Second editor&#x27;s words" in page  # kept on screen
    row = SelfAssessment.objects.get().domains.get(domain__slug="culture-and-change")
    assert row.strengths == "First editor's words"  # never silently overwritten
    # The re-shown form carries the new version, so saving again after reading is deliberate.
    assert 'name="version" value="2"' in page
    second.post(EDIT, form_data(version=2, **{"culture-and-change-strengths": "Second editor's words"}))
    row.refresh_from_db()
    assert row.strengths == "Second editor's words"


def test_service_refuses_a_stale_version_and_a_duplicate_create(cycle, birmingham):
    drafted(cycle=cycle, council=birmingham)
    with pytest.raises(services.EditConflict):
        drafted(cycle=cycle, council=birmingham)  # expected_version=0, but it exists at version 1
    assessment = SelfAssessment.objects.get()
    with pytest.raises(services.EditConflict):
        services.self_assessment_save(
            cycle=cycle, council=birmingham, data=_input_of(assessment), user=None, expected_version=7
        )
    assert SelfAssessment.objects.get().version == 1


def _input_of(assessment):
    from tests.selfassessment_helpers import complete_input

    return complete_input("amber")


def test_closed_cycle_is_read_only(cycle, client_for, birmingham):
    drafted(cycle=cycle, council=birmingham)
    response = client_for("coordinator").post(f"/regions/{WEST_MIDLANDS}/self-assessment/{cycle.slug}/close/")
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == "closed"
    client = client_for("dass")
    assert client.get(EDIT)["Location"] == DETAIL
    with pytest.raises(services.NotEditable):
        drafted(cycle=cycle, council=Council.objects.get(gss_code="E08000026"))


# --- History ----------------------------------------------------------------------------------------


def test_history_records_who_when_and_what_changed(cycle, client_for, dass, coordinator, birmingham):
    client = client_for("dass")
    client.post(EDIT, form_data(version=0, rating=""))
    client.post(
        EDIT,
        form_data(
            version=1,
            rating="green",
            action="submit",
            **{"culture-and-change-evidence": "Local account 2026"},
        ),
    )
    client.post(DETAIL + "check/", {"version": "2"})
    client_for("coordinator").post(DETAIL + "reopen/", {"reason": "Please add evidence"})
    entries = selectors.self_assessment_history(assessment=SelfAssessment.objects.get())
    actions = [(e.what, e.action, e.who) for e in entries]
    by_reason = {e.reason: e for e in entries if e.reason}
    assert by_reason["Reopened: Please add evidence"].who == str(coordinator)
    assert ("status", "submitted", "reopened") in by_reason["Reopened: Please add evidence"].changes
    assert by_reason["Submitted"].who == str(dass)
    culture = [e for e in entries if e.what == "Culture and Change" and e.action == "Changed"]
    assert any(("evidence", "Typed evidence", "Local account 2026") in e.changes for e in culture)
    assert any(("rating", "(blank)", "green") in e.changes for e in culture)
    assert ("Culture and Change", "Created", str(dass)) in actions
    # Newest first.
    assert entries == sorted(entries, key=lambda e: e.when, reverse=True)

    for persona in ("dass", "delegate", "coordinator", "admin"):
        page = client_for(persona).get(DETAIL + "history/")
        assert page.status_code == 200, persona
        assert "Local account 2026" in page.content.decode()
    for persona in ("sli_lead", "other_dass", "no_role_user"):
        assert client_for(persona).get(DETAIL + "history/").status_code == 403, persona


def test_history_of_a_draft_is_the_councils_only(cycle, client_for, birmingham):
    drafted(cycle=cycle, council=birmingham)
    assert client_for("dass").get(DETAIL + "history/").status_code == 200
    assert client_for("coordinator").get(DETAIL + "history/").status_code == 403


# --- View against data with hand-made values --------------------------------------------------------


def test_view_against_data_uses_the_scorecard_rag(cycle, birmingham):
    submitted(
        cycle=cycle,
        council=birmingham,
        rating="amber",
        **{"performance-and-outcomes": "green", "culture-and-change": "red"},
    )
    view = selectors.self_assessment_view(cycle=cycle, council=birmingham)
    by_slug = {d.domain.slug: d for d in view.domains}
    perf = by_slug["performance-and-outcomes"].data
    assert (perf.green, perf.amber, perf.red) == (1, 0, 2)
    assert perf.divergence.value == "rated_better_than_data"
    assert perf.text == "Self-rated green; 2 of its 3 measures with a colour are red."
    culture = by_slug["culture-and-change"].data  # no values loaded: no data, never agreement
    assert culture.no_data and culture.divergence is None
    assert [d.domain.slug for d in view.divergences] == ["performance-and-outcomes"]
    assert selectors.divergence_flags(cycle=cycle, council=birmingham)[0].data.text == perf.text


def test_self_ratings_for_cycle_reads_submitted_only(cycle, birmingham, coventry):
    submitted(cycle=cycle, council=birmingham, rating="amber", **{"governance-and-leadership": "red"})
    drafted(cycle=cycle, council=coventry)
    ratings = selectors.self_ratings_for_cycle(cycle=cycle)
    assert list(ratings) == [BIRMINGHAM]
    assert ratings[BIRMINGHAM]["governance-and-leadership"] == "red"
    assert ratings[BIRMINGHAM]["culture-and-change"] == "amber"
    assert len(ratings[BIRMINGHAM]) == Domain.objects.count()


def test_this_cycle_beside_the_last(client_for, birmingham, db):
    period = hand_made_values()
    past = make_cycle(
        period=period, slug="2025-26-peer-challenge", closes_on=__import__("datetime").date(2098, 1, 1)
    )
    submitted(cycle=past, council=birmingham, rating="red")
    current = make_cycle(period=period)
    submitted(cycle=current, council=birmingham, rating="green")
    view = selectors.self_assessment_view(cycle=current, council=birmingham)
    assert view.previous_cycle == past
    assert {d.previous.rating for d in view.domains} == {"red"}
    page = client_for("dass").get(DETAIL).content.decode()
    assert "2025 26 peer challenge" in page.lower().replace("-", " ")
    # Past cycles stay readable.
    old = client_for("dass").get(f"/councils/{BIRMINGHAM}/self-assessment/{past.slug}/")
    assert old.status_code == 200


# --- The scorecard panels ---------------------------------------------------------------------------


def test_scorecard_panel_says_the_counts_once(cycle, client_for, birmingham):
    """Where the self-rating states the domain's green, amber and red counts, the panel does not repeat them."""
    url = f"/councils/{BIRMINGHAM}/scorecard/?period=2023-24"
    submitted(cycle=cycle, council=birmingham, rating="amber")  # amber beside 1 green, 2 red: no divergence
    page = client_for("sli_lead").get(url).content.decode()
    assert "Self-rated amber; the data shows 1 green, 0 amber, 2 red." in page
    sections = re.findall(r'<section class="app-domain-panel".*?</section>', page, flags=re.S)
    assert page.count("1 green, 0 amber, 2 red") == 1
    assert len(sections) == Domain.objects.count()


def test_scorecard_shows_submitted_self_rating_beside_the_data(cycle, client_for, birmingham):
    url = f"/councils/{BIRMINGHAM}/scorecard/?period=2023-24"
    drafted(cycle=cycle, council=birmingham)
    assert "Self-assessed rating" not in client_for("dass").get(url).content.decode()  # drafts never
    SelfAssessment.objects.all().delete()
    submitted(cycle=cycle, council=birmingham, rating="amber", **{"performance-and-outcomes": "green"})
    page = client_for("sli_lead").get(url).content.decode()
    assert page.count("Self-assessed rating") == Domain.objects.count()
    assert "Rated better than the data" in page
    assert "Self-rated green; 2 of its 3 measures with a colour are red." in page
    # Another council's DASS sees the scorecard but not the self-assessment.
    other = client_for("other_dass").get(url).content.decode()
    assert "Self-assessed rating" not in other and "Self-rated green" not in other


def test_scorecard_query_count_with_self_ratings(
    cycle, client_for, birmingham, django_assert_max_num_queries
):
    submitted(cycle=cycle, council=birmingham)
    client = client_for("sli_lead")
    # The scorecard's own limit (12, tests/scorecard/scorecards/test_pages.py) holds with the self-ratings' one query.
    with django_assert_max_num_queries(12):
        response = client.get(f"/councils/{BIRMINGHAM}/scorecard/")
    assert "Self-assessed rating" in response.content.decode()


def test_detail_page_query_count(cycle, client_for, birmingham, django_assert_max_num_queries):
    submitted(cycle=cycle, council=birmingham)
    client = client_for("dass")
    with django_assert_max_num_queries(20):
        assert client.get(DETAIL).status_code == 200
    coordinator_client = client_for("coordinator")
    with django_assert_max_num_queries(16):
        response = coordinator_client.get(f"/api/councils/{BIRMINGHAM}/self-assessment/")
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = coordinator_client.get(f"/regions/{WEST_MIDLANDS}/self-assessment/{cycle.slug}/")
    assert response.status_code == 200


# --- DOCX -------------------------------------------------------------------------------------------


def test_docx_export_opens_and_carries_the_content(cycle, client_for, birmingham):
    submitted(cycle=cycle, council=birmingham, rating="amber", **{"performance-and-outcomes": "green"})
    response = client_for("coordinator").get(DETAIL + "export.docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert (
        'filename="self-assessment-birmingham-2026-27-peer-challenge.docx"' in response["Content-Disposition"]
    )
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Birmingham: self-assessment" in text
    assert "Performance and Outcomes: Self-rated green; 2 of its 3 measures with a colour are red." in text
    assert "Risk three" in text
    assert "Strengths in Culture and Change" in cells
    assert len(document.tables) == Domain.objects.count()
    assert client_for("other_dass").get(DETAIL + "export.docx").status_code == 403


# --- Cycles -----------------------------------------------------------------------------------------


def test_coordinator_opens_a_cycle_with_editable_prompts(db, client_for, coordinator):
    period = hand_made_values()
    url = f"/regions/{WEST_MIDLANDS}/self-assessment/new/"
    assert client_for("dass").get(url).status_code == 403
    assert client_for("sli_lead").get(url).status_code == 403
    client = client_for("coordinator")
    form = client.get(url).content.decode()
    assert "Political change; organisational change" in form
    bad = client.post(url, {"name": "", "closes_on": "2020-01-01", "period": period.pk})
    page = bad.content.decode()
    assert "Enter a name for the cycle" in page and "The closing date must be today or in the future" in page
    # The GOV.UK error summary links each mistake to its field.
    assert '<a href="#id_name">Enter a name for the cycle</a>' in page
    assert '<a href="#id_closes_on">The closing date must be today or in the future</a>' in page
    assert (
        client.post(
            url, {"name": "2027-28 peer challenge", "closes_on": "31/13/2099", "period": period.pk}
        ).status_code
        == 200
    )
    response = client.post(
        url,
        {
            "name": "2027-28 peer challenge",
            "closes_on": "2099-01-31",
            "period": period.pk,
            "prompt-culture-and-change": "Our own prompt",
        },
    )
    assert response.status_code == 302
    cycle = SelfAssessmentCycle.objects.get()
    assert (cycle.slug, cycle.created_by, cycle.prompts["culture-and-change"]) == (
        "2027-28-peer-challenge",
        coordinator,
        "Our own prompt",
    )
    again = client.post(
        url, {"name": "2027-28 Peer Challenge", "closes_on": "2099-01-31", "period": period.pk}
    )
    assert "already has a cycle called" in again.content.decode()
    # The cycle page lists every council with its status.
    listing = client.get(cycle.get_absolute_url()).content.decode()
    assert listing.count("Not started") == Council.objects.filter(region__gss_code=WEST_MIDLANDS).count()


def test_latest_cycle_link_and_no_cycle_page(db, client_for):
    client = client_for("dass")
    assert (
        "No self-assessment cycle has been opened"
        in client.get(f"/councils/{BIRMINGHAM}/self-assessment/").content.decode()
    )
    make_cycle(period=hand_made_values())
    assert client.get(f"/councils/{BIRMINGHAM}/self-assessment/")["Location"] == DETAIL
    assert client.get(f"/councils/{BIRMINGHAM}/self-assessment/no-such-cycle/").status_code == 404


# --- Demo -------------------------------------------------------------------------------------------


def test_demo_seed_gives_every_council_a_self_assessment(db, settings):
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed

    demo_values_seed()
    summary = self_assessment_demo_seed()
    assert (summary.cycles_created, summary.assessments_created) == (3, 42)
    current = SelfAssessmentCycle.objects.get(slug="2026-27-peer-challenge")
    past = SelfAssessmentCycle.objects.get(slug="2025-26-peer-challenge")
    assert current.is_open and not past.is_open and current.is_demo
    statuses = list(SelfAssessment.objects.filter(cycle=current).values_list("status", flat=True))
    assert len(statuses) == 14 and statuses.count("draft") == 1 and statuses.count("submitted") == 13
    assert SelfAssessment.objects.filter(cycle=past, status="submitted").count() == 14
    assert all(SelfAssessment.objects.values_list("is_demo", flat=True))
    better = [
        c
        for c in Council.objects.filter(region__gss_code=WEST_MIDLANDS)
        if any(
            d.data.divergence and d.data.divergence.value == "rated_better_than_data"
            for d in selectors.divergence_flags(cycle=current, council=c)
        )
    ]
    assert len(better) >= 2
    # A cycle on CQC's statements too, every self-score synthetic and labelled as demo.
    cqc = SelfAssessmentCycle.objects.get(slug="2026-27-cqc-assurance")
    assert cqc.framework.slug == "cqc-local-authority" and cqc.is_demo and cqc.is_open
    scored = SelfAssessment.objects.filter(cycle=cqc, status="submitted")
    assert scored.count() == 13 and all(a.is_demo for a in scored)
    scores = [s.score for a in scored for s in a.statements.all()]
    assert len(scores) == 13 * 9 and set(scores) <= {1, 2, 3, 4} and len(set(scores)) >= 3
    again = self_assessment_demo_seed()
    assert (again.cycles_created, again.assessments_created) == (0, 0)


def test_demo_pages_are_labelled(db, client_for):
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed

    demo_values_seed()
    self_assessment_demo_seed()
    page = client_for("dass").get(DETAIL).content.decode()
    assert "These figures are synthetic demo data" in page


def test_other_region_users_cannot_reach_it_by_url(cycle, birmingham, db):
    submitted(cycle=cycle, council=birmingham)
    from councils.models import Region

    north_west = Region.objects.exclude(gss_code=WEST_MIDLANDS).first()
    lead = MembershipFactory(
        user=UserFactory(username="nw.lead"), role=Membership.Role.SLI_LEAD, region=north_west
    ).user
    client = Client()
    client.force_login(lead)
    assert client.get(DETAIL).status_code == 403


def test_admin_lists_cycles_and_self_assessments(cycle, birmingham, client_for):
    assessment = submitted(cycle=cycle, council=birmingham)
    client = client_for("admin")
    for url in (
        "/admin/selfassessment/selfassessmentcycle/",
        f"/admin/selfassessment/selfassessmentcycle/{cycle.pk}/change/",
        "/admin/selfassessment/selfassessment/",
        f"/admin/selfassessment/selfassessment/{assessment.pk}/change/",
        f"/admin/selfassessment/selfassessment/{assessment.pk}/history/",
    ):
        assert client.get(url).status_code == 200, url


def test_line_ends_count_once_against_the_limit(cycle, client_for):
    text = ("a" * 9 + "\r\n") * 500  # 5,000 characters with LF line ends, 5,500 with CRLF
    response = client_for("dass").post(EDIT, form_data(**{"culture-and-change-evidence": text}))
    assert response.status_code == 302
    row = SelfAssessment.objects.get().domains.get(domain__slug="culture-and-change")
    assert row.evidence == text.replace("\r\n", "\n") and len(row.evidence) == 5000
