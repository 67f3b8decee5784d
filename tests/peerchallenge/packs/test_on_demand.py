"""Packs outside a summit, from the web ("also for any council and period on demand"): who may
choose which council, the period honoured, the files named as on the command line, bad choices explained."""

import pytest
from django.test import Client

from councils.models import Council, Membership, Region
from scorecard.models import Period
from scorecard.scorecards.selectors import council_scorecard
from tests.factories import MembershipFactory, UserFactory
from tests.pack_helpers import (
    BIRMINGHAM,
    COVENTRY,
    SECTIONS,
    WEST_MIDLANDS,
    assert_pack_matches_scorecard,
    docx_text,
    pdf_pages,
    small_summit,
)

pytestmark = [pytest.mark.pdf, pytest.mark.django_db]


@pytest.fixture
def demo(settings, tmp_path):
    from scorecard.demo import demo_values_seed

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_values_seed()
    periods = list(Period.objects.filter(values__isnull=False).distinct().order_by("start_year"))
    assert len(periods) >= 3
    return periods


def signed_in(role: str, *, council: str | None = None, region: str | None = None) -> Client:
    kwargs = {"role": role}
    if council:
        kwargs["council"] = Council.objects.get(gss_code=council)
    if region:
        kwargs["region"] = Region.objects.get(gss_code=region)
    user = MembershipFactory(user=UserFactory(), **kwargs).user
    client = Client()
    client.force_login(user)
    return client


def download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content)


def test_the_coordinator_makes_a_pack_on_any_council_of_the_region_for_an_older_period(demo):
    client = signed_in(Membership.Role.COORDINATOR, region=WEST_MIDLANDS)
    page = client.get("/packs/").content.decode()
    region = Region.objects.get(gss_code=WEST_MIDLANDS)
    for council in Council.objects.filter(region=region):
        assert f'value="{council.gss_code}"' in page, council.name
    assert 'value="E09000002"' not in page  # Barking and Dagenham: London
    older = demo[-2]  # not the latest period: the pack must be about the one chosen
    chosen = client.get(f"/packs/?council={BIRMINGHAM}&period={older.label}").content.decode()
    pdf_url = f"/packs/{BIRMINGHAM}/{older.label}.pdf"
    docx_url = f"/packs/{BIRMINGHAM}/{older.label}-pro-forma.docx"
    assert pdf_url in chosen and docx_url in chosen and "Demo data" in chosen

    response = client.get(pdf_url)  # built at once by the tests' immediate task backend
    assert (
        response["Content-Disposition"] == f'attachment; filename="{BIRMINGHAM}-birmingham-{older.label}.pdf"'
    )
    pages = pdf_pages(b"".join(response.streaming_content))
    assert "Not for a summit (pack on demand)" in pages[0] and older.label in pages[0]
    text = "\n".join(pages)
    for title in SECTIONS:
        assert title in text, title
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    card = council_scorecard(council=birmingham, period=older)
    assert assert_pack_matches_scorecard(text, card) == len(card.rows) > 10
    paragraphs, _ = docx_text(download(client, docx_url))
    assert any("Demo data" in t for _, t in paragraphs)


def test_a_dass_chooses_their_own_council_and_the_ones_it_challenges_only(demo):
    client = signed_in(Membership.Role.DASS, council=BIRMINGHAM)
    page = client.get("/packs/").content.decode()
    assert f'value="{BIRMINGHAM}"' in page and f'value="{COVENTRY}"' not in page
    latest = demo[-1].label
    refused = client.get(f"/packs/?council={COVENTRY}&period={latest}").content.decode()
    assert "There is a problem" in refused and "Choose one of the councils listed" in refused
    assert f"/packs/{COVENTRY}/" not in refused
    assert client.get(f"/packs/{COVENTRY}/{latest}.pdf").status_code == 403
    assert client.get(f"/packs/{COVENTRY}/{latest}/preparing/?file=pdf").status_code == 403
    small_summit(councils=(BIRMINGHAM, COVENTRY))  # now Birmingham challenges Coventry in a published summit
    assert f'value="{COVENTRY}"' in client.get("/packs/").content.decode()
    assert client.get(f"/packs/{COVENTRY}/{latest}.pdf").status_code == 200


def test_bad_choices_are_explained_and_unknown_addresses_are_not_found(demo):
    client = signed_in(Membership.Role.SLI_LEAD, region=WEST_MIDLANDS)
    page = client.get(f"/packs/?council={BIRMINGHAM}&period=1999-00").content.decode()
    assert "There is a problem" in page and "Choose one of the periods listed" in page
    page = client.get("/packs/?council=&period=").content.decode()
    assert "Choose the council the pack is about" in page
    assert client.get(f"/packs/{BIRMINGHAM}/1999-00.pdf").status_code == 404
    assert client.get(f"/packs/E99999999/{demo[-1].label}.pdf").status_code == 404
    nobody = signed_in(Membership.Role.DASS, council="E09000002")  # London: nothing in the West Midlands
    assert nobody.get(f"/packs/{BIRMINGHAM}/{demo[-1].label}-pro-forma.docx").status_code == 403


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Membership.Role.DASS, {"council": BIRMINGHAM}),
        (Membership.Role.COORDINATOR, {"region": WEST_MIDLANDS}),
        ("admin", {}),
    ],
)
def test_the_page_takes_a_constant_number_of_queries(demo, role, where, django_assert_max_num_queries):
    """Every council is checked against the pack rule, without a query per council."""
    if role == "admin":
        client = Client()
        client.force_login(UserFactory(is_staff=True))
    else:
        client = signed_in(role, **where)
    small_summit(councils=(BIRMINGHAM, COVENTRY))
    with django_assert_max_num_queries(13):  # one of them: has the council figures for the period?
        page = client.get(f"/packs/?council={BIRMINGHAM}&period={demo[-1].label}")
    assert page.status_code == 200 and f"/packs/{BIRMINGHAM}/{demo[-1].label}.pdf" in page.content.decode()


def test_a_pack_for_an_older_period_never_sets_a_later_self_assessment_beside_its_figures(demo):
    """Outside a summit the self-assessment shown is the one made against the pack's own period's figures;
    a period no cycle compares says so instead of borrowing the latest cycle's ratings."""
    from selfassessment.demo import self_assessment_demo_seed
    from selfassessment.models import SelfAssessmentCycle

    self_assessment_demo_seed()
    compared = set(SelfAssessmentCycle.objects.values_list("period__label", flat=True))
    assert demo[-1].label in compared and demo[-3].label not in compared
    client = signed_in(Membership.Role.SLI_LEAD, region=WEST_MIDLANDS)
    latest = "\n".join(pdf_pages(download(client, f"/packs/{BIRMINGHAM}/{demo[-1].label}.pdf")))
    assert f"Data compared: {demo[-1].label}" in latest
    old = "\n".join(pdf_pages(download(client, f"/packs/{BIRMINGHAM}/{demo[-3].label}.pdf")))
    assert "Data compared:" not in old
    # It names the period of the self-assessment there is, and never says none was submitted.
    words = " ".join(old.split())
    assert f"No self-assessment compares the {demo[-3].label} figures." in words
    assert f"compares the {demo[-1].label} figures: see that period's pack" in words
    assert "No self-assessment was submitted" not in words and "has not submitted" not in words
    scorecard = old.split("2. Balanced scorecard")[2].split("3. Performance data set")[0]
    assert scorecard.count("Not rated") == 6  # no self-rating beside the six domains
