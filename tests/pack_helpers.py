"""Helpers for the challenge-pack tests: demo worlds, reading PDFs (pdftotext) and DOCX files."""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document

from councils.models import Council, Region
from peerchallenge.models import Summit
from peerchallenge.services import summit_pair, summit_transition
from scorecard.scorecards.selectors import CouncilScorecard

WEST_MIDLANDS = "E12000005"
BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL = "E08000025", "E08000026", "E08000027", "E08000028"
SECTIONS = [
    "1. Council profile",
    "2. Balanced scorecard",
    "3. Performance data set",
    "4. Self-assessment",
    "5. Assurance: CQC's assessment",
    "6. Risk triggers found in the data",
    "7. Pro-forma question set",
]


def small_summit(
    *, cycle=None, councils=(BIRMINGHAM, COVENTRY), state=Summit.State.PUBLISHED, name="Spring summit"
):  # type: ignore[no-untyped-def]
    """A West Midlands summit pairing the councils (a pair challenges each other), published by default."""
    import datetime as dt

    region = Region.objects.get(gss_code=WEST_MIDLANDS)
    summit = Summit.objects.create(
        region=region,
        name=name,
        date=dt.date(2099, 3, 12),
        venue="Council House",
        rooms="Room 1\nRoom 2",
        plenary_room="Chamber",
        cycle=cycle,
    )
    summit.participants.set(Council.objects.filter(gss_code__in=councils))
    summit_pair(summit=summit)
    if state != Summit.State.DRAFT:
        summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    # Held and closed as on the summit's day (a summit is not held before its date).
    if state in (Summit.State.HELD, Summit.State.CLOSED):
        summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    if state == Summit.State.CLOSED:
        summit_transition(summit=summit, to=Summit.State.CLOSED, on=summit.date)
    return summit


def self_assessed_demo_seed():  # type: ignore[no-untyped-def]
    """The demo figures and every demo self-assessment (five to seven seconds, most of it the self-assessments);
    returns the self-assessments' seed summary."""
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed

    demo_values_seed()
    return self_assessment_demo_seed()


def pdf_pages(data: bytes) -> list[str]:
    """The PDF's text, page by page (pdftotext -layout)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.pdf"
        path.write_bytes(data)
        text = subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
            [shutil.which("pdftotext") or "pdftotext", "-layout", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def docx_text(data: bytes) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """(style, text) of each paragraph, and each table's cells row by row (joined with " | ")."""
    document = Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[" | ".join(c.text for c in row.cells) for row in table.rows] for table in document.tables]
    return paragraphs, tables


def measure_line(text: str, code: str) -> str:
    """The first line of section 3's table row for ``code`` (the row's value, rank, quartile and RAG)."""
    start = re.search(
        r"^\s*3\. Performance data set\s*$", text, flags=re.M
    ).start()  # the heading, not the contents
    end = text.index("Charts: the measures that raised a risk trigger")
    for line in text[start:end].splitlines():
        if re.match(rf"^\s+{re.escape(code)} ", line):
            return line
    raise AssertionError(f"no row for {code} in section 3")


def assert_pack_matches_scorecard(text: str, card: CouncilScorecard) -> int:
    """Every measure's value, rank and RAG in the pack equal the selector's; returns how many rows."""
    count = 0
    for row in card.rows:
        line = measure_line(text, row.code)
        assert row.formatted in line, (row.code, row.formatted, line)
        assert (row.rank_label or "Not ranked") in line, (row.code, row.rank_label, line)
        rag = row.rag.value.capitalize() if row.rag else "No RAG"
        assert re.search(rf"\b{rag}\b", line), (row.code, rag, line)
        quartiles = f"{row.quartile_england or '–'} / {row.quartile_region or '–'}"
        assert quartiles.replace(" ", "") in line.replace(" ", ""), (row.code, quartiles, line)
        count += 1
    return count


def stored(name: str) -> bytes:
    """A built file's bytes, from the default storage."""
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as handle:
        return handle.read()
