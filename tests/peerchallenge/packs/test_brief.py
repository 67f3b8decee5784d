"""What a director reads: the pack's one-page brief, plain words, fair questions, and Word files in the house
style. Real-shaped data (the shared ASCOF extract, its later years absent, with the real neighbour groups) and
the demo summit; every document is read back from its file (pdftotext, python-docx)."""

import io
import re

import pytest
from django.core.management import call_command
from docx import Document
from docx.shared import Mm

from councils.models import Council
from peerchallenge.packs import selectors, services
from peerchallenge.packs.models import Question
from scorecard.models import Period
from tests.pack_helpers import BIRMINGHAM, COVENTRY, docx_text, pdf_pages, small_summit, stored

pytestmark = pytest.mark.django_db

# Words meant for developers: a documentation path, a Markdown file, the statistic's name, a framework code.
JARGON = re.compile(r"docs/|\b\w+\.md\b|\bMADs?\b|ascof_20\d\d")
COLOPHON = "About this pack"


@pytest.fixture
def real_extract(db):
    from tests.files import REAL_NEIGHBOURS, import_real_file

    import_real_file()
    call_command("import_neighbours", REAL_NEIGHBOURS, stdout=io.StringIO())
    return Period.objects.filter(values__isnull=False).distinct().order_by("-start_year").first()


def words(text: str) -> str:
    return " ".join(text.split())


def body_and_colophon(pages: list[str]) -> tuple[str, str]:
    """The pack's text before its colophon, and the colophon (the last "About this pack", not the contents')."""
    text = "\n".join(pages)
    at = text.rindex(COLOPHON)
    return text[:at], text[at:]


def assert_docx_in_house_style(data: bytes, *, header: list[str]) -> None:
    """A4, the header naming what the document is about, "Page n of N" fields in the footer."""
    document = Document(io.BytesIO(data))
    for section in document.sections:
        assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
        head = " ".join(p.text for p in section.header.paragraphs)
        assert all(part in head for part in header), head
        footer = section.footer._element.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer), footer
        assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer)
        assert "Page " in " ".join(p.text for p in section.footer.paragraphs)


def test_a_real_data_pack_opens_with_a_one_page_brief_and_never_asks_about_a_figure_never_due(
    storage, real_extract
):
    """The latest loaded period (2019-20): the carers' survey did not run that year, so its five measures are
    one line of the brief, not a question; page one holds the brief whole, with its five questions."""
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    pack = selectors.pack_build_data(council=birmingham, period=real_extract)
    assert pack.period == real_extract and real_extract.label == "2019-20"
    files = services.pack_files_get_or_build(council=birmingham, period=real_extract)
    pages = pdf_pages(stored(files.pdf))
    brief = words(pages[0])

    # Page one is the brief, whole: comparators in a sentence, concerns, strengths, self-rating, questions,
    # what was not published. The contents follow on page two.
    assert brief.startswith("Peer challenge brief")
    for heading in ("Headline concerns", "Strengths", "Where the self-rating is above the figures"):
        assert heading in brief, heading
    assert "15 nearest neighbours: the councils most like it" in brief
    assert "has not submitted a self-assessment in any cycle" in brief
    assert len(pack.brief.concerns) >= 3 and all(c.figure in brief for c in pack.brief.concerns)
    assert "Contents" not in pages[0] and "Contents" in pages[1]
    top = pack.top_questions
    assert len(top) == 5
    for question in top:
        assert words(question.text) in brief, question.text
    assert "Not published for 2019-20 (the survey of carers runs every two years)" in brief
    for code in ("1D", "1I2", "3B", "3C", "3D2"):
        assert re.search(rf"\b{code} ", brief.split("Not published for")[1]), code

    # No question about a figure that was never due, or that reads "No data".
    for question in pack.questions:
        assert "No data" not in question.text and "no published figure" not in question.text.lower()
        assert not re.search(r"\b(1D|1I2|3B|3C|3D2)\b", question.text), question.text
    section_six = words(pages[-1] if "7. Pro-forma" in pages[-1] else "\n".join(pages)).split(
        "7. Pro-forma question set"
    )[-1]
    assert "No data" not in section_six.split(COLOPHON)[0]

    # Plain words: no path, file, statistic or framework code but in the colophon, which keeps them.
    body, colophon = body_and_colophon(pages)
    assert not JARGON.search(body), JARGON.search(body)
    assert "Data version" not in body and "Data version" in colophon and "ascof_2014" in colophon
    assert "worst quarter of councils in England" in words(body)  # how the colour is decided
    assert '"Slightly", "clearly" and "much" worse or better' in words(pages[1])

    # The pro-forma: A4, named header, page numbers, no jargon but its colophon line.
    assert_docx_in_house_style(stored(files.docx), header=["Birmingham", "2019-20"])
    paragraphs, tables = docx_text(stored(files.docx))
    text = "\n".join([t for _, t in paragraphs[:-1]] + [row for table in tables for row in table])
    assert not JARGON.search(text) and "Data version" not in text
    assert "Data version" in paragraphs[-1][1]
    assert sum("(top five)" in t for _, t in paragraphs) == 5


def test_the_brief_names_the_challengers_top_five_and_the_pro_forma_keeps_their_order(storage):
    """A challenger moves questions across domains and marks five: the brief lists those five, in their
    order; section 7 and the Word pro-forma keep the challenger's order, never regrouped by domain."""
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed
    from selfassessment.models import SelfAssessmentCycle

    demo_values_seed()
    self_assessment_demo_seed()
    cycle = SelfAssessmentCycle.objects.filter(region__gss_code="E12000005").order_by("-closes_on").first()
    summit = small_summit(cycle=cycle)
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    question_set = services.question_set_get_or_create(
        summit=summit, challenger=Council.objects.get(gss_code=COVENTRY), challenged=birmingham
    )
    from scorecard.models import Domain

    for domain in Domain.objects.order_by("position")[:3]:
        services.question_add(
            question_set=question_set, text=f"How does {domain.name} feel to staff?", domain=domain
        )
    questions = list(question_set.questions.order_by("position"))
    assert len(questions) >= 8
    # The last question first, then the rest reversed: domains interleave; the top five are scattered.
    wanted = list(reversed(questions))
    chosen = {wanted[i].pk for i in (0, 2, 3, 5, 7)}
    services.question_set_arrange(
        question_set=question_set,
        positions={q.pk: place for place, q in enumerate(wanted, start=1)},
        top=chosen,
    )
    order = list(Question.objects.filter(question_set=question_set).order_by("position"))
    assert [q.pk for q in order] == [q.pk for q in wanted]

    files = services.pack_files_get_or_build(council=birmingham, summit=summit)
    pages = pdf_pages(stored(files.pdf))
    brief = words(pages[0])
    assert "The top five Coventry chose" in brief
    marked = [q for q in order if q.pk in chosen]
    places = [brief.index(words(q.text)) for q in marked]
    assert places == sorted(places)  # in the challenger's order
    for question in order:
        if question.pk not in chosen:
            assert words(question.text) not in brief.split("Questions to ask")[1]
    # Section 7: every question numbered in the challenger's order.
    body, _ = body_and_colophon(pages)
    section = words(body).split("7. Pro-forma question set")[-1]
    found = [
        section.index(f"{n}. {'★ ' if q.pk in chosen else ''}{words(q.text)[:40]}")
        for n, q in enumerate(order, start=1)
    ]
    assert found == sorted(found)

    assert_docx_in_house_style(stored(files.docx), header=["Birmingham", cycle.period.label])
    paragraphs, tables = docx_text(stored(files.docx))
    # CQC's assessment (its table of statements) comes first, then the questions in the challenger's order.
    assert tables[0][0] == "Quality statement | CQC's score | Self-score"
    assert [table[0] for table in tables[1:]] == [f"Question | {q.text}" for q in order]
    headings = [t for style, t in paragraphs if style == "Heading 1"]
    assert headings == [
        "CQC's assessment",
        *(f"Question {n}{' (top five)' if q.pk in chosen else ''}" for n, q in enumerate(order, start=1)),
    ]
    assert not JARGON.search("\n".join(t for _, t in paragraphs[:-1]))


def test_every_word_document_is_a4_with_a_header_and_page_numbers(db):
    """The self-assessment and the regional work programme share the pro-forma's house style."""
    from peerchallenge.themes.docx_export import work_programme_docx
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed
    from selfassessment.docx_export import self_assessment_docx
    from selfassessment.models import SelfAssessmentCycle
    from selfassessment.selectors import self_assessment_view

    demo_values_seed()
    self_assessment_demo_seed()
    cycle = SelfAssessmentCycle.objects.filter(region__gss_code="E12000005").order_by("-closes_on").first()
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    view = self_assessment_view(cycle=cycle, council=birmingham, include_previous=False)
    assert_docx_in_house_style(
        self_assessment_docx(view=view), header=["Birmingham", cycle.name, cycle.period.label]
    )
    programme = work_programme_docx(
        region=birmingham.region, year=2099, summit_themes=[], items=[], is_demo=False
    )
    assert_docx_in_house_style(programme, header=["West Midlands"])
