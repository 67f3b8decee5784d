"""A pack built from the real ASCOF extract in ../shared/data (imported through the import command, read at test
time, never copied here) prints the scorecard's figures and no demo label. Its own module: the other pack tests
share the demo figures (test_packs.py)."""

import io

import pytest
from django.core.management import call_command

from councils.models import Council
from peerchallenge.packs import services
from scorecard.models import Period
from scorecard.scorecards.selectors import council_scorecard
from tests.pack_helpers import BIRMINGHAM, assert_pack_matches_scorecard, docx_text, pdf_pages, stored

pytestmark = [pytest.mark.pdf, pytest.mark.django_db]


def test_the_real_extract_pack_equals_the_scorecard(storage):
    from tests.files import REAL_NEIGHBOURS, import_real_file

    import_real_file()
    call_command("import_neighbours", str(REAL_NEIGHBOURS), stdout=io.StringIO())
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    period = Period.objects.get(label="2019-20")
    files = services.pack_files_get_or_build(council=birmingham, period=period)
    assert files.pdf_download_name == f"{BIRMINGHAM}-birmingham-2019-20.pdf"
    pages = pdf_pages(stored(files.pdf))
    text = "\n".join(pages)
    card = council_scorecard(council=birmingham, period=period)
    assert not card.data_is_demo
    assert assert_pack_matches_scorecard(text, card) == len(card.rows) > 10
    assert "Demo data" not in text and "DEMO DATA" not in text
    # No cycle compares 2019-20 and Birmingham has no self-assessment at all: said plainly.
    assert "Birmingham has not submitted a self-assessment in any cycle yet." in " ".join(text.split())
    assert "Not for a summit" in pages[0]
    paragraphs, _ = docx_text(stored(files.docx))
    assert paragraphs[0][1] == "Pro-forma questions: Birmingham"
