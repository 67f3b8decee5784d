"""Fuzz the writes: every form on every page, and the JSON API, posted with hostile text; then every download.

Each role that writes (admin, the region's coordinator, a council's DASS) opens every page, and every form it
is shown is posted back as the page would post it, with each text field replaced by hostile text: control
characters and NUL, bytes that are not UTF-8 (a lone surrogate as a browser would send it), Word's line and
page breaks, formula-looking text. The plenary's JSON API gets hostile JSON: NUL and lone surrogates in every
string (keys too), nesting 5,000 deep, wrong types, huge numbers. None of it may be a 500, nothing stored may
hold a character no document can hold, and then every download the pages link to (CSV, XLSX, Word, PDF,
calendar, ZIP, JSON) is fetched and opened.
"""

import io
import json
import zipfile
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from core.text import has_unwritable
from councils.models import Council, Region
from peerchallenge.models import Summit
from peerchallenge.services import summit_pair, summit_transition
from tests.factories import make_summit
from tests.site.url_patterns import fill, pages, sample_arguments

pytestmark = [pytest.mark.long, pytest.mark.django_db]

HOSTILE_TEXT = [
    "Agency\x00 staff\x01 \x1b[31mred\x1f",
    "Line one\x0bline two\x0cpage two\ttab\r\nend",
    '=HYPERLINK("http://evil.example")\u202e\ufeff\ufffe',
]
# Bytes a browser sends for text it could not encode (a lone surrogate in UTF-8 form), and truncated UTF-8.
HOSTILE_BYTES = b"%ED%A0%80broken%F0%9F%00"
SKIPPED_ACTIONS = ("/accounts/logout/", "/accounts/login/", "/admin/")
TEXT_TYPES = {"", "text", "search", "email", "url", "tel", "number", "date", "time", "textarea"}
ROLES = ("admin", "coordinator", "dass")


class Forms(HTMLParser):
    """Every POST form of a page: its action, its fields as the browser would send them, and its buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
            }
            self._form["buttons"] = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                self._form["buttons"].append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                self._form["fields"].append(
                    {"name": name, "type": kind, "value": a.get("value", "on"), "on": "checked" in a}
                )
            elif kind != "file":
                self._form["fields"].append({"name": name, "type": kind, "value": a.get("value", "")})
        elif tag == "button" and name:
            self._form["buttons"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = {"name": name, "type": "select", "options": [], "value": None}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["value"] = value
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "type": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, text):  # type: ignore[no-untyped-def]
        if self._textarea is not None:
            self._textarea["value"] += text


def _posts(form: dict, hostile: str) -> list[list[tuple[str, str]]]:
    """The form's fields as posted, text fields replaced by ``hostile``; one post per named button."""
    fields: list[tuple[str, str]] = []
    radios: set[str] = set()
    checkbox_names = {f["name"] for f in form["fields"] if f["type"] == "checkbox"}
    first_checkbox: set[str] = set()
    for field in form["fields"]:
        kind, name = field["type"], field["name"]
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "select":
            options = [o for o in field["options"] if o] or field["options"]
            value = field["value"] if field["value"] else (options[0] if options else "")
            fields.append((name, value))
        elif kind == "radio":
            if name not in radios:
                radios.add(name)
                fields.append((name, field["value"]))
        elif kind == "checkbox":
            if field["on"] or (name in checkbox_names and name not in first_checkbox):
                first_checkbox.add(name)
                fields.append((name, field["value"]))
        elif kind == "hidden":
            fields.append((name, field["value"]))
        elif kind in TEXT_TYPES:
            fields.append((name, hostile))
        else:
            fields.append((name, field["value"]))
    buttons = list(dict.fromkeys(form["buttons"])) or [None]
    return [fields + ([button] if button else []) for button in buttons]


def _post(client: Client, action: str, fields: list[tuple[str, str]], raw: bool):  # type: ignore[no-untyped-def]
    if raw:  # the hostile bytes as they arrive, not as this client would encode them
        body = "&".join(
            f"{urlencode({k: ''})[:-1]}={HOSTILE_BYTES.decode()}" if v == "\x00raw" else urlencode({k: v})
            for k, v in fields
        )
        return client.generic("POST", action, body, content_type="application/x-www-form-urlencoded")
    return client.post(action, dict_list(fields))


def dict_list(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in fields:
        out.setdefault(key, []).append(value)
    return out


HOSTILE_JSON = [
    '{"title": "\\u0000"}',
    '{"title": "Carers\\u0000 \\ud800breaks\\udfff", "description": "\\u0001\\u001f", "client_id": "\\ud800x"}',
    '{"title": "Lists", "councils": ["E08000025\\u0000", "\\ud800"], "domains": ["\\u0000"], '
    '"measures": ["\\ud800", "\\u0000"], "sessions": ["\\u0000", 1e999]}',
    '{"\\ud800": "a key", "title": "Keys\\u0000", "\\u0000": ["\\u0000"]}',
    '{"title": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"a": ' * 5000 + "1" + "}" * 5000,
    "[" * 5000 + "]" * 5000,
    '{"title": ["a list"], "councils": "E08000025", "domains": {"a": 1}, "measures": 7, "sessions": null}',
    '{"title": "Numbers", "sessions": [' + "9" * 5000 + "], " + '"client_id": 12}',
    '{"title": "NaN", "sessions": [NaN, Infinity, -Infinity]}',
]
HOSTILE_JSON_BYTES = [b'{"title": "\xed\xa0\x80"}', b"\xff\xfe{", b'{"title": "ok"\x00}']


@pytest.fixture
def objects(request):  # type: ignore[no-untyped-def]
    """The ``data`` fixture's objects (a published summit, a cycle, themes…)."""
    return request.getfixturevalue("data")


@pytest.fixture
def held(objects):  # type: ignore[no-untyped-def]
    """A held summit too, so the plenary, findings and publishing forms are all shown."""
    region = Region.objects.get(gss_code="E12000005")
    councils = list(Council.objects.filter(gss_code__in=["E08000025", "E08000026", "E08000027", "E08000028"]))
    summit = make_summit(region, councils=councils, rooms=2, cycle=objects["cycle"], name="Held summit")
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    return summit


def _clients(request) -> dict[str, Client]:  # type: ignore[no-untyped-def]
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(request.getfixturevalue(role))
        clients[role] = client
    return clients


def _page_paths(objects, held) -> list[str]:  # type: ignore[no-untyped-def]
    paths = []
    for _name, route in pages():
        samples = sample_arguments(route, objects)
        paths.append(fill(route, samples))
        if route.startswith("/summits/<int:pk>/") and "<int:" not in route[len("/summits/<int:pk>/") :]:
            paths.append(fill(route, {**samples, "pk": str(held.pk)}))
    return list(dict.fromkeys(paths))


def test_every_form_and_the_json_api_take_hostile_text_then_every_download_opens(
    request, objects, held, settings, tmp_path, west_midlands
):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = tmp_path / "media"
    request.getfixturevalue("sli_lead")
    clients = _clients(request)
    failures: list[str] = []
    posted = 0
    for role, client in clients.items():
        for path in _page_paths(objects, held):
            page = client.get(path)
            if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
                continue
            parser = Forms()
            parser.feed(page.content.decode())
            for form in (f for f in parser.forms if f["method"] == "post"):
                action = urljoin(path, form["action"]) if form["action"] else path
                if action.startswith(SKIPPED_ACTIONS):
                    continue
                for hostile in [*HOSTILE_TEXT, "\x00raw"]:
                    for fields in _posts(form, hostile):
                        response = _post(client, action, fields, raw=hostile == "\x00raw")
                        posted += 1
                        if response.status_code >= 500:
                            failures.append(f"{role} POST {action} {fields!r:.200}: {response.status_code}")
    assert posted > 300, posted  # every form of every page, not a handful

    api = clients["coordinator"]
    for summit in (objects["summit"], held):
        url = f"/api/summits/{summit.pk}/themes/"
        for body in [*HOSTILE_JSON, *HOSTILE_JSON_BYTES]:
            response = api.generic("POST", url, body, content_type="application/json")
            status_ok = response.status_code in (200, 201, 400, 403)  # 403: the summit may be closed by now
            if not status_ok or response["Content-Type"] != "application/json":
                failures.append(f"JSON {body[:60]!r}: {response.status_code}")
            response.json()
    assert not failures, "\n".join(failures[:40])

    stored = _stored_unwritable()
    assert not stored, "text no document can hold was stored:\n" + "\n".join(stored[:20])
    _every_download_opens(clients["admin"], _page_paths(objects, held))


def _stored_unwritable() -> list[str]:
    """Every text column of the project's models holding a character no document can hold."""
    found = []
    for label in ("councils", "scorecard", "selfassessment", "peerchallenge"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
            ]
            for row in model.objects.values("pk", *fields):
                for name in fields:
                    if isinstance(row[name], str) and has_unwritable(row[name]):
                        found.append(f"{model.__name__}.{name} #{row['pk']}: {row[name][:60]!r}")
    return found


DOWNLOAD_MARKS = ("_export=", "format=csv", ".csv", ".xlsx", ".docx", ".pdf", ".ics", ".zip", ".json")
CRAWL_PREFIXES = (
    "/summits/",
    "/regions/E12000005/",
    "/councils/E08000025/",
    "/imports/",
    "/lessons/",
    "/packs/",
)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "http", "mailto:")):
            self.links.append(href)


def _every_download_opens(client: Client, start: list[str]) -> None:
    """Follow the links of the project's pages (from every URL pattern), fetch every download and open it."""
    seen, queue, downloads, failures = set(), list(start), {}, []
    while queue and len(seen) < 400:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 500:
            failures.append(f"GET {path}: {response.status_code}")
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for link in parser.links:
            target = urljoin(path, link)
            if any(mark in target for mark in DOWNLOAD_MARKS):
                downloads.setdefault(_download_key(target), (target, path))
            elif urlsplit(target).path.startswith(CRAWL_PREFIXES) and target not in seen:
                queue.append(target)
    kinds = set()
    for url, page in downloads.values():
        response = client.get(url)
        if response.status_code == 302:  # a pack built in the background (at once in tests): then the file
            response = client.get(response["Location"])
        if response.status_code >= 500:
            failures.append(f"GET {url} (from {page}): {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        kind = _open(response)
        if kind is None:
            continue
        kinds.add(kind)
    assert not failures, "\n".join(failures[:40])
    assert {"csv", "xlsx", "docx", "pdf", "ics"} <= kinds, kinds


def _download_key(url: str) -> tuple[str, ...]:
    """One download per file and format: a table's export sorted or filtered another way is the same code."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return (parts.path, *(query.get(name, [""])[0] for name in ("_export", "format", "file", "period")))


def _open(response):  # type: ignore[no-untyped-def]
    """Open a download as the program its reader uses would; the kind of file it is."""
    content_type = response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("text/csv"):
        text = body.decode("utf-8-sig")
        assert not has_unwritable(text)
        return "csv"
    if "spreadsheetml" in content_type:
        load_workbook(io.BytesIO(body), read_only=True).close()
        return "xlsx"
    if "wordprocessingml" in content_type:
        document = Document(io.BytesIO(body))
        assert not any(has_unwritable(p.text) for p in document.paragraphs)
        return "docx"
    if content_type == "application/pdf":
        assert body.startswith(b"%PDF-")
        return "pdf"
    if content_type.startswith("text/calendar"):
        from icalendar import Calendar

        text = body.decode()
        assert "\r" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
        Calendar.from_ical(text)
        return "ics"
    if content_type == "application/zip":
        assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
        return "zip"
    if content_type.startswith("application/json"):
        json.loads(body)
        return "json"
    return None
