"""The pack's assurance section: CQC's scores and rating, the self-assessment by statement and the gaps, in the
PDF (read back with pdftotext) and the Word pro-forma (python-docx), with the questions they raise."""

import datetime as dt
import re

import pytest

from councils.models import Council
from peerchallenge.packs import docx_export, pdf, selectors, services
from peerchallenge.packs import triggers as tr
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.scoring import cqc_rating
from tests.pack_helpers import (
    BIRMINGHAM,
    COVENTRY,
    SECTIONS,
    docx_text,
    pdf_pages,
    self_assessed_demo_seed,
    small_summit,
    stored,
)

pytestmark = [pytest.mark.pdf, pytest.mark.django_db]

# Statement 4 (Care provision, integration and continuity) significant shortfalls; 2 and 7 some shortfalls.
SCORES = (3, 2, 3, 1, 3, 3, 2, 3, 4)
REPORT = "https://www.cqc.org.uk/care-services/local-authority-assessment-reports/birmingham"


@pytest.fixture
def demo_summit_by_domains():
    from selfassessment.models import SelfAssessmentCycle

    self_assessed_demo_seed()
    # The six-domain cycle; the demo's self-assessment by CQC's statements is set aside here (its self-scores
    # would turn some shortfall questions into self-score questions: see the test of the two together).
    SelfAssessmentCycle.objects.filter(framework__compared_with_cqc=True).delete()
    cycle = SelfAssessmentCycle.objects.filter(region__gss_code="E12000005").order_by("-closes_on").first()
    return small_summit(cycle=cycle)


def assess(
    code: str = BIRMINGHAM, scores: tuple[int, ...] = SCORES, *, demo: bool = False, report: str = REPORT
):  # type: ignore[no-untyped-def]
    outcome = CqcOutcome(
        council=Council.objects.get(gss_code=code),
        assessed_on=dt.date(2025, 5, 1),
        scores=scores,
        rating=cqc_rating(scores),
        report_url="" if demo else report,
    )
    return cqc_assessment_save(outcome=outcome, is_demo=demo, source="demo" if demo else "manual")[0]


def words(text: str) -> str:
    return " ".join(text.split())


def section(text: str, title: str, following: str) -> str:
    """The body of a section: from its heading (not the contents' line) to the next section's heading."""
    start = [m.start() for m in re.finditer(re.escape(title), text)][-1]
    return text[start : text.index(following, start)]


def test_the_pdf_and_the_pro_forma_carry_cqcs_assessment_and_its_questions(storage, demo_summit_by_domains):
    assess()
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    coventry = Council.objects.get(gss_code=COVENTRY)
    question_set = services.question_set_get_or_create(
        summit=demo_summit_by_domains, challenger=coventry, challenged=birmingham
    )
    cqc_questions = list(question_set.questions.filter(trigger=tr.CQC_SHORTFALL).order_by("position"))
    assert len(cqc_questions) == 3  # statements 2, 4 and 7: one question each, worded differently
    assert len({q.text[:30] for q in cqc_questions}) == 3

    files = services.pack_files_get_or_build(council=birmingham, summit=demo_summit_by_domains)
    pages = pdf_pages(stored(files.pdf))
    text = "\n".join(pages)
    # Page one names CQC's verdict and the statements scored 1 or 2, in CQC's words.
    cover = words(pages[0])
    assert "CQC's assessment" in cover
    assert "CQC assessed Birmingham in May 2025 and rated it Good overall." in cover
    assert (
        "It found significant shortfalls in Care provision, integration and continuity; some shortfalls in "
        "Supporting people to live healthier lives and Safeguarding." in cover
    )
    # The section: every statement with CQC's score in words, the rating, the month and the report.
    for title in SECTIONS:
        assert title in text, title
    laid_out = section(text, "5. Assurance: CQC's assessment", "6. Risk triggers found in the data")
    body = words(laid_out)
    assert "Overall rating: Good" in body and "May 2025" in body and REPORT in body
    for statement, score in (
        ("1. Assessing needs", "3: Good standard"),
        ("2. Supporting people", "2: Some shortfalls"),
        ("4. Care provision", "1: Significant shortfalls"),
        ("7. Safeguarding", "2: Some shortfalls"),
        ("9. Learning, improvement", "4: Exceptional"),
    ):  # each statement's row (its first line: a long name or score wraps onto the next)
        row = next(line for line in laid_out.splitlines() if statement in line)
        assert score in row, (statement, row)
    assert "No self-assessment by CQC's quality statements is recorded for Birmingham" in body
    assert "Demo data: these scores are synthetic" not in body  # a real outcome is not called demo
    # The triggers and the questions, with their evidence in words.
    triggers = words(section(text, "6. Risk triggers found in the data", "7. Pro-forma question set"))
    assert (
        "CQC's assessment of May 2025: Care provision, integration and continuity scored 1 of 4, significant "
        "shortfalls." in triggers
    )
    questions = words(text[text.rindex("7. Pro-forma question set") :])
    for question in cqc_questions:
        assert words(question.text) in questions
    assert "(CQC assessment)" in questions

    paragraphs, tables = docx_text(stored(files.docx))
    prose = [t for _, t in paragraphs]
    assert "CQC's assessment" in prose
    assert any(t.startswith("CQC assessed Birmingham in May 2025. Overall rating: Good.") for t in prose)
    assert any(REPORT in t for t in prose)
    statements = tables[0]
    assert statements[0] == "Quality statement | CQC's score | Self-score"
    assert "4. Care provision, integration and continuity | 1: Significant shortfalls | –" in statements
    assert len(statements) == 10
    asked = [t for t in tables[1:] if any("CQC's assessment of May 2025" in row for row in t)]
    assert len(asked) == 3 and all("Domain | CQC assessment" in t for t in asked)


def test_the_question_set_page_files_cqcs_questions_under_cqc_assessment(demo_summit_by_domains, client_for):
    assess()
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    coventry = Council.objects.get(gss_code=COVENTRY)
    question_set = services.question_set_get_or_create(
        summit=demo_summit_by_domains, challenger=coventry, challenged=birmingham
    )
    positions = list(
        question_set.questions.filter(trigger=tr.CQC_SHORTFALL)
        .order_by("position")
        .values_list("position", flat=True)
    )
    ordered = list(question_set.questions.order_by("position", "pk").values_list("position", flat=True))
    page = words(
        client_for("coordinator")
        .get(f"/summits/{demo_summit_by_domains.pk}/questions/{BIRMINGHAM}/")
        .content.decode()
    )
    for position in positions:
        assert f"Question {ordered.index(position) + 1}: CQC assessment" in page


def test_a_council_cqc_has_not_assessed_reads_not_yet_assessed_and_gets_no_cqc_question(demo):
    coventry = Council.objects.get(gss_code=COVENTRY)
    pack = selectors.pack_build_data(council=coventry)
    assert pack.assurance.assessment is None
    assert not [t for t in pack.triggers if t.kind in tr.CQC_KINDS]
    html = words(pdf.pack_html(pack=pack))
    assert "Not yet assessed:</strong> no CQC assessment of Coventry is recorded here." in html
    assert html.count("Not yet assessed</td>") == 9
    brief = html[: html.index('<section class="toc">')]
    assert "CQC" not in brief  # nothing scored 1 or 2: the brief does not mention it
    paragraphs, tables = docx_text(docx_export.pro_forma_docx(pack=pack))
    assert "Not yet assessed: no CQC assessment of Coventry is recorded here." in [t for _, t in paragraphs]
    assert tables[0][1] == "1. Assessing needs | Not yet assessed | –"


def test_no_statement_scored_1_or_2_keeps_the_brief_clear_of_cqc(demo):
    assess(scores=(3, 3, 3, 4, 3, 3, 3, 3, 3))
    pack = selectors.pack_build_data(council=Council.objects.get(gss_code=BIRMINGHAM))
    html = words(pdf.pack_html(pack=pack))
    assert "Overall rating: <strong>Good</strong>" in html
    assert "CQC assessed Birmingham" not in html[: html.index('<section class="toc">')]
    assert not [t for t in pack.triggers if t.kind in tr.CQC_KINDS]


def test_synthetic_cqc_scores_are_labelled_as_demo(demo):
    from scorecard.assurance.demo import cqc_demo_seed, demo_scores

    cqc_demo_seed(region_gss_code="E12000005")
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    pack = selectors.pack_build_data(council=birmingham)
    assert pack.assurance.is_demo and "CQC's scores" in pack.demo_parts
    assert (
        "CQC's scores are made up too." in pack.demo_note
    )  # the figures are demo too: one sentence names both
    html = words(pdf.pack_html(pack=pack))
    assert "Demo data: these scores are synthetic, made up for demonstration." in html
    assert "No address for CQC's report is recorded" not in html  # demo outcomes have none, on purpose
    if min(demo_scores(BIRMINGHAM)) <= 2:
        assert "(synthetic demo scores, not CQC's)" in html[: html.index('<section class="toc">')]
        assert all("synthetic demo scores" in t.evidence for t in pack.triggers if t.kind in tr.CQC_KINDS)
    paragraphs, _ = docx_text(docx_export.pro_forma_docx(pack=pack))
    assert any(t.startswith("Demo data: these scores are synthetic") for _, t in paragraphs)


def test_the_self_assessment_by_statement_and_its_gaps_show_and_raise_questions(demo):
    """The hook gives nothing today; the self-assessment app's gaps, passed as data, fill the section."""
    assess()
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    assert (
        selectors.statement_self_assessment(council=birmingham, cycle=None)
        == selectors.StatementSelfAssessment()
    )
    own = selectors.StatementSelfAssessment(
        scores={1: 3, 2: 2, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3, 8: 3, 9: 3},
        gaps=(tr.StatementGap(number=4, self_score=3, cqc_score=1), tr.StatementGap(7, 3, 2)),
    )
    pack = selectors.pack_build_data(council=birmingham, statements_self=own)
    kinds = [(t.kind, t.evidence.split(":")[0]) for t in pack.triggers if t.kind in tr.CQC_KINDS]
    assert kinds == [
        (tr.SELF_ABOVE_CQC, "Care provision, integration and continuity"),
        (tr.SELF_ABOVE_CQC, "Safeguarding"),
        (tr.CQC_SHORTFALL, "CQC's assessment of May 2025"),  # statement 2 only: 4 and 7 are asked as gaps
    ]
    html = words(pdf.pack_html(pack=pack))
    assert (
        "Birmingham scored itself above CQC on Care provision, integration and continuity and Safeguarding."
        in html
    )
    assert "Birmingham scored itself above CQC on 2 statements:" in html
    assert "3: Good standard (above CQC's)" in html
    assert "You scored yourselves higher on Care provision, integration and continuity than CQC did." in html
    _, tables = docx_text(docx_export.pro_forma_docx(pack=pack))
    assert "7. Safeguarding | 2: Some shortfalls | 3: Good standard (above CQC's)" in tables[0]
    assert "1. Assessing needs | 3: Good standard | 3: Good standard" in tables[0]


def test_a_new_cqc_outcome_makes_a_new_pack_version(demo):
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    before = selectors.pack_version(council=birmingham, period=None, summit=None, include_questions=True)
    assess()
    after = selectors.pack_version(council=birmingham, period=None, summit=None, include_questions=True)
    assert before != after


def test_the_pack_sets_the_councils_own_scores_by_statement_beside_cqcs_and_asks_about_the_gaps():
    """The demo's submitted self-assessment by CQC's statements feeds the pack: its self-scores, and a
    question for each statement scored above CQC's, the same gaps the assurance page and API show."""
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed
    from selfassessment.selectors import assurance_gaps

    demo_values_seed()
    self_assessment_demo_seed()
    assess(scores=(2, 2, 2, 2, 2, 2, 2, 2, 2))
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    gaps = assurance_gaps(council=birmingham)
    assert gaps, "the demo self-assessment scores some statement above 2"
    pack = selectors.pack_build_data(council=birmingham, period=None, summit=None)
    assert pack.assurance.own.scores and pack.assurance.own.is_demo
    assert {gap.number for gap in pack.assurance.own.gaps} == {gap.number for gap in gaps}
    assert "the self-assessment by CQC's statements" in pack.demo_parts
    above = [t for t in pack.triggers if t.kind == tr.SELF_ABOVE_CQC]
    assert len(above) == len(gaps)
