"""Challenge packs: the PDF and DOCX opened and checked against the scorecard selectors.

Demo data and the real ASCOF extract in ../shared/data (imported through the import command, read at test
time, never copied here). PDFs are read with pdftotext, DOCX files with python-docx.
"""

import io
import zipfile

import pytest
from django.core.management import call_command

from councils.models import Council
from peerchallenge.models import Summit
from peerchallenge.packs import selectors, services
from peerchallenge.packs.models import Question, QuestionSet
from scorecard.scorecards.selectors import council_scorecard
from tests.pack_helpers import (
    BIRMINGHAM,
    COVENTRY,
    SECTIONS,
    assert_pack_matches_scorecard,
    docx_text,
    pdf_pages,
    stored,
)

# Every test here reads the demo figures and self-assessments, seeded once for them all.
pytestmark = [
    pytest.mark.pdf,
    pytest.mark.django_db,
    pytest.mark.usefixtures("self_assessed_demo_once_per_module"),
]


def test_a_demo_pack_has_every_section_page_numbers_and_the_scorecards_numbers(storage, demo_summit):
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    coventry = Council.objects.get(gss_code=COVENTRY)
    question_set = services.question_set_get_or_create(
        summit=demo_summit, challenger=coventry, challenged=birmingham
    )
    first = question_set.questions.order_by("position").first()
    services.question_top_set(question=first, top=True)

    files = services.pack_files_get_or_build(council=birmingham, summit=demo_summit)
    assert (
        files.built
        and files.pdf_download_name == f"{BIRMINGHAM}-birmingham-{demo_summit.cycle.period.label}.pdf"
    )
    assert (
        files.docx_download_name == f"{BIRMINGHAM}-birmingham-{demo_summit.cycle.period.label}-pro-forma.docx"
    )
    pages = pdf_pages(stored(files.pdf))
    text = "\n".join(pages)
    # The brief: summit, challenged council with its code, challenger, session, period; the data version and
    # build time in the colophon at the end.
    cover = pages[0]
    for words in (
        demo_summit.name,
        "Birmingham (GSS code E08000025)",
        "Coventry",
        "Room",
        "Questions to ask",
    ):
        assert words in cover, words
    assert "Demo data" in cover and "synthetic" in cover
    assert "Data version" in pages[-1] and "Built " in pages[-1]
    # Contents and sections, each starting a page; page numbers "Page n of N" on every page but the cover.
    for title in SECTIONS:
        assert sum(title in page for page in pages[2:]) >= 1, title
        assert title.split(". ", 1)[1] in pages[1]  # listed in the contents
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page, number
    assert "DEMO DATA (synthetic)" in pages[2]
    # Every measure's value, rank, quartile and RAG as the scorecard selector gives them.
    card = council_scorecard(council=birmingham, period=demo_summit.cycle.period)
    assert assert_pack_matches_scorecard(text, card) == len(card.rows) > 10
    # The self-assessment, triggers and the edited question set (top five marked).
    assert "has not submitted a self-assessment" not in text
    assert "Top three risks" in text
    assert "★" in text and first.text[:40] in " ".join(text.split())

    paragraphs, tables = docx_text(stored(files.docx))
    questions = list(question_set.questions.select_related("domain").order_by("position"))
    # CQC's assessment first (its nine statements), then one table per question, in the challenger's order
    # (never re-sorted by domain).
    assert tables[0][0] == "Quality statement | CQC's score | Self-score" and len(tables[0]) == 10
    tables = tables[1:]
    assert len(tables) == len(questions)
    for table, question in zip(tables, questions, strict=True):
        assert table[0] == f"Question | {question.text}"
        assert table[1] == f"Domain | {question.domain.name if question.domain else 'General'}"
    cells = [row for table in tables for row in table]
    assert all(any(row.startswith(label) for row in cells) for label in ("Evidence", "Answer", "Follow-up"))
    assert any("Demo data" in t for _, t in paragraphs)
    assert any("(top five)" in t for _, t in paragraphs)


def test_packs_are_cached_by_version_and_rebuilt_when_something_changes(storage, demo_summit, monkeypatch):
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    coventry = Council.objects.get(gss_code=COVENTRY)
    question_set = services.question_set_get_or_create(
        summit=demo_summit, challenger=coventry, challenged=birmingham
    )
    builds = []
    real_pdf = __import__("peerchallenge.packs.pdf", fromlist=["pack_pdf"]).pack_pdf
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: builds.append(1) or b"%PDF-fake")
    first = services.pack_files_get_or_build(council=birmingham, summit=demo_summit)
    again = services.pack_files_get_or_build(council=birmingham, summit=demo_summit)
    assert first.built and not again.built and again.pdf == first.pdf and len(builds) == 1
    services.question_add(question_set=question_set, text="What is your plan for winter?")
    edited = services.pack_files_get_or_build(council=birmingham, summit=demo_summit)
    assert edited.built and edited.pdf != first.pdf
    # A new data import (a value changed through the ORM) makes a new version too.
    from scorecard.models import Value

    value = Value.objects.filter(area__council=birmingham).first()
    value.value = value.value + 1
    value.save()
    assert services.pack_files_get_or_build(council=birmingham, summit=demo_summit).built
    # So does a change to the self-assessment (which does not move the data version).
    from core.cache import data_version
    from selfassessment.models import SelfAssessment
    from selfassessment.services import self_assessment_reopen

    assessment = SelfAssessment.objects.get(cycle=demo_summit.cycle, council=birmingham)
    assert assessment.is_shared
    before = data_version()
    self_assessment_reopen(assessment=assessment, user=None, reason="New evidence on waiting lists")
    assert data_version() == before
    assert services.pack_files_get_or_build(council=birmingham, summit=demo_summit).built
    # Reader variants differ: a pack without the question set is its own file.
    without = services.pack_files_get_or_build(
        council=birmingham, summit=demo_summit, include_questions=False
    )
    assert without.built and without.pdf != edited.pdf
    assert real_pdf is not None


def test_build_packs_command_writes_named_files_with_a_progress_bar(storage, demo_summit, monkeypatch):
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: b"%PDF-1.7 fake")
    out, err = io.StringIO(), io.StringIO()
    period = demo_summit.cycle.period.label
    call_command(
        "build_packs", "--summit", str(demo_summit.pk), "--out", str(storage / "out"), stdout=out, stderr=err
    )
    names = sorted(p.name for p in (storage / "out").iterdir())
    assert names == sorted(
        [f"{c}-{period}.pdf" for c in (f"{BIRMINGHAM}-birmingham", f"{COVENTRY}-coventry")]
        + [f"{c}-{period}-pro-forma.docx" for c in (f"{BIRMINGHAM}-birmingham", f"{COVENTRY}-coventry")]
    )
    call_command(
        "build_packs",
        "--council",
        BIRMINGHAM,
        "--council",
        COVENTRY,
        "--period",
        period,
        "--out",
        str(storage / "two"),
    )
    assert len(list((storage / "two").iterdir())) == 4
    with pytest.raises(Exception, match="Unknown GSS"):
        call_command("build_packs", "--council", "E99999999", "--out", str(storage / "x"))
    with pytest.raises(Exception, match="either"):
        call_command("build_packs", "--out", str(storage / "x"))


def test_a_summits_zip_holds_every_pack_and_pro_forma(storage, demo_summit, monkeypatch):
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: b"%PDF-1.7 fake")
    build = services.pack_build_start(summit=demo_summit)
    # Tests run tasks immediately (ImmediateBackend) once the transaction commits.
    services.pack_build_run(build_id=build.pk)
    build.refresh_from_db()
    assert build.state == "done" and build.done == build.total == 2
    with zipfile.ZipFile(io.BytesIO(stored(build.file_name))) as archive:
        names = sorted(archive.namelist())
    period = demo_summit.cycle.period.label
    assert names == sorted(
        [f"{c}-{period}.pdf" for c in (f"{BIRMINGHAM}-birmingham", f"{COVENTRY}-coventry")]
        + [f"{c}-{period}-pro-forma.docx" for c in (f"{BIRMINGHAM}-birmingham", f"{COVENTRY}-coventry")]
    )
    assert services.pack_build_status(build=build)["finished"]


def test_pack_data_takes_a_constant_number_of_queries(demo_summit, django_assert_max_num_queries):
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    services.question_set_get_or_create(
        summit=demo_summit, challenger=Council.objects.get(gss_code=COVENTRY), challenged=birmingham
    )
    summit = Summit.objects.select_related("region", "cycle__period").get(pk=demo_summit.pk)
    with django_assert_max_num_queries(60):
        pack = selectors.pack_build_data(council=birmingham, summit=summit)
    assert pack.questions and QuestionSet.objects.count() == 1 and Question.objects.exists()


def test_the_coordinator_keeps_the_question_bank(client_for, demo_summit, dass):
    """The bank page adds and removes template questions of the summit's cycle, with GOV.UK errors; a DASS
    may not change it."""
    from peerchallenge.models import QuestionBankItem
    from scorecard.models import Domain

    summit = demo_summit
    url = f"/summits/{summit.pk}/question-bank/"
    client = client_for("coordinator")
    page = client.get(url)
    assert page.status_code == 200 and "Question bank" in page.content.decode()
    refused = client.post(url, {"action": "add", "text": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "There is a problem" in body and "Choose the domain the question belongs to" in body
    assert "Enter the question" in body
    domain = Domain.objects.order_by("position").last()
    too_long = client.post(url, {"action": "add", "domain": domain.pk, "text": "x" * 1001})
    assert too_long.status_code == 400 and "1,000 characters or fewer" in too_long.content.decode()
    before = QuestionBankItem.objects.filter(cycle=summit.cycle).count()
    added = client.post(
        url, {"action": "add", "domain": domain.pk, "text": "How do staff hear about changes?"}
    )
    assert added.status_code == 302
    item = QuestionBankItem.objects.get(cycle=summit.cycle, text="How do staff hear about changes?")
    assert item.domain == domain
    assert "How do staff hear about changes?" in client.get(url).content.decode()
    assert client_for("dass").post(url, {"action": "delete", "item": item.pk}).status_code in (403, 404)
    assert client.post(url, {"action": "delete", "item": "99999999999999"}).status_code == 404
    assert client.post(url, {"action": "delete", "item": item.pk}).status_code == 302
    assert QuestionBankItem.objects.filter(cycle=summit.cycle).count() == before


def test_charts_are_vector_images_with_their_alternative_text(storage, demo_summit):
    """The charts are SVG images (data URLs, alt text for the PDF's structure tree), drawn as vectors."""
    import base64
    import re
    import shutil
    import subprocess
    import zlib
    from html import unescape
    from xml.etree import ElementTree

    from peerchallenge.packs import pdf

    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    pack = selectors.pack_build_data(council=birmingham, summit=demo_summit)
    html = pdf.pack_html(pack=pack)
    images = re.findall(
        r'<img class="chart" alt="([^"]+)" style="[^"]+" src="data:image/svg\+xml;base64,([^"]+)">', html
    )
    assert pack.blocks and len(images) == 2 * len(pack.blocks)  # a trend and a ranking per charted measure
    assert "<svg" not in html  # no inline SVG: its elements would be styled like the document's
    for escaped, data in images:
        alt = unescape(escaped)
        root = ElementTree.fromstring(base64.b64decode(data))  # noqa: S314 (our own output)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("aria-label") == alt
        assert alt.startswith(("Trend of ", "Ranking of the region's councils on "))
    document = pdf.pack_pdf(pack=pack)
    listing = subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
        [shutil.which("pdfimages") or "pdfimages", "-list", "-"],
        input=document,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert len(listing.strip().splitlines()) == 2  # the header only: no raster image in the pack
    # Each chart is a figure of the PDF's structure tree with its alternative text (inline SVG had none).
    chunks = [document]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    alts = [a.decode("latin-1") for c in chunks for a in re.findall(rb"/Alt *\(((?:[^()\\]|\\.)*)\)", c)]
    expected = [unescape(alt).replace("(", "\\(").replace(")", "\\)") for alt, _ in images]
    assert alts == expected


def test_the_scoped_user_agent_stylesheet_prints_the_same_pack(storage, demo_summit, monkeypatch):
    """The pack's lighter user-agent stylesheet (peerchallenge/packs/pdf.py) is in use with the installed
    WeasyPrint, prints the same text as WeasyPrint's own (list markers included), and is dropped when the
    rules it rewrites are not found."""
    from weasyprint import HTML
    from weasyprint import html as weasy_html

    from peerchallenge.packs import pdf
    from tests.pack_helpers import pdf_pages

    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    pack = selectors.pack_build_data(council=birmingham, summit=demo_summit)
    source = pdf.pack_html(pack=pack)
    pdf._pack_html_class.cache_clear()
    scoped = pdf._pack_html_class()
    assert scoped is not HTML and issubclass(scoped, HTML)
    ours = pdf_pages(scoped(string=source).write_pdf(pdf_tags=True))
    theirs = pdf_pages(HTML(string=source).write_pdf(pdf_tags=True))
    assert ours == theirs
    risks = "\n".join(ours).split("Top three risks", 1)[1]
    assert all(f"{n}." in risks.split("5. Risk triggers")[0] for n in (1, 2, 3))  # <ol> markers kept

    monkeypatch.setattr(weasy_html, "UA", weasy_html.UA.replace("\n::marker {", "\n::marker, x {"))
    pdf._pack_html_class.cache_clear()
    try:
        assert pdf._pack_html_class() is HTML
    finally:
        pdf._pack_html_class.cache_clear()
