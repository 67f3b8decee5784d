"""Every balanced-scorecard domain has measures: the national measures of other publishers (workforce,
money, safeguarding, demand, provider quality, CQC's assessment of the council) beside ASCOF's."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from scorecard.catalogue import catalogue_load
from scorecard.imports.mappings import OFLOG_ASC, shipped_mappings_load
from scorecard.models import Domain, Framework, ImportMapping, Measure, Polarity, Unit

pytestmark = pytest.mark.django_db

# code → (domain slug, unit, polarity, a word the source names)
NATIONAL = {
    "ASC7": ("resources-and-workforce-management", Unit.PERCENT, Polarity.NONE, "Skills for Care"),
    "SFC-VACANCY": ("resources-and-workforce-management", Unit.PERCENT, Polarity.LOWER, "Skills for Care"),
    "ASCFR-GCE-ADULT": ("resources-and-workforce-management", Unit.CURRENCY, Polarity.NONE, "ASC-FR"),
    "ASCFR-RES-NURS": ("resources-and-workforce-management", Unit.PERCENT, Polarity.NONE, "ASC-FR"),
    "SALT-REQ-100K": ("resources-and-workforce-management", Unit.RATE_100K, Polarity.NONE, "SALT"),
    "ASC6": ("resources-and-workforce-management", Unit.PERCENT, Polarity.NONE, "Oflog"),
    "SAC-S42-100K": ("performance-and-outcomes", Unit.RATE_100K, Polarity.NONE, "SAC"),
    "SAC-MSP-ASKED": ("performance-and-outcomes", Unit.PERCENT, Polarity.HIGHER, "SAC"),
    "SAC-MSP-MET": ("performance-and-outcomes", Unit.PERCENT, Polarity.HIGHER, "SAC"),
    "CQC-GOOD-OUTST": ("commissioning-and-quality", Unit.PERCENT, Polarity.HIGHER, "CQC"),
    "CQC-LA-RATING": ("governance-and-leadership", Unit.SCORE, Polarity.HIGHER, "CQC"),
    "CQC-LA-GOV": ("governance-and-leadership", Unit.SCORE, Polarity.HIGHER, "CQC"),
    "CQC-LA-LEARN": ("governance-and-leadership", Unit.SCORE, Polarity.HIGHER, "CQC"),
}


def test_every_domain_has_measures():
    domains = list(Domain.objects.order_by("position"))
    assert len(domains) == 6
    for domain in domains:
        assert Measure.objects.filter(domain=domain).exists(), f"{domain.name} has no measure"


def test_the_two_domains_ascof_leaves_empty_are_filled_by_national_measures():
    for slug in ("governance-and-leadership", "resources-and-workforce-management"):
        frameworks = set(Measure.objects.filter(domain__slug=slug).values_list("framework", flat=True))
        assert frameworks == {Framework.NATIONAL}


@pytest.mark.parametrize("code", sorted(NATIONAL))
def test_national_measure_has_definition_unit_source_polarity_and_domain(code):
    measure = Measure.objects.get(framework=Framework.NATIONAL, code=code)
    domain, unit, polarity, source_word = NATIONAL[code]
    assert measure.key == f"national-{code.lower()}"
    assert (measure.domain.slug, measure.unit, measure.polarity) == (domain, unit, polarity)
    assert source_word in measure.source or source_word in measure.source_basis
    for text in (measure.description, measure.counted, measure.source_basis, measure.caveats):
        assert len(text) > 30
    if polarity == Polarity.NONE:
        assert "polarity" in measure.caveats.lower()  # says why "better" is contested


def test_cqc_scores_are_out_of_four():
    for code in ("CQC-LA-RATING", "CQC-LA-GOV", "CQC-LA-LEARN"):
        measure = Measure.objects.get(framework=Framework.NATIONAL, code=code)
        assert measure.scale_max == 4 and measure.plausible_min == 1 and measure.decimal_places == 0


def test_fixtures_hold_definitions_only_no_figures():
    path = Path(settings.BASE_DIR) / "fixtures" / "measures.csv"
    with path.open(encoding="utf-8") as handle:
        national = [row for row in csv.DictReader(handle) if row["framework"] == "national"]
    assert {row["code"] for row in national} == set(NATIONAL)


def test_reloading_the_catalogue_changes_nothing():
    result = catalogue_load()
    assert (result.domains_created, result.measures_created, result.measures_updated) == (0, 0, 0)


def test_the_oflog_mapping_is_shipped_and_points_at_catalogue_measures():
    mapping = ImportMapping.objects.get(name="oflog-asc")
    assert mapping.shipped and mapping.spec == OFLOG_ASC
    for key in OFLOG_ASC["codes"].values():
        assert Measure.objects.filter(key=key).exists()
    assert shipped_mappings_load() == 0  # idempotent
