"""A rank "in England" among a few councils says so: a demo install (one region's synthetic figures) or a
region that loaded only its own file ranks its councils "in England" among those few, and every page that
shows England ranks, quartiles or RAG then names how many councils they are among."""

import csv
import html
import re

from councils.models import Council
from scorecard.demo import demo_values_seed
from scorecard.imports.ascof import ascof_import
from scorecard.models import Measure, Value
from tests.files import REAL_FILE

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"


def _notice(response) -> str:
    assert response.status_code == 200
    found = re.search(r'id="england-ranks-partial">(.*?)</div>', response.content.decode(), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[1])).split()) if found else ""


def _demo_period_label() -> str:
    return Value.objects.filter(is_demo=True).order_by("-period__start_year").first().period.label


def test_demo_pages_say_england_ranks_are_among_the_councils_with_figures(db, client_for):
    demo_values_seed()
    label = _demo_period_label()
    with_figures = Council.objects.filter(area__values__period__label=label).distinct().count()
    england = Council.objects.exclude(status=Council.Status.FORMER).count()
    assert 0 < with_figures < england / 2  # the demo covers one region
    expected = f"Only {with_figures} of England's {england} councils have figures for {label} here"
    client = client_for("sli_lead")

    council = _notice(client.get(f"/councils/{BIRMINGHAM}/scorecard/"))
    assert council.startswith(expected)
    assert f"England quartiles and RAG ratings are places among those {with_figures}." in council
    assert "Import the national file" not in council  # demo figures: nothing to fix

    region = _notice(client.get(f"/regions/{WEST_MIDLANDS}/scorecard/"))
    assert region.startswith(expected)
    compare = _notice(client.get(f"/compare/?councils={BIRMINGHAM}&councils=E08000026"))
    assert compare.startswith(expected)

    measure = Measure.objects.filter(values__is_demo=True, values__period__label=label).first()
    page = client.get(f"{measure.get_absolute_url()}?period={label}")
    assert _notice(page).startswith(expected)
    caption = html.unescape(re.search(r"<caption[^>]*>(.*?)</caption>", page.content.decode(), re.S)[1])
    ranked = Value.objects.filter(
        measure=measure, period__label=label, breakdown="", value__isnull=False, area__kind="council"
    ).count()
    assert f"(ranked among the {ranked} councils in England with a figure)" in caption


def test_a_region_with_only_its_own_real_file_is_told_to_load_the_national_one(
    db, client_for, admin, tmp_path
):
    region_codes = set(
        Council.objects.filter(region__gss_code=WEST_MIDLANDS).values_list("gss_code", flat=True)
    )
    # The real extract cut down to the region's councils (and the comparators): a file of the region's own.
    with REAL_FILE.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        rows = [r for r in reader if r["Geographical Level"] != "Council" or r["ONS Code"] in region_codes]
    own = tmp_path / "west-midlands-ascof-2019-20.csv"
    with own.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    assert ascof_import(path=own, user=admin).ok
    notice = _notice(client_for("sli_lead").get(f"/councils/{BIRMINGHAM}/scorecard/?period=2019-20"))
    assert notice.startswith(f"Only {len(region_codes)} of England's")
    assert notice.endswith("Import the national file to compare with every council.")


def test_the_national_file_ranks_in_england_without_a_notice(db, client_for, admin):
    assert ascof_import(path=REAL_FILE, user=admin).ok
    client = client_for("sli_lead")
    assert _notice(client.get(f"/councils/{BIRMINGHAM}/scorecard/?period=2019-20")) == ""
    assert _notice(client.get(f"/regions/{WEST_MIDLANDS}/scorecard/?period=2019-20")) == ""
    compare = client.get(f"/compare/?councils={BIRMINGHAM}&councils=E08000026&period=2019-20")
    assert (
        "RAG is by England quartile" in compare.content.decode()
    )  # the figures are shown, without the notice
    assert _notice(compare) == ""
    measure = Measure.objects.filter(values__period__label="2019-20").first()
    assert _notice(client.get(f"{measure.get_absolute_url()}?period=2019-20")) == ""


def test_the_pack_says_so_too(db):
    from peerchallenge.packs import pdf, selectors

    demo_values_seed()
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    text = " ".join(pdf.pack_html(pack=selectors.pack_build_data(council=birmingham)).split())
    with_figures = Council.objects.filter(area__values__period__label=_demo_period_label()).distinct().count()
    assert f"Only {with_figures} of England's" in text
    assert f"so the England quartiles are places among those {with_figures}." in text
