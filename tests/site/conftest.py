from decimal import Decimal

import pytest

from councils.models import Council, Region
from peerchallenge.models import AvoidPair, PackBuild, Summit
from peerchallenge.services import summit_pair, summit_transition
from peerchallenge.themes.services import ThemeInput, finding_save, theme_create, work_item_from_theme
from scorecard.areas import area_for_council
from scorecard.models import Framework, ImportRecord, Measure, Value
from scorecard.periods import period_get_or_create
from tests.factories import UserFactory, make_summit
from tests.selfassessment_helpers import drafted, make_cycle, submitted
from tests.worlds import once_per_module, seeded_once_per_module

BIRMINGHAM = "E08000025"
COVENTRY = "E08000026"
WEST_MIDLANDS = "E12000005"


@pytest.fixture
def data(request, db):
    """Objects behind every page (seeded once for a module that asks for ``data_once_per_module``)."""
    seeded = once_per_module(request, "data_once_per_module")
    return seeded if seeded is not None else data_seed()


@pytest.fixture(scope="module")
def data_once_per_module(django_db_setup, django_db_blocker):
    yield from seeded_once_per_module(django_db_blocker, data_seed)


def data_seed() -> dict:
    """Objects behind every page: local and ASCOF figures, a failed import, a cycle (one submitted, one draft),
    a published summit with a never-pair, a waiting pack build, a theme, a work item and a finding."""
    measure = Measure.objects.create(
        key="local-fuzz",
        code="FUZZ",
        framework=Framework.LOCAL,
        title="Fuzz",
        unit="percent",
        polarity="higher",
        series="local-fuzz",
    )
    ascof = Measure.objects.exclude(framework=Framework.LOCAL).first()
    record = ImportRecord.objects.create(
        kind=ImportRecord.Kind.LOCAL, status=ImportRecord.Status.FAILED, file_name="x.csv"
    )
    areas = [area_for_council(council=council) for council in Council.objects.all()]
    values = []
    for start in (2022, 2023):
        period = period_get_or_create(start_year=start)
        for number, area in enumerate(areas):
            for m in (measure, ascof):
                values.append(Value(measure=m, period=period, area=area, value=Decimal(number)))
    Value.objects.bulk_create(values)
    # A self-assessment cycle with Birmingham's submitted and Coventry's draft, and a published summit
    # pairing them (with a "never pair" constraint), so every self-assessment and summit page has content.
    west_midlands = Region.objects.get(gss_code=WEST_MIDLANDS)
    birmingham, coventry = (Council.objects.get(gss_code=code) for code in (BIRMINGHAM, COVENTRY))
    cycle = make_cycle(period=period_get_or_create(start_year=2023))
    submitted(cycle=cycle, council=birmingham)
    drafted(cycle=cycle, council=coventry)
    summit = make_summit(west_midlands, councils=[birmingham, coventry], rooms=2, cycle=cycle)
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    dudley, sandwell = (Council.objects.get(gss_code=code) for code in ("E08000027", "E08000028"))
    avoid = AvoidPair.objects.create(summit=summit, council_a=dudley, council_b=sandwell)
    pack_build = PackBuild.objects.create(summit=summit)  # a pack build still waiting
    theme = theme_create(
        summit=summit, data=ThemeInput(title="Fuzz theme", councils=[birmingham]), by=None
    ).theme
    item = work_item_from_theme(theme=theme)
    finding = finding_save(summit=summit, council=birmingham, key_findings="x", recommendations=["y"])
    return {
        "record": record,
        "cycle": cycle,
        "summit": summit,
        "avoid": avoid,
        "pack_build": pack_build,
        "theme": theme,
        "item": item,
        "recommendation": finding.recommendations.get(),
        "user": UserFactory(username="fuzz.logger"),
    }
