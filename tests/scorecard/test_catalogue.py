"""The seeded measures catalogue: both ASCOF frameworks, polarity, units, domains and the crosswalk."""

import io

import pytest
from django.core.management import call_command

from scorecard.catalogue import catalogue_load, framework_for_start_year
from scorecard.models import Domain, Measure

pytestmark = pytest.mark.django_db

OLD_CODES = [
    "1A",
    "1B",
    "1C1A",
    "1C1B",
    "1C2A",
    "1C2B",
    "1D",
    "1E",
    "1F",
    "1G",
    "1H",
    "1I1",
    "1I2",
    "1J",
    "2A1",
    "2A2",
    "2B1",
    "2B2",
    "2C1",
    "2C2",
    "2C3",
    "2D",
    "3A",
    "3B",
    "3C",
    "3D1",
    "3D2",
    "4A",
    "4B",
]
NEW_CODES = [
    "1A",
    "1B",
    "1C",
    "1D",
    "1E",
    "2A",
    "2B",
    "2C",
    "2D1",
    "2D2",
    "2E",
    "3A",
    "3B",
    "3C1",
    "3C2",
    "3D1A",
    "3D1B",
    "3D2A",
    "3D2B",
    "4A",
    "5A1",
    "5A2",
]


def test_both_frameworks_are_seeded_with_every_code():
    assert sorted(Measure.objects.filter(framework="ascof_2014").values_list("code", flat=True)) == sorted(
        OLD_CODES
    )
    assert sorted(Measure.objects.filter(framework="ascof_2023").values_list("code", flat=True)) == sorted(
        NEW_CODES
    )


@pytest.mark.parametrize(
    ("old", "new"), [("2A2", "2C"), ("1G", "2E"), ("1C2A", "3D2A"), ("1J", "1B"), ("1B", "3A"), ("2D", "2A")]
)
def test_crosswalk_joins_old_and_refreshed_codes(old, new):
    refreshed = Measure.objects.get(framework="ascof_2023", code=new)
    assert refreshed.replaces.code == old
    assert refreshed.series == Measure.objects.get(framework="ascof_2014", code=old).series


def test_same_code_different_measures_have_different_keys():
    old, new = Measure.objects.get(key="ascof-2014-1b"), Measure.objects.get(key="ascof-2023-1b")
    assert "control over their daily life" in old.title
    assert "Adjusted" in new.title and old.series != new.series


def test_polarity_and_units():
    assert Measure.objects.get(key="ascof-2014-2a2").polarity == "lower"
    assert Measure.objects.get(key="ascof-2014-2a2").unit == "rate_100k"
    assert (
        Measure.objects.get(key="ascof-2014-2d").polarity == "higher"
    )  # not the third-party table's "lower"
    assert Measure.objects.get(key="ascof-2014-1a").scale_max == 24
    assert Measure.objects.get(key="ascof-2023-1c").scale_max == 12


def test_six_domains_in_order_and_every_ascof_measure_has_one():
    assert list(Domain.objects.values_list("name", flat=True)) == [
        "Performance and Outcomes",
        "Governance and Leadership",
        "Resources and Workforce Management",
        "Commissioning and Quality",
        "National Priorities and Partnerships",
        "Culture and Change",
    ]
    assert not Measure.objects.filter(domain__isnull=True).exists()


def test_catalogue_load_is_idempotent_and_keeps_admin_domain_choices():
    measure = Measure.objects.get(key="ascof-2014-3c")
    measure.domain = Domain.objects.get(slug="governance-and-leadership")
    measure.save()
    result = catalogue_load()
    assert (result.domains_created, result.measures_created, result.measures_updated) == (0, 0, 0)
    measure.refresh_from_db()
    assert measure.domain.slug == "governance-and-leadership"
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert "0 measure(s) updated" in out.getvalue()


@pytest.mark.parametrize(
    ("year", "framework"), [(2017, "ascof_2014"), (2022, "ascof_2014"), (2023, "ascof_2023")]
)
def test_framework_by_year(year, framework):
    assert framework_for_start_year(year) == framework
