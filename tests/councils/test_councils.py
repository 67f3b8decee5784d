"""Councils and regions: reference data, nearest-neighbour import, pages."""

import json

import pytest
from django.core.management import CommandError, call_command

from councils.models import Council, NearestNeighbour, Region
from councils.services import ImportFailed, neighbours_import, reference_data_load
from tests.files import REAL_NEIGHBOURS

pytestmark = pytest.mark.django_db

WEST_MIDLANDS = {
    # name: (GSS, CASSR, type) — domain.md §3
    "Birmingham": ("E08000025", 406, "metropolitan_district"),
    "Coventry": ("E08000026", 407, "metropolitan_district"),
    "Dudley": ("E08000027", 408, "metropolitan_district"),
    "Sandwell": ("E08000028", 409, "metropolitan_district"),
    "Solihull": ("E08000029", 410, "metropolitan_district"),
    "Walsall": ("E08000030", 411, "metropolitan_district"),
    "Wolverhampton": ("E08000031", 412, "metropolitan_district"),
    "Herefordshire": ("E06000019", 415, "unitary"),
    "Telford and Wrekin": ("E06000020", 418, "unitary"),
    "Stoke-on-Trent": ("E06000021", 414, "unitary"),
    "Shropshire": ("E06000051", 417, "unitary"),
    "Staffordshire": ("E10000028", 413, "county"),
    "Warwickshire": ("E10000031", 404, "county"),
    "Worcestershire": ("E10000034", 416, "county"),
}


def test_nine_regions_with_gss_codes_are_loaded():
    codes = dict(Region.objects.values_list("gss_code", "name"))
    assert len(codes) == 9
    assert codes["E12000005"] == "West Midlands"
    assert codes["E12000007"] == "London"
    assert sorted(codes) == [f"E1200000{i}" for i in range(1, 10)]


def test_the_fourteen_west_midlands_councils_have_the_right_codes():
    councils = Council.objects.filter(region__gss_code="E12000005")
    assert councils.count() == 14
    loaded = {c.name: (c.gss_code, c.cassr_code, c.council_type) for c in councils}
    assert loaded == WEST_MIDLANDS


def test_reference_data_load_is_idempotent():
    before = list(Council.objects.order_by("pk").values_list())
    result = reference_data_load()
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == 9 + 161  # every English council with adult social services duties
    assert list(Council.objects.order_by("pk").values_list()) == before


def test_load_councils_accepts_another_region_and_reports_bad_rows(tmp_path):
    good = tmp_path / "ne.csv"
    good.write_text(
        "name,gss_code,cassr_code,council_type,region_gss_code\nGateshead,E08000037,390,metropolitan_district,E12000001\n"
    )
    call_command("load_councils", councils=good)
    assert Council.objects.get(gss_code="E08000037").region.name == "North East"

    bad = tmp_path / "bad.csv"
    bad.write_text("name,gss_code,cassr_code,council_type,region_gss_code\nNowhere,X123,abc,village,E99\n")
    before = Council.objects.count()
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_councils", councils=bad)
    assert Council.objects.count() == before


def write_json(tmp_path, data, name="nn.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_neighbours_import_keeps_order_ignores_self_and_reports_unknown(tmp_path, birmingham):
    path = write_json(tmp_path, {"E08000025": ["E08000026", "E08000025", "E06000999", "E08000030"]})
    result = neighbours_import(path=path)
    rows = list(
        NearestNeighbour.objects.filter(council=birmingham).values_list("position", "neighbour_gss_code")
    )
    assert rows == [(1, "E08000026"), (2, "E06000999"), (3, "E08000030")]
    assert result.unknown_neighbours == ["E06000999"]  # not a council we know yet: kept, reported
    assert result.councils == 1


def test_neighbours_import_real_file(birmingham):
    out = __import__("io").StringIO()
    call_command("import_neighbours", str(REAL_NEIGHBOURS), stdout=out)
    assert NearestNeighbour.objects.values("council").distinct().count() == 14
    assert NearestNeighbour.objects.filter(council=birmingham).count() == 15  # 16 listed, itself ignored
    assert "not a known council yet" not in out.getvalue()  # every English council is shipped
    # Re-importing changes nothing.
    result = neighbours_import(path=REAL_NEIGHBOURS)
    assert (result.councils, result.unchanged_councils) == (0, 14)


def test_neighbours_import_skips_and_reports_unknown_council_keys(tmp_path):
    path = write_json(tmp_path, {"E06000999": ["E08000025"]})
    out = __import__("io").StringIO()
    call_command("import_neighbours", path, stdout=out)
    assert "Skipped 1 group(s)" in out.getvalue()
    assert "E06000999" in out.getvalue()
    assert NearestNeighbour.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"E08000025": ["E08000026",', "invalid JSON"),
        ("[1, 2, 3]", "expected a JSON object"),
        ('{"E08000025": "E08000026"}', "expected a list of GSS code strings"),
        ('{"E08000025": ["not-a-code"]}', "is not a GSS code"),
        ('{"banana": ["E08000026"]}', "not a GSS code"),
        ('{"E08000025": ["E08000026", "E08000026"]}', "listed twice"),
        ("{}", "lists no councils"),
        ("", "invalid JSON"),
    ],
)
def test_malformed_neighbour_files_write_nothing(tmp_path, birmingham, content, message):
    NearestNeighbour.objects.create(council=birmingham, position=1, neighbour_gss_code="E08000031")
    before = list(NearestNeighbour.objects.values_list())
    path = write_json(tmp_path, content)
    err = __import__("io").StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_neighbours", path, stderr=err)
    assert message in err.getvalue()
    assert "nn.json" in err.getvalue()
    assert list(NearestNeighbour.objects.values_list()) == before


def test_binary_neighbour_file_is_refused(tmp_path):
    path = tmp_path / "garbage.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(ImportFailed) as exc:
        neighbours_import(path=path)
    assert "garbage.json" in exc.value.problems[0]


def test_neighbours_dry_run_writes_nothing(tmp_path, birmingham):
    path = write_json(tmp_path, {"E08000025": ["E08000026"]})
    result = neighbours_import(path=path, dry_run=True)
    assert result.councils == 1
    assert NearestNeighbour.objects.count() == 0


def test_neighbour_links_resolve_once_the_council_exists(tmp_path, birmingham, client_for, sli_lead):
    neighbours_import(path=write_json(tmp_path, {"E08000025": ["E06000999", "E08000026"]}))
    client = client_for("sli_lead")
    page = client.get(birmingham.get_absolute_url()).content.decode()
    assert "E06000999" in page and "council not loaded yet" in page
    from tests.factories import CouncilFactory

    CouncilFactory(
        name="Derby",
        slug="derby-new",
        gss_code="E06000999",
        cassr_code=None,
        region=Region.objects.get(gss_code="E12000004"),
    )
    page = client.get(birmingham.get_absolute_url()).content.decode()
    assert ">Derby</a>" in page


def test_demo_comparator_groups_are_labelled_and_replaced_by_a_real_import(client_for, birmingham, sli_lead):
    from scorecard.demo import demo_neighbours_seed

    demo_neighbours_seed(councils=list(Council.objects.filter(region__gss_code="E12000005")))
    client = client_for("sli_lead")
    assert "synthetic demo group" in client.get(birmingham.get_absolute_url()).content.decode()
    neighbours_import(path=REAL_NEIGHBOURS)
    assert not NearestNeighbour.objects.filter(is_demo=True).exists()
    assert "synthetic demo group" not in client.get(birmingham.get_absolute_url()).content.decode()
