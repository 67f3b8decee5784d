"""Placing councils named as CQC's tables, finance returns and workforce extracts name them."""

import pytest

from councils.models import Council
from councils.names import council_match, name_core, name_normalise

pytestmark = pytest.mark.django_db

PLACED = {
    "London Borough of Camden": "E09000007",
    "Royal Borough of Kensington and Chelsea": "E09000020",
    "Wokingham Borough Council": "E06000041",
    "Bristol City Council": "E06000023",
    "Stoke": "E06000021",
    "Southend": "E06000033",
    "County Durham": "E06000047",
    "Durham County Council": "E06000047",
    "Hull City Council": "E06000010",
    "Herefordshire Council": "E06000019",
    "St Helens": "E08000013",
    "Saint Helens Metropolitan Borough Council": "E08000013",
    "Telford & Wrekin Council": "E06000020",
    "Council of the Isles of Scilly": "E06000053",
    "  birmingham  ": "E08000025",
    "e08000026": "E08000026",
    "406": "E08000025",
}


@pytest.mark.parametrize(("given", "gss"), PLACED.items())
def test_names_as_publishers_write_them_are_placed_on_one_council(given, gss):
    match = council_match(names=[given])[given]
    assert match.is_placed, match.problem
    assert match.council.gss_code == gss
    assert match.problem == ""


def test_a_name_that_fits_several_councils_is_not_guessed():
    match = council_match(names=["Cheshire"])["Cheshire"]
    assert match.council is None
    assert {c.name for c in match.candidates} == {"Cheshire East", "Cheshire West and Chester"}
    assert "Cheshire East" in match.problem and "GSS code" in match.problem


def test_an_unknown_name_is_refused_with_the_closest_names():
    match = council_match(names=["Birmingam City Council"])["Birmingam City Council"]
    assert match.council is None
    assert match.suggestions == ("Birmingham",)
    assert "Did you mean Birmingham?" in match.problem


@pytest.mark.parametrize("given", ["Gotham", "E99999999", "999", ""])
def test_names_and_codes_of_no_council_are_refused(given):
    match = council_match(names=[given])[given]
    assert match.council is None and match.problem


def test_former_councils_are_placed_only_when_asked_for():
    former = Council.objects.filter(status=Council.Status.FORMER).get(name="Poole")
    assert not council_match(names=[former.gss_code])[former.gss_code].is_placed
    assert council_match(names=[former.gss_code], include_former=True)[former.gss_code].council == former


def test_a_list_of_names_is_placed_in_one_query(django_assert_num_queries):
    names = list(PLACED) * 3
    with django_assert_num_queries(1):
        matches = council_match(names=names)
    assert list(matches) == list(PLACED)


def test_style_words_are_set_aside_but_the_place_name_is_kept():
    assert name_core(name_normalise("The Royal Borough of Windsor & Maidenhead")) == "windsor and maidenhead"
    assert name_core(name_normalise("Kingston upon Hull, City of")) == "kingston upon hull"
    assert name_core(name_normalise("Council")) == "council"
