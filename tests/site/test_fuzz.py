"""Fuzz: every page × every query parameter (and every path parameter) × hostile values.

No input may take the service down: a NUL byte or another control character is a 400 before any
database sees it (PostgreSQL refuses NUL in a string literal), and nothing else is ever a 500. The
suite runs on SQLite and on PostgreSQL, so this holds on both.

Each page first gets every parameter at once, once per hostile value, while the test records which
parameter names the page looks up (``get``, ``[]``, ``getlist``, ``in``). Every parameter it looked up is
then tried alone with every hostile value. A parameter a page never looks up cannot change what it does
beyond the query string it echoes in links, which the all-at-once requests already cover, so this finds
what trying all 16 parameters alone on every page found, in a quarter of the requests.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.test import Client

from tests.site.url_patterns import ARGUMENT, fill, pages, sample_arguments

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_once_per_module")]

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


@contextmanager
def _recording_lookups() -> Iterator[set[str]]:
    """Yield a set that collects every query-parameter name looked up, in a request's parameters or in a
    copy of them, while it is open (not the lookups Django makes while parsing a query string)."""
    looked_up: set[str] = set()
    with pytest.MonkeyPatch.context() as patch:
        original_init = QueryDict.__init__

        def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            original_init(self, *args, **kwargs)
            self._parsed = True

        patch.setattr(QueryDict, "__init__", init)
        for method in ("get", "__getitem__", "getlist", "__contains__"):
            original = getattr(QueryDict, method)

            def recording(self, key, *args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
                if getattr(self, "_parsed", False):
                    looked_up.add(key)
                return _original(self, key, *args, **kwargs)

            patch.setattr(QueryDict, method, recording)
        yield looked_up


def _failure(response, value: str) -> bool:  # type: ignore[no-untyped-def]
    expected_400 = any(c in value for c in "\x00\x1b\x7f") or len(value) > 4096
    return response.status_code >= 500 or (expected_400 and response.status_code != 400)


@pytest.mark.parametrize(("name", "route"), pages())
def test_every_parameter_with_hostile_values_never_500s(data, admin, name, route):
    samples = sample_arguments(route, data)
    path = fill(route, samples)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    failures = []
    with _recording_lookups() as looked_up:
        client.get(path)
        for value in HOSTILE:
            response = client.get(path, dict.fromkeys(PARAMETERS, value))
            if _failure(response, value):
                failures.append(f"every parameter={value[:20]!r}: {response.status_code}")
    for parameter in (p for p in PARAMETERS if p in looked_up):
        for value in HOSTILE:
            response = client.get(path, {parameter: value})
            if _failure(response, value):
                failures.append(f"?{parameter}={value[:20]!r}: {response.status_code}")
    for variant in _path_variants(route, samples):
        response = client.get(variant)
        if response.status_code >= 500 or ("%00" in variant and response.status_code != 400):
            failures.append(f"{variant[:80]}: {response.status_code}")
    assert not failures, f"{path}:\n" + "\n".join(failures)


def test_lookups_are_recorded_so_no_parameter_a_page_reads_goes_untried(data, admin):
    """The recorder above sees the parameters a real page reads (the measure list's filters and table)."""
    client = Client()
    client.force_login(admin)
    with _recording_lookups() as looked_up:
        assert client.get("/measures/", {"q": "x"}).status_code == 200
    assert {"sort", "page"} <= looked_up
