"""A council's page does work in proportion to its own measures, what depends only on a period's data
is computed once per data version (core/cache.py), and every write that changes a page makes it read afresh."""

import json
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.cache import data_version, data_version_bump
from councils.models import Council, NearestNeighbour, Region
from councils.services import neighbours_import
from scorecard import figures as selectors_base
from scorecard.areas import area_for_council
from scorecard.catalogue import framework_for_start_year
from scorecard.demo import demo_data_remove, demo_values_seed
from scorecard.figures import GROUP_NONE, GROUP_REAL, NEAREST_NEIGHBOURS
from scorecard.imports.ascof import ascof_import
from scorecard.measures.selectors import measure_values
from scorecard.models import Area, Measure, Period, Value
from scorecard.periods import period_get_or_create
from scorecard.scorecards.selectors import council_scorecard, councils_comparison, region_overview
from tests import selfassessment_helpers as sa

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
PAGE = f"/councils/{BIRMINGHAM}/scorecard/"
HEADER = (
    "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
    "Geographical Level,Disaggregation Level,Measure Type\n"
)


def _values(councils: list[Council], years: list[int]) -> None:
    """Every measure of each year's framework for ``councils``, written set-based (then the version bumped,
    as the import services do)."""
    areas = [area_for_council(council=c) for c in councils]
    rows = []
    for year in years:
        period = period_get_or_create(start_year=year)
        for position, measure in enumerate(Measure.objects.filter(framework=framework_for_start_year(year))):
            for index, area in enumerate(areas):
                rows.append(
                    Value(
                        measure=measure,
                        period=period,
                        area=area,
                        value=Decimal(40 + (index * 7 + position) % 50),
                    )
                )
    Value.objects.bulk_create(rows, batch_size=2000)
    data_version_bump()


def _more_councils(count: int) -> list[Council]:
    regions = list(Region.objects.all())
    Council.objects.bulk_create(
        Council(
            name=f"Loadshire {i}",
            slug=f"loadshire-{i}",
            gss_code=f"E06{900000 + i:06d}",
            cassr_code=7000 + i,
            council_type=Council.CouncilType.UNITARY,
            region=regions[i % len(regions)],
        )
        for i in range(count)
    )
    return list(Council.objects.filter(slug__startswith="loadshire-"))


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_count_is_the_same_for_14_and_150_councils_and_1_and_7_years(
    client_for, django_assert_max_num_queries
):
    client = client_for("dass")
    west_midlands = list(Council.objects.filter(region__gss_code="E12000005", status="current"))
    assert len(west_midlands) == 14
    _values(west_midlands, [2023])
    client.get(PAGE)  # the session and the period statistics are warmed
    small = _queries(client, PAGE)
    cold_small = (data_version_bump(), _queries(client, PAGE))[1]

    others = list(Council.objects.exclude(region__gss_code="E12000005").filter(status="current"))[:136]
    _values(others, [2023])
    _values(west_midlands + others, [2017, 2018, 2019, 2020, 2021, 2022])
    assert Value.objects.filter(area__kind=Area.Kind.COUNCIL).values("area").distinct().count() == 150
    assert Period.objects.count() == 7
    client.get(PAGE)
    with django_assert_max_num_queries(small):
        response = client.get(PAGE)
    assert response.status_code == 200 and "of 14" in response.content.decode()
    data_version_bump()
    assert _queries(client, PAGE) == cold_small  # a recomputation costs the same two queries at any size


def test_a_council_page_reads_only_its_own_values_once_the_period_is_computed(monkeypatch):
    west_midlands = list(Council.objects.filter(region__gss_code="E12000005", status="current"))
    _values(west_midlands + _more_councils(40), [2022, 2023])
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    calls = []
    real = selectors_base.period_values
    monkeypatch.setattr(selectors_base, "period_values", lambda **kw: calls.append(kw) or real(**kw))

    first = council_scorecard(council=birmingham)
    assert len(calls) == 1  # every council's values of the period, read once

    with CaptureQueriesContext(connection) as context:
        again = council_scorecard(council=birmingham)
    assert len(calls) == 1  # the cache hit: no read of every council's values
    value_reads = [q["sql"] for q in context.captured_queries if '"scorecard_value"' in q["sql"]]
    assert len(value_reads) == 1  # the council's own values only: as many rows as it has figures
    assert "council_id" in value_reads[0] and str(birmingham.pk) in value_reads[0]
    assert [(r.key, r.value, r.rank_label, r.quartile_england) for r in again.rows] == [
        (r.key, r.value, r.rank_label, r.quartile_england) for r in first.rows
    ]

    other = Council.objects.get(gss_code="E08000026")
    council_scorecard(council=other)
    region_overview(region=birmingham.region)
    councils_comparison(councils=[birmingham, other])
    assert len(calls) == 1  # one computation serves every council, the region and compare pages

    data_version_bump()
    council_scorecard(council=birmingham)
    assert len(calls) == 2  # a new data version: computed afresh


def test_version_is_bumped_now_and_again_on_commit(django_capture_on_commit_callbacks):
    before = data_version()
    assert data_version() == before  # stable while nothing is written
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        data_version_bump()
        during = data_version()
        data_version_bump()  # many writes in one transaction: one commit callback
        assert during != before
    assert len(callbacks) == 1
    assert data_version() not in (before, during)


# --- Every write that changes a page: the page never shows stale figures -----------------------------


def _import(tmp_path, name: str, rows: list[tuple[str, str, str, str]]):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(
        HEADER
        + "".join(
            f"2019-20,{area},{gss},{code},Measure {code},{value},Council,Total,Outcome\n"
            for area, gss, code, value in rows
        )
    )
    outcome = ascof_import(path=path)
    assert outcome.ok, outcome.problems


def test_import_shows_new_figures_at_once(client_for, tmp_path):
    client = client_for("dass")
    rows = [("Birmingham", BIRMINGHAM, "1A", "19.5"), ("Coventry", "E08000026", "1A", "19.1")]
    _import(tmp_path, "a.csv", rows)
    page = client.get(PAGE + "?period=2019-20").content.decode()
    assert "19.5 out of 24" in page and "1st of 2" in page
    _import(tmp_path, "b.csv", [("Birmingham", BIRMINGHAM, "1A", "18.0"), rows[1]])
    page = client.get(PAGE + "?period=2019-20").content.decode()
    assert "18.0 out of 24" in page and "19.5 out of 24" not in page and "2nd of 2" in page


def test_demo_seeding_and_removal_show_at_once(client_for):
    client = client_for("dass")
    assert "app-demo-notice" not in client.get(PAGE).content.decode()
    demo_values_seed()
    page = client.get(PAGE).content.decode()
    assert "app-demo-notice" in page and " of 14" in page
    demo_data_remove()
    page = client_for("dass").get(PAGE).content.decode()
    assert "app-demo-notice" not in page and " of 14" not in page


def test_a_value_saved_one_by_one_shows_at_once(client_for):
    demo_values_seed()
    client = client_for("dass")
    region_page = "/regions/E12000005/scorecard/?period=2023-24"
    client.get(PAGE + "?period=2023-24")
    assert "23.9" not in client.get(region_page).content.decode()  # the heat-map and table are cached now
    value = Value.objects.get(area__key=BIRMINGHAM, measure__key="ascof-2023-1a", period__start_year=2023)
    value.value = Decimal("23.9")
    value.save()  # e.g. the admin
    page = client.get(PAGE + "?period=2023-24").content.decode()
    assert "23.9 out of 24" in page and "1st of 14" in page
    assert "23.9" in client.get(region_page).content.decode()


def test_a_value_deleted_in_the_admin_leaves_the_pages_at_once(client_for):
    demo_values_seed()
    client = client_for("admin")
    region_page = "/regions/E12000005/scorecard/?period=2023-24"
    value = Value.objects.get(area__key=BIRMINGHAM, measure__key="ascof-2023-1a", period__start_year=2023)
    shown = client.get(region_page).context["overview"]
    assert any(
        c.value == value.value for row in shown.rows for c in row.cells if row.council.gss_code == BIRMINGHAM
    )
    response = client.post(f"/admin/scorecard/value/{value.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Value.objects.filter(pk=value.pk).exists()
    rows = client.get(region_page).context["overview"].rows
    birmingham = next(row for row in rows if row.council.gss_code == BIRMINGHAM)
    assert not any(c.measure.key == "ascof-2023-1a" and c.value is not None for c in birmingham.cells)


def test_a_measure_change_shows_at_once(client_for):
    demo_values_seed()
    client = client_for("dass")
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    measure = Measure.objects.get(key="ascof-2023-1a")

    def ranks() -> tuple[int | None, int | None]:
        """The scorecard's rank (cached period read) and the measure read's (uncached) for Birmingham."""
        row = next(r for r in council_scorecard(council=birmingham).rows if r.key == measure.key)
        values = measure_values(measure=measure, region=birmingham.region)
        return row.rank, next(r.rank for r in values.rows if r.council == birmingham)

    client.get(PAGE)
    before = ranks()
    assert before[0] == before[1]
    measure.polarity = "lower" if measure.polarity == "higher" else "higher"
    measure.save()  # the catalogue import saves measures one by one
    after = ranks()
    assert after[0] == after[1] and after != before


def test_neighbour_import_shows_at_once(client_for, tmp_path):
    west_midlands = list(Council.objects.filter(region__gss_code="E12000005", status="current"))
    _values(west_midlands, [2023])
    client = client_for("dass")
    assert 'id="no-comparator-group"' in client.get(PAGE).content.decode()
    before = council_scorecard(council=Council.objects.get(gss_code=BIRMINGHAM))
    assert before.neighbour_group == GROUP_NONE
    path = tmp_path / "neighbours.json"
    path.write_text(json.dumps({BIRMINGHAM: [c.gss_code for c in west_midlands if c.gss_code != BIRMINGHAM]}))
    neighbours_import(path=path)
    assert NearestNeighbour.objects.filter(council__gss_code=BIRMINGHAM).count() == 13
    after = council_scorecard(council=Council.objects.get(gss_code=BIRMINGHAM))
    assert after.neighbour_group == GROUP_REAL
    assert all(r.comparators[NEAREST_NEIGHBOURS].count == 13 for r in after.rows)
    assert 'id="no-comparator-group"' not in client.get(PAGE).content.decode()


def test_a_submitted_self_assessment_shows_at_once(client_for, birmingham):
    period = sa.hand_made_values()
    cycle = sa.make_cycle(period=period)
    client = client_for("dass")
    url = PAGE + "?period=2023-24"
    assert "Self-assessed rating" not in client.get(url).content.decode()
    before = data_version()
    assessment = sa.submitted(cycle=cycle, council=birmingham, rating="green")
    # Not a data change: the cached reads of the figures stay (nothing kept by the data version shows
    # self-ratings); the page and its kept rendering are fresh by the page version and their content key.
    assert data_version() == before
    assert "Self-assessed rating" in client.get(url).content.decode()
    from selfassessment.services import self_assessment_reopen

    self_assessment_reopen(assessment=assessment, user=None, reason="More evidence")
    assert "Self-assessed rating" not in client.get(url).content.decode()


def test_an_applied_import_analyses_the_tables(tmp_path, monkeypatch):
    from scorecard.imports.pipeline import run

    calls = []
    real = run.analyze_after_import
    monkeypatch.setattr(run, "analyze_after_import", lambda: calls.append(1) or real())
    _import(tmp_path, "a.csv", [("Birmingham", BIRMINGHAM, "1A", "19.5")])
    assert calls == [1]  # ANALYZE on PostgreSQL (a no-op on SQLite), after the write transaction
    assert ascof_import(path=tmp_path / "a.csv", dry_run=True).ok
    assert calls == [1]  # a dry run writes nothing, so nothing to analyse


def test_a_bump_by_another_process_is_seen_by_the_next_request(client_for):
    from django.core.cache import cache

    from core.cache import VERSION_KEY

    client = client_for("dass")
    client.get(PAGE)
    seen = data_version()
    cache.set(VERSION_KEY, "from-another-process")  # e.g. an import in the task worker
    assert data_version() == seen  # read once per request (and at most a second outside one)
    client.get(PAGE)  # request_started: the token is read afresh
    assert data_version() == "from-another-process"


def test_the_embedded_cache_is_shared_by_the_processes_of_one_machine(tmp_path):
    """`make run` imports in a task worker and `make serve` runs several gunicorn workers: a bump in one
    process must reach the data version every other process reads (the default cache, no Redis)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", CACHE_DIR=str(tmp_path), DEBUG="1", SECRET_KEY="x" * 50
    )
    script = (
        "import django; django.setup()\n"
        "from core import cache\n"
        "if {bump}: cache.data_version_bump()\n"
        "print(cache.data_version())\n"
    )

    def run(*, bump: bool) -> str:
        done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
            [sys.executable, "-c", script.format(bump=bump)],
            cwd=Path(__file__).resolve().parents[2],  # the project
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return done.stdout.strip().splitlines()[-1]

    first = run(bump=False)
    bumped = run(bump=True)  # e.g. an import applied in the task worker
    assert bumped != first
    assert run(bump=False) == bumped  # e.g. the web server's next request
