"""A self-assessment cycle on CQC's quality statements, end to end through the pages, for every role: opened,
filled, checked, submitted, reopened with a reason, its history, and its Word file read back."""

import io
from datetime import date

import pytest
from docx import Document

from scorecard.scoring import CQC_STATEMENTS
from selfassessment.frameworks import CQC_LOCAL_AUTHORITY, SIX_DOMAINS
from selfassessment.models import (
    SelfAssessment,
    SelfAssessmentCycle,
    SelfAssessmentFramework,
    StatementAssessment,
)
from tests.selfassessment_helpers import BIRMINGHAM, WEST_MIDLANDS, cqc_form_data, hand_made_values

pytestmark = pytest.mark.django_db

# The permission matrix's roles, as this suite's persona fixtures (tests/conftest.py).
ROLES = {
    "admin": "admin",
    "wm_lead": "sli_lead",
    "wm_coordinator": "coordinator",
    "dass": "dass",  # Birmingham
    "delegate": "delegate",  # Birmingham
    "other_dass": "other_dass",  # Coventry, same region, not its challenger
    "other_region_lead": "other_region_lead",
    "other_region_coordinator": "other_region_coordinator",
    "no_role": "no_role_user",
}
DRAFT_READERS = {"admin", "dass", "delegate"}
SUBMITTED_READERS = {"admin", "wm_lead", "wm_coordinator", "dass", "delegate"}
HISTORY_READERS = {"admin", "wm_coordinator", "dass", "delegate"}
CYCLE_OPENERS = {"admin", "wm_coordinator"}
SCORES = [3, 2, 3, 3, 4, 2, 3, 3, 3]  # 26 of 36: 72.2%, Good


@pytest.fixture
def clients(client_for):
    return {role: client_for(persona) for role, persona in ROLES.items()}


def _statuses(clients, url: str, method: str = "get", data=None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {role: getattr(client, method)(url, data or {}).status_code for role, client in clients.items()}


def _expect(allowed: set[str], status: int = 200, denied: int = 403) -> dict[str, int]:
    return {role: status if role in allowed else denied for role in ROLES}


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_the_frameworks_are_data_and_cqcs_statements_come_from_the_one_list():
    cqc = SelfAssessmentFramework.objects.get(slug=CQC_LOCAL_AUTHORITY)
    assert cqc.by_statements and cqc.compared_with_cqc
    rows = [(s.number, s.theme, s.name, s.url) for s in cqc.statements.all()]
    assert rows == [(s.number, s.theme, s.name, s.url) for s in CQC_STATEMENTS]
    assert [r[2] for r in rows][:3] == [
        "Assessing needs",
        "Supporting people to live healthier lives",
        "Equity in experience and outcomes",
    ]
    assert len({r[1] for r in rows}) == 4
    assert not SelfAssessmentFramework.objects.get(slug=SIX_DOMAINS).by_statements


def test_a_full_cqc_cycle_for_every_role(clients, birmingham, dass, coordinator):
    period = hand_made_values()
    cqc = SelfAssessmentFramework.objects.get(slug=CQC_LOCAL_AUTHORITY)
    new_url = f"/regions/{WEST_MIDLANDS}/self-assessment/new/"
    form = clients["wm_coordinator"].get(new_url).content.decode()
    assert "CQC&#x27;s assessment of local authorities" in form and "The six domains" in form

    # Open: only admins and the region's coordinator.
    refused = {role: c.post(new_url, {"name": "x"}).status_code for role, c in clients.items()}
    assert refused == _expect(CYCLE_OPENERS)  # the openers get the form back with its errors
    response = clients["wm_coordinator"].post(
        new_url,
        {
            "name": "2026-27 CQC assurance",
            "closes_on": "2099-01-31",
            "period": period.pk,
            "framework": cqc.pk,
        },
    )
    assert response.status_code == 302
    cycle = SelfAssessmentCycle.objects.get(slug="2026-27-cqc-assurance")
    assert (cycle.framework, cycle.created_by) == (cqc, coordinator)
    base = f"/councils/{BIRMINGHAM}/self-assessment/{cycle.slug}/"

    # Fill: the page offers each statement, in CQC's words, linking to CQC's page for it.
    page = clients["dass"].get(base + "edit/").content.decode()
    for statement in CQC_STATEMENTS:
        assert f"{statement.number} {statement.name}" in page
    assert "Significant shortfalls" in page and "Exceptional standard" in page and statement.url in page
    incomplete = clients["dass"].post(base + "edit/", cqc_form_data(scores=[3] * 8 + [None], action="check"))
    assert "Select a score for 9 Learning, improvement and innovation" in incomplete.content.decode()
    assert not SelfAssessment.objects.exists()  # nothing saved when a check fails
    saved = clients["dass"].post(base + "edit/", cqc_form_data(scores=SCORES, action="check"))
    assert saved.status_code == 302 and saved["Location"].endswith("/check/")
    assessment = SelfAssessment.objects.get(cycle=cycle, council=birmingham)
    first = StatementAssessment.objects.get(self_assessment=assessment, statement__number=1)
    assert (first.score, first.strengths) == (3, "Typed strengths 1")
    assert first.actions == [
        {"what": "Typed action 1", "owner": "Principal social worker", "due": "2027-03-31"}
    ]

    # A draft: its council and admins only.
    assert _statuses(clients, base) == _expect(DRAFT_READERS)
    check = clients["dass"].get(base + "check/").content.decode()
    assert (
        "72.2%" in check
        and "Good" in check
        and "Typed action 5, owner Principal social worker, by 31 March 2027" in check
    )

    # Submit (from the check page, naming the version checked).
    assert clients["dass"].post(base + "check/", {"version": assessment.version}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    assert _statuses(clients, base) == _expect(SUBMITTED_READERS)
    detail = clients["wm_lead"].get(base).content.decode()
    assert (
        "Self-score 5: Exceptional standard" not in detail
    )  # the number is the statement's, not the score's
    assert "Self-score 4: Exceptional standard" in detail and "72.2%: <strong>Good</strong>" in detail
    assert "How the local authority ensures safety within the system" in detail

    # The Word file: every reader downloads it; read back as a director would.
    assert _statuses(clients, base + "export.docx") == _expect(SUBMITTED_READERS)
    text = _docx_text(clients["wm_lead"].get(base + "export.docx").content)
    assert "Implied rating: Good (72.2% of the most the scores could be, by CQC's thresholds)." in text
    assert "7 Safeguarding" in text and "3: Good standard" in text and "2: Some shortfalls" in text
    assert "Typed action 9; owner: Principal social worker; by 31 March 2027" in text

    # Reopen: the coordinator (or an admin), with a reason; the council may only ask.
    reopen = base + "reopen/"
    assert clients["dass"].post(reopen, {"reason": "x"}).status_code == 403
    assert clients["wm_coordinator"].post(reopen, {"reason": ""}).status_code == 400
    assert clients["wm_coordinator"].post(reopen, {"reason": "Score 6 again"}).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.reopen_reason) == (SelfAssessment.Status.REOPENED, "Score 6 again")

    # Optimistic locking: a save from the version before the reopening is refused, keeping what was typed.
    stale = clients["delegate"].post(
        base + "edit/", cqc_form_data(scores=[*SCORES[:5], 3, *SCORES[6:]], version=assessment.version - 1)
    )
    assert stale.status_code == 409 and "Typed strengths 6" in stale.content.decode()
    changed = clients["delegate"].post(
        base + "edit/", cqc_form_data(scores=[*SCORES[:5], 3, *SCORES[6:]], version=assessment.version)
    )
    assert changed.status_code == 302
    assert StatementAssessment.objects.get(self_assessment=assessment, statement__number=6).score == 3

    # History: who changed what, and why it was reopened.
    assert _statuses(clients, base + "history/") == _expect(HISTORY_READERS)
    history = clients["dass"].get(base + "history/").content.decode()
    assert "Reopened: Score 6 again" in history and "6 Safe systems, pathways and transitions" in history
    assert "Submitted" in history


def test_the_implied_rating_needs_every_statement_and_follows_cqcs_rule(birmingham, dass):
    from selfassessment import selectors, services
    from tests.selfassessment_helpers import cqc_input, make_cqc_cycle

    cycle = make_cqc_cycle(period=hand_made_values())
    services.self_assessment_save(
        cycle=cycle, council=birmingham, data=cqc_input([2] * 8 + [None]), user=dass, expected_version=0
    )
    view = selectors.self_assessment_view(cycle=cycle, council=birmingham)
    assert view.implied is None  # not every statement is scored
    for scores, percent, rating in [
        ([1] * 9, "25.0", "Inadequate"),
        ([2, 1, 1, 2, 1, 2, 1, 2, 2], "38.9", "Requires improvement"),  # 14 of 36 rounds to 39
        ([3, 3, 2, 2, 2, 3, 3, 2, 3], "63.9", "Good"),
        ([4, 4, 4, 3, 4, 4, 4, 4, 4], "97.2", "Outstanding"),
    ]:
        assessment = SelfAssessment.objects.get(cycle=cycle, council=birmingham)
        services.self_assessment_save(
            cycle=cycle,
            council=birmingham,
            data=cqc_input(scores),
            user=dass,
            expected_version=assessment.version,
        )
        implied = selectors.self_assessment_view(cycle=cycle, council=birmingham).implied
        assert implied is not None and (str(implied[0]), implied[1].value) == (percent, rating)


def test_a_framework_added_as_data_works_without_code(birmingham, dass, client_for):
    """A region's own framework: rows in the admin's tables, nothing else."""
    from selfassessment import services
    from selfassessment.models import FrameworkStatement
    from tests.selfassessment_helpers import make_cycle

    own = SelfAssessmentFramework.objects.create(slug="wm-own", name="West Midlands' own", kind="statements")
    FrameworkStatement.objects.create(framework=own, number=1, theme="Our people", name="Workforce")
    FrameworkStatement.objects.create(framework=own, number=2, theme="Our people", name="Leadership")
    cycle = make_cycle(period=hand_made_values(), slug="wm-own-2027", framework="wm-own")
    statements = {s.number: s for s in own.statements.all()}
    services.self_assessment_save(
        cycle=cycle,
        council=birmingham,
        data=services.SelfAssessmentInput(
            domains={},
            statements={s.pk: services.StatementInput(score=n + 1) for n, s in statements.items()},
            top_risks=["A", "B", "C"],
        ),
        user=dass,
        expected_version=0,
        submit=True,
    )
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/self-assessment/{cycle.slug}/").content.decode()
    assert "1 Workforce" in page and "Self-score 3: Good standard" in page and "Our people" in page


def test_a_cycle_opened_without_a_choice_is_on_the_six_domains(client_for):
    period = hand_made_values()
    url = f"/regions/{WEST_MIDLANDS}/self-assessment/new/"
    client_for("coordinator").post(
        url, {"name": "Plain", "closes_on": str(date(2099, 1, 1)), "period": period.pk}
    )
    assert SelfAssessmentCycle.objects.get(slug="plain").framework.slug == SIX_DOMAINS


def test_an_admin_edits_the_frameworks(client_for):
    cqc = SelfAssessmentFramework.objects.get(slug=CQC_LOCAL_AUTHORITY)
    client = client_for("admin")
    assert client.get("/admin/selfassessment/selfassessmentframework/").status_code == 200
    page = client.get(f"/admin/selfassessment/selfassessmentframework/{cqc.pk}/change/").content.decode()
    assert "Equity in experience and outcomes" in page
    assert client_for("coordinator").get("/admin/selfassessment/selfassessmentframework/").status_code == 302
