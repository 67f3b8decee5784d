"""Fuzz: every page × every query parameter (and every path parameter) × hostile values (issue 16).

No input may take the service down: a NUL byte or another control character is a 400 before any
database sees it (PostgreSQL refuses NUL in a string literal), and nothing else is ever a 500. The
suite runs on SQLite and on PostgreSQL, so this holds on both.
"""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client

from councils.models import Council
from scorecard.areas import area_for_council
from scorecard.models import Framework, ImportRecord, Measure, Value
from scorecard.periods import period_get_or_create
from tests.test_permission_matrix import url_pattern_names

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
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
# Path parameters: a valid sample for each pattern argument, then each hostile value in its place.
SAMPLES = {"gss_code": BIRMINGHAM, "key": "local-fuzz", "pk": "1"}
SKIP = {"admin:*", "logout", "scorecard:import-confirm"}  # POST-only or the admin's own pages


def _pages() -> list[tuple[str, str]]:
    pages = []
    for name, route in sorted(url_pattern_names().items()):
        if name in SKIP:
            continue
        pages.append((name, re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES[m.group(1)], route)))
    return pages


def _path_variants(route: str) -> list[str]:
    variants = []
    for match in re.finditer(r"<(?:\w+:)?(\w+)>", route):
        for value in HOSTILE:
            if value:
                filled = route[: match.start()] + quote(value, safe="") + route[match.end() :]
                variants.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES[m.group(1)], filled))
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
    SAMPLES["pk"] = str(record.pk)
    return record


@pytest.mark.parametrize(("name", "path"), _pages())
def test_every_parameter_with_hostile_values_never_500s(data, admin, name, path):
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    failures = []
    for parameter in PARAMETERS:
        for value in HOSTILE:
            response = client.get(path, {parameter: value})
            expected_400 = any(c in value for c in "\x00\x1b\x7f") or len(value) > 4096
            if response.status_code >= 500 or (expected_400 and response.status_code != 400):
                failures.append(f"?{parameter}={value[:20]!r}: {response.status_code}")
    for variant in _path_variants(url_pattern_names()[name]):
        response = client.get(variant)
        if response.status_code >= 500 or ("%00" in variant and response.status_code != 400):
            failures.append(f"{variant[:80]}: {response.status_code}")
    assert not failures, f"{path}:\n" + "\n".join(failures)
