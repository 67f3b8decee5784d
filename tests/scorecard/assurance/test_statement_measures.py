"""The council's CQC page lists, under each quality statement, the measures the catalogue says inform it, with the
council's figure, RAG and rank as its scorecard shows them."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import rows_written
from scorecard.assurance.services import CqcOutcome, cqc_assessment_save
from scorecard.catalogue import catalogue_load
from scorecard.models import Measure
from scorecard.scorecards.selectors import council_scorecard
from scorecard.scoring import CqcRating

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
COVENTRY = "E08000026"


def statement_section(page: str, number: int) -> str:
    """The page's part under statement ``number``'s heading in "The data under each statement"."""
    start = page.index(f'id="statement-{number}-measures"')
    end = page.find(f'id="statement-{number + 1}-measures"', start)
    return page[start : end if end != -1 else len(page)]


def test_the_catalogue_loads_which_statements_each_measure_informs(db):
    assert Measure.objects.get(key="ascof-2023-4a").cqc_statements == [7]  # feel safe: safeguarding
    assert Measure.objects.get(key="ascof-2023-2d1").cqc_statements == [6]  # reablement: transitions
    assert Measure.objects.get(key="national-asc7").cqc_statements == [8]  # turnover: sustainability
    assert Measure.objects.get(key="ascof-2023-1c").cqc_statements == [1, 5]  # carers' quality of life
    assert not Measure.objects.filter(cqc_statements=[]).exclude(framework="local").exists()
    # Loading again restores a changed mapping and changes nothing else.
    Measure.objects.filter(key="ascof-2023-4a").update(cqc_statements=[])
    assert catalogue_load().measures_updated == 1
    assert Measure.objects.get(key="ascof-2023-4a").cqc_statements == [7]


def test_a_statement_number_outside_cqcs_nine_is_refused(db, tmp_path: Path):
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    for name in ("domains.csv", "measure_notes.csv"):
        shutil.copy(fixtures / name, tmp_path / name)
    text = (fixtures / "measures.csv").read_text(encoding="utf-8")
    (tmp_path / "measures.csv").write_text(text.replace(",7\n", ",10\n", 1))
    with pytest.raises(ValueError, match="statement 10"):
        catalogue_load(fixtures_dir=tmp_path)
    assert Measure.objects.get(key="ascof-2023-4a").cqc_statements == [7]  # nothing written


def test_the_page_lists_the_informing_measures_with_the_councils_figure(client_for, demo, birmingham):
    cqc_assessment_save(
        outcome=CqcOutcome(
            council=birmingham,
            assessed_on=date(2025, 5, 1),
            scores=(3, 3, 3, 3, 3, 3, 2, 4, 4),
            rating=CqcRating.GOOD,
            report_url="",
        )
    )
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    scorecard = council_scorecard(council=birmingham)
    by_key = {row.key: row for row in scorecard.rows}
    safeguarding = statement_section(page, 7)
    assert "CQC's score: 2 Some shortfalls" in safeguarding
    feel_safe = by_key["ascof-2023-4a"]
    assert feel_safe.value is not None
    assert feel_safe.measure.title in safeguarding and feel_safe.formatted in safeguarding
    assert (
        f"/measures/ascof-2023-4a/?period={scorecard.period.label}&amp;council={BIRMINGHAM}" in safeguarding
    )
    assert feel_safe.rank_label in safeguarding and (feel_safe.rag or "").capitalize() in safeguarding
    # Only measures informing safeguarding sit under it; each shown is one the scorecard shows.
    listed = set(re.findall(r'href="/measures/([a-z0-9-]+)/', safeguarding))
    expected = {row.key for row in scorecard.rows if 7 in row.measure.cqc_statements}
    assert listed == expected and "ascof-2023-4a" in listed
    assert "ascof-2023-2d1" not in listed  # reablement informs statement 6
    assert "ascof-2023-2d1" in statement_section(page, 6)
    assert "Demo data" in page  # the figures are the demo's, labelled


def test_the_page_reads_in_a_constant_number_of_queries(client_for, demo):
    client = client_for("dass")
    counts = []
    for gss in (BIRMINGHAM, COVENTRY, BIRMINGHAM):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/councils/{gss}/cqc/").status_code == 200
        counts.append(len(queries))
    # More mapped measures and more statements per measure: the same count.
    Measure.objects.exclude(framework="local").update(cqc_statements=[1, 2, 3, 4, 5, 6, 7, 8, 9])
    rows_written(Measure)
    client.get(f"/councils/{BIRMINGHAM}/cqc/")  # the catalogue changed: read it once again
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    assert "ascof-2023-4a" in statement_section(page, 1)
    assert counts[1] == counts[2] == len(queries) <= 10, (counts, len(queries))


def test_a_council_without_figures_is_told_so_under_the_statements(client_for, birmingham):
    page = client_for("dass").get(f"/councils/{BIRMINGHAM}/cqc/").content.decode()
    assert "Birmingham has no figures yet, so no measures can be shown under CQC" in page
    assert 'id="statement-1-measures"' not in page
