"""Fuzz: every page × every query parameter (and every path parameter) × hostile values.

No input may take the service down: a NUL byte or another control character is a 400 before any
database sees it (PostgreSQL refuses NUL in a string literal), and nothing else is ever a 500. The
suite runs on SQLite and on PostgreSQL, so this holds on both.
"""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client

from councils.models import Council, Region
from peerchallenge.models import AvoidPair, PackBuild, Summit
from peerchallenge.services import summit_pair, summit_transition
from peerchallenge.themes.services import ThemeInput, finding_save, theme_create, work_item_from_theme
from scorecard.areas import area_for_council
from scorecard.models import Framework, ImportRecord, Measure, Value
from scorecard.periods import period_get_or_create
from tests.factories import UserFactory
from tests.selfassessment_helpers import drafted, make_cycle, submitted
from tests.test_permission_matrix import url_pattern_names
from tests.test_summits import make_summit

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
COVENTRY = "E08000026"
WEST_MIDLANDS = "E12000005"
# Every query parameter a page reads (views, filters, tables, exports), and a few they do not.
PARAMETERS = [
    "period",
    "domain",
    "region",
    "name",
    "council_type",
    "councils",
    "council",
    "measure",
    "sort",
    "page",
    "per_page",
    "_export",
    "chart",
    "format",
    "next",
    "q",
]
CONTROL = ["\x00", "2023-24\x00", "\x1b[31m"]
HOSTILE = [
    *CONTROL,
    "x" * 3000,  # long but under the limit: the page must cope
    "y" * 10_000,  # over the limit: a 400
    "'\"<script>alert(1)</script>",
    "-1",
    "9" * 40,
    "NaN",
    "../../etc/passwd",
    "%",
    "\u202e\u0000\ufffd",
    "",
]
# Path parameters: a valid sample for each pattern argument (the objects the ``data`` fixture makes), then
# each hostile value in its place.
SKIP = {
    "admin:*",
    "logout",
    "scorecard:import-confirm",
    "scorecard:import-check-again",
}  # POST-only, or admin
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


def _pages() -> list[tuple[str, str]]:
    return [(name, route) for name, route in sorted(url_pattern_names().items()) if name not in SKIP]


def _samples(route: str, data: dict) -> dict[str, str]:
    """A valid value for each argument of ``route``: summits and imports both have a ``pk``, councils and
    regions both a ``gss_code``."""
    return {
        "gss_code": WEST_MIDLANDS if route.startswith("/regions/") else BIRMINGHAM,
        "key": "local-fuzz",
        "pk": str(data["summit"].pk if route.startswith("/summits/") else data["record"].pk),
        "avoid_pk": str(data["avoid"].pk),
        "build_pk": str(data["pack_build"].pk),
        "slug": data["cycle"].slug,
        # Themes, loggers, recommendations and the work programme.
        "theme_pk": str(data["theme"].pk),
        "user_pk": str(data["user"].pk),
        "rec_pk": str(data["recommendation"].pk),
        "year": str(data["item"].programme.year),
        "item_pk": str(data["item"].pk),
        "fmt": "csv",
        "to": "held",
        # A pack outside a summit, for the cycle's period.
        "period": data["cycle"].period.label,
    }


def _fill(route: str, samples: dict[str, str]) -> str:
    return ARGUMENT.sub(lambda m: samples[m.group(1)], route)


def _path_variants(route: str, samples: dict[str, str]) -> list[str]:
    variants = []
    for match in ARGUMENT.finditer(route):
        for value in HOSTILE:
            if value:
                filled = route[: match.start()] + quote(value, safe="") + route[match.end() :]
                variants.append(_fill(filled, samples))
    return variants


@pytest.fixture
def data(db):
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
    values = []
    for start in (2022, 2023):
        period = period_get_or_create(start_year=start)
        for number, council in enumerate(Council.objects.all()):
            for m in (measure, ascof):
                values.append(
                    Value(
                        measure=m,
                        period=period,
                        area=area_for_council(council=council),
                        value=Decimal(number),
                    )
                )
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


@pytest.mark.parametrize(("name", "route"), _pages())
def test_every_parameter_with_hostile_values_never_500s(data, admin, name, route):
    samples = _samples(route, data)
    path = _fill(route, samples)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    failures = []
    for parameter in PARAMETERS:
        for value in HOSTILE:
            response = client.get(path, {parameter: value})
            expected_400 = any(c in value for c in "\x00\x1b\x7f") or len(value) > 4096
            if response.status_code >= 500 or (expected_400 and response.status_code != 400):
                failures.append(f"?{parameter}={value[:20]!r}: {response.status_code}")
    for variant in _path_variants(route, samples):
        response = client.get(variant)
        if response.status_code >= 500 or ("%00" in variant and response.status_code != 400):
            failures.append(f"{variant[:80]}: {response.status_code}")
    assert not failures, f"{path}:\n" + "\n".join(failures)
