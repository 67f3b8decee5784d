"""Synthetic demo figures: deterministic, plausible, idempotent, and never over real data."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from councils.models import Council, NearestNeighbour
from scorecard.areas import ENGLAND_CODE, area_for_council
from scorecard.assurance.demo import cqc_demo_seed, demo_scores
from scorecard.assurance.models import CqcAssessment
from scorecard.catalogue import demo_ranges, framework_for_start_year
from scorecard.demo import CQC_DEMO_FIGURES, DEMO_START_YEARS, demo_values_seed
from scorecard.models import Area, Domain, Framework, ImportRecord, Measure, Value
from scorecard.periods import period_get_or_create

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[tuple[str, str, str], Decimal]:
    return {
        (v.measure.key, v.period.label, v.area.key): v.value
        for v in Value.objects.select_related("measure", "period", "area")
    }


def test_seed_creates_demo_values_for_the_region_england_and_every_year(west_midlands):
    summary = demo_values_seed()

    assert summary.values_created > 1000
    assert not summary.skipped
    values = Value.objects.select_related("measure", "period", "area", "source_import")
    assert all(v.is_demo for v in values)
    record = ImportRecord.objects.get(kind=ImportRecord.Kind.DEMO)
    assert (record.status, record.file_name) == (ImportRecord.Status.APPLIED, "demo data")
    assert {v.source_import_id for v in values} == {record.pk}
    areas = set(values.values_list("area__key", flat=True))
    council_codes = set(west_midlands.councils.values_list("gss_code", flat=True))
    assert areas == council_codes | {west_midlands.gss_code, ENGLAND_CODE}
    assert set(values.values_list("period__start_year", flat=True)) == set(DEMO_START_YEARS)


def test_values_lie_in_the_typical_and_plausible_ranges_and_match_the_year_framework(west_midlands):
    demo_values_seed()
    ranges = demo_ranges()
    for value in Value.objects.select_related("measure", "period"):
        measure = value.measure
        low, high = ranges[(measure.framework, measure.code)]
        if measure.code not in CQC_DEMO_FIGURES:  # those are the demo CQC outcomes' scores (below)
            assert (
                Decimal(str(low)) - Decimal("0.0005") <= value.value <= Decimal(str(high)) + Decimal("0.0005")
            )
        assert measure.plausible_min <= value.value <= measure.plausible_max
        assert measure.framework in (framework_for_start_year(value.period.start_year), Framework.NATIONAL)
        assert value.value == round(value.value, measure.decimal_places)


def test_every_domain_has_demo_figures_from_other_publishers_too(west_midlands):
    demo_values_seed()
    latest = Value.objects.filter(period__start_year=DEMO_START_YEARS[-1], is_demo=True)
    domains = set(latest.values_list("measure__domain__slug", flat=True))
    assert domains == set(Domain.objects.values_list("slug", flat=True))  # all six
    national = set(
        latest.filter(measure__framework=Framework.NATIONAL).values_list("measure__code", flat=True)
    )
    assert national == set(
        Measure.objects.filter(framework=Framework.NATIONAL).values_list("code", flat=True)
    )
    # Workforce and money every demo year; CQC's assessment of councils only from 2023-24.
    years = lambda code: set(  # noqa: E731
        Value.objects.filter(measure__code=code).values_list("period__start_year", flat=True)
    )
    assert years("ASC7") == years("ASCFR-GCE-ADULT") == set(DEMO_START_YEARS)
    assert years("CQC-LA-RATING") == {2023}


def test_the_cqc_figures_are_those_of_the_demo_cqc_outcomes(west_midlands):
    demo_values_seed()
    cqc_demo_seed()
    for assessment in CqcAssessment.objects.select_related("council"):
        figures = dict(
            Value.objects.filter(
                area__key=assessment.council.gss_code, measure__code__startswith="CQC-LA"
            ).values_list("measure__code", "value")
        )
        scores = demo_scores(assessment.council.gss_code)
        assert scores == assessment.scores
        rating = {"inadequate": 1, "requires_improvement": 2, "good": 3, "outstanding": 4}[assessment.rating]
        assert figures == {"CQC-LA-RATING": rating, "CQC-LA-GOV": scores[7], "CQC-LA-LEARN": scores[8]}


def test_carers_survey_is_biennial_and_delayed_transfers_end_in_2019_20(west_midlands):
    demo_values_seed()
    sace_years = set(
        Value.objects.filter(measure__source="SACE").values_list("period__label", flat=True).distinct()
    )
    assert sace_years == {"2021-22", "2023-24"}
    dtoc_years = set(
        Value.objects.filter(measure__code__in=["2C1", "2C2", "2C3"], measure__framework="ascof_2014")
        .values_list("period__label", flat=True)
        .distinct()
    )
    assert dtoc_years == {"2019-20"}
    # Every other 2014-framework measure has figures in each of its years.
    one_council = Area.objects.get(key="E08000025")
    salt_years = set(
        Value.objects.filter(area=one_council, measure__key="ascof-2014-2a2").values_list(
            "period__label", flat=True
        )
    )
    assert salt_years == {"2019-20", "2020-21", "2021-22", "2022-23"}
    assert Value.objects.filter(
        area=one_council, measure__key="ascof-2023-2c", period__label="2023-24"
    ).exists()


def test_seed_is_deterministic(west_midlands):
    demo_values_seed()
    first = _snapshot()
    Value.objects.all().delete()
    demo_values_seed()
    assert _snapshot() == first


def test_seed_is_idempotent(west_midlands):
    demo_values_seed()
    before = _snapshot()
    record = ImportRecord.objects.get(kind=ImportRecord.Kind.DEMO)

    again = demo_values_seed()

    assert (again.values_created, again.values_updated) == (0, 0)
    assert again.values_unchanged == len(before)
    assert again.neighbour_groups_created == 0
    assert _snapshot() == before
    assert ImportRecord.objects.filter(kind=ImportRecord.Kind.DEMO).count() == 1
    assert ImportRecord.objects.get().created == record.created


def test_councils_differ_and_trends_drift_gently(west_midlands):
    demo_values_seed()
    values = {
        (v.area.key, v.period.start_year): v.value
        for v in Value.objects.filter(measure__key="ascof-2014-1a").select_related("area", "period")
    }
    councils = list(west_midlands.councils.values_list("gss_code", flat=True))
    assert len({values[(code, 2019)] for code in councils}) > 5
    low, high = demo_ranges()[("ascof_2014", "1A")]
    for code in councils:
        assert abs(values[(code, 2020)] - values[(code, 2019)]) < Decimal(str((high - low) * 0.5))


def test_real_values_stop_demo_seeding_and_are_never_touched(west_midlands, birmingham):
    measure = Measure.objects.get(key="ascof-2014-1a")
    real = Value.objects.create(
        measure=measure,
        period=period_get_or_create(start_year=2019),
        area=area_for_council(council=birmingham),
        value=Decimal("19.3"),
    )
    summary = demo_values_seed()
    assert summary.skipped
    assert list(Value.objects.all()) == [real]
    real.refresh_from_db()
    assert real.value == Decimal("19.3") and not real.is_demo


def test_demo_comparator_groups_for_councils_without_one(west_midlands, birmingham, coventry):
    NearestNeighbour.objects.create(council=coventry, position=1, neighbour_gss_code="E08000025")
    summary = demo_values_seed()

    assert summary.neighbour_groups_created == west_midlands.councils.count() - 1
    assert list(
        NearestNeighbour.objects.filter(council=coventry).values_list("neighbour_gss_code", flat=True)
    ) == ["E08000025"]
    group = list(NearestNeighbour.objects.filter(council=birmingham).order_by("position"))
    assert len(group) == west_midlands.councils.count() - 1
    assert birmingham.gss_code not in {row.neighbour_gss_code for row in group}
    types = Council.objects.in_bulk([row.neighbour_gss_code for row in group], field_name="gss_code")
    same_type = [types[row.neighbour_gss_code].council_type == birmingham.council_type for row in group]
    assert same_type == sorted(same_type, reverse=True)  # same type first
    assert same_type[0]
    assert all(row.is_demo for row in group)


def test_seed_demo_command_prints_counts(west_midlands):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "sli.lead" in text
    assert "Demo values:" in text and "created" in text
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_seed_demo_command_refuses_outside_demo_mode(settings, west_midlands):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo", stdout=StringIO())
    assert not Value.objects.exists()
