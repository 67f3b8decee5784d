"""Fuzz: every page × every query parameter (and every path parameter) × hostile values.

No input may take the service down: a NUL byte or another control character is a 400 before any
database sees it (PostgreSQL refuses NUL in a string literal), and nothing else is ever a 500. The
suite runs on SQLite and on PostgreSQL, so this holds on both.
"""

from urllib.parse import quote

import pytest
from django.test import Client

from tests.site.url_patterns import ARGUMENT, fill, pages, sample_arguments

pytestmark = pytest.mark.django_db

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


def _path_variants(route: str, samples: dict[str, str]) -> list[str]:
    variants = []
    for match in ARGUMENT.finditer(route):
        for value in HOSTILE:
            if value:
                filled = route[: match.start()] + quote(value, safe="") + route[match.end() :]
                variants.append(fill(filled, samples))
    return variants


@pytest.mark.parametrize(("name", "route"), pages())
def test_every_parameter_with_hostile_values_never_500s(data, admin, name, route):
    samples = sample_arguments(route, data)
    path = fill(route, samples)
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
