"""Hostile text: one rule at the edge, and documents that never fail on what was stored before it.

Control characters (U+0000–U+001F but tab and line breaks) and lone surrogates are removed from every posted
form and JSON body (``core.text``, ``core.middleware.HostileInputMiddleware``); every CSV, XLSX, Word and
calendar file cleans its text again on the way out. JSON nested too deep is a 400, and the 400 page carries the
same security headers as any other.
"""

import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook

from core.text import json_too_deep, text_clean
from councils.models import Council
from peerchallenge.models import Question, QuestionSet, Summit, Theme
from peerchallenge.services import summit_transition
from peerchallenge.themes import services as theme_services
from selfassessment.models import DomainAssessment
from tests.files import GOOD
from tests.pack_helpers import BIRMINGHAM, COVENTRY, small_summit
from tests.selfassessment_helpers import make_cycle, submitted

pytestmark = pytest.mark.django_db

CONTROL = "\x01"
UNWRITABLE = ["\x00", "\x01", "\x08", "\x1b", "\x1f", "\ud800", "\udfff", "\ufffe"]


def test_the_rule_removes_what_no_document_can_hold_and_keeps_what_people_type():
    assert text_clean("a\x00b\x01c\x1fd\ud800e\ufffff") == "abcdef"
    assert text_clean("tab\tline\nreturn\r\n£ – “quotes” ✓ 😀") == "tab\tline\nreturn\r\n£ – “quotes” ✓ 😀"
    assert text_clean("one\x0btwo\x0cthree") == "one\ntwo\nthree"  # Word's line and page breaks
    assert json_too_deep("[" * 33 + "]" * 33) and not json_too_deep("[" * 32 + "]" * 32)
    assert not json_too_deep(json.dumps({"title": "[[[[" * 50}))  # brackets inside strings do not count


@pytest.fixture
def held_summit(coordinator):
    return small_summit(state=Summit.State.HELD)


def test_posted_text_is_cleaned_at_the_edge(client_for, held_summit, coordinator):
    client = client_for("coordinator")
    response = client.post(
        f"/summits/{held_summit.pk}/plenary/",
        {"title": f"Work{CONTROL}force\x00 and\x0bcare", "description": "x\x1by", "client_id": "form-1"},
    )
    assert response.status_code == 302
    theme = Theme.objects.get(client_id="form-1")
    assert (theme.title, theme.description) == ("Workforce and\ncare", "xy")
    body = json.dumps(
        {
            "title": "Carers\u0001 \ud800breaks",
            "description": "\x00",
            "councils": [f"{BIRMINGHAM}\x00"],
            "domains": ["\x00"],
            "measures": ["\ud800"],
            "\ud800": "a key no one expects",
            "client_id": "json-1\x00",
        }
    )
    response = client.post(f"/api/summits/{held_summit.pk}/themes/", body, content_type="application/json")
    assert response.status_code in (201, 400), response.content[:300]
    if response.status_code == 201:
        saved = Theme.objects.get(client_id="json-1")
        assert saved.title == "Carers breaks" and list(saved.councils.values_list("gss_code", flat=True)) == [
            BIRMINGHAM
        ]
    for text in Theme.objects.values_list("title", "description"):
        assert not any(text_clean(part) != part for part in text)


def test_a_nul_in_a_new_question_is_never_a_500(client_for, coordinator):
    summit = small_summit()
    client = client_for("admin")
    url = f"/summits/{summit.pk}/questions/{BIRMINGHAM}/"
    assert client.post(url, {"action": "start"}).status_code == 302
    response = client.post(url, {"action": "add", "text": "Why\x00 so slow?", "evidence": "\x00Figures\x1f"})
    assert response.status_code == 302
    question = Question.objects.get(text__startswith="Why")
    assert (question.text, question.evidence) == ("Why so slow?", "Figures")


@pytest.mark.parametrize("depth", [100, 5000])
def test_json_nested_deep_is_a_400_not_a_recursion_error(client_for, held_summit, depth):
    body = '{"title": ' + "[" * depth + "]" * depth + "}"
    response = client_for("coordinator").post(
        f"/api/summits/{held_summit.pk}/themes/", body, content_type="application/json"
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "nested too deeply" in response.json()["detail"]


def test_a_lone_surrogate_escape_is_never_a_500_even_in_an_error(client_for, held_summit):
    client = client_for("coordinator")
    for body in ('{"title": "\\ud800"}', '{"\\ud800": 1}', '{"title": "ok", "domains": ["\\udfff"]}'):
        response = client.post(
            f"/api/summits/{held_summit.pk}/themes/", body, content_type="application/json"
        )
        assert response.status_code in (201, 400), (body, response.status_code)
        response.json()  # an answer that can be read


def test_the_400_page_carries_the_security_headers_of_every_page(client_for):
    client = client_for("dass")
    normal = client.get("/councils/")
    for path in ("/councils/?q=%00", "/councils/%00/", "/councils/?" + "x=1&" * 2000):
        refused = client.get(path)
        assert refused.status_code == 400, path
        for header in (
            "Content-Security-Policy",
            "Permissions-Policy",
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
        ):
            assert refused.get(header) == normal.get(header) and refused.get(header), (path, header)


# Stored before the rule: documents still open ------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells + [document.core_properties.title or ""])


def test_the_work_programme_summary_and_exports_take_any_stored_theme(client_for, held_summit, coordinator):
    theme = theme_services.theme_create(
        summit=held_summit, data=theme_services.ThemeInput(title="Agency staff"), by=None
    ).theme
    theme_services.themes_publish(summit=held_summit, by=coordinator)
    item = theme_services.work_item_from_theme(theme=theme)
    bad = "".join(UNWRITABLE[:5])  # what the database can hold (no NUL on PostgreSQL is tested at the edge)
    bad = bad.replace("\x00", "")
    Theme.objects.filter(pk=theme.pk).update(title=f"Agency{bad} staff", description=f"why{bad}")
    type(item).objects.filter(pk=item.pk).update(title=f"Plan{bad}", why=f"Because{bad}")
    programme = item.programme
    theme_services.work_programme_publish(programme=programme)
    base = f"/regions/E12000005/work-programme/{programme.year}/"
    client = client_for("dass")
    response = client.get(f"{base}summary.docx")
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "Agency staff" in text and "Plan" in text
    for fmt in ("csv", "xlsx"):
        response = client.get(f"{base}export.{fmt}")
        assert response.status_code == 200, fmt
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any(str(cell.value) == "Plan" for row in sheet.iter_rows() for cell in row)


def test_a_self_assessment_with_a_stored_control_character_exports_to_word(client_for, birmingham, dass):
    cycle = make_cycle()
    assessment = submitted(cycle=cycle, council=birmingham)
    DomainAssessment.objects.filter(self_assessment=assessment).update(
        strengths=f"Strong{CONTROL} leadership"
    )
    response = client_for("dass").get(f"/councils/{BIRMINGHAM}/self-assessment/{cycle.slug}/export.docx")
    assert response.status_code == 200
    assert "Strong leadership" in _docx_text(response.content)


@pytest.mark.pdf
def test_a_pack_builds_with_a_stored_control_character_in_a_question(settings, tmp_path, admin):
    from peerchallenge.packs import services as pack_services

    settings.MEDIA_ROOT = tmp_path / "media"
    summit = small_summit()
    birmingham, coventry = (Council.objects.get(gss_code=c) for c in (BIRMINGHAM, COVENTRY))
    question_set = QuestionSet.objects.create(summit=summit, challenger=coventry, challenged=birmingham)
    Question.objects.create(
        question_set=question_set, text=f"Why{CONTROL} so slow?", evidence=f"See{CONTROL}", position=1
    )
    files = pack_services.pack_files_get_or_build(council=birmingham, summit=summit)
    from django.core.files.storage import default_storage

    with default_storage.open(files.docx, "rb") as handle:
        assert "Why so slow?" in _docx_text(handle.read())
    with default_storage.open(files.pdf, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_calendar_text_escapes_every_line_break_and_holds_no_control_character(client_for):
    from icalendar import Calendar

    summit = small_summit()
    Summit.objects.filter(pk=summit.pk).update(
        venue="Council House\rATTACH:http://evil.example/x\nSUMMARY:two\r\nX:y\u2028Z",
        name=f"Spring{CONTROL} summit",
    )
    response = client_for("admin").get(f"/summits/{summit.pk}/councils/{BIRMINGHAM}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    lines = body.split("\r\n")
    assert "\r" not in body.replace("\r\n", "") and "\n" not in body.replace("\r\n", "")
    assert not any(line.startswith(("ATTACH", "SUMMARY:two", "X:y", "Z")) for line in lines)
    assert CONTROL not in body
    calendar = Calendar.from_ical(body)
    locations = [str(event["LOCATION"]) for event in calendar.walk("VEVENT")]
    assert locations and all("ATTACH:http://evil.example/x" in location for location in locations)
    assert all(not event.get("ATTACH") for event in calendar.walk("VEVENT"))


def test_no_never_pair_constraint_changes_after_the_draft(client_for, coordinator):
    from peerchallenge.models import AvoidPair
    from peerchallenge.services import SummitError, avoid_pair_add

    summit = small_summit(councils=(BIRMINGHAM, COVENTRY, "E08000027", "E08000028"), state=Summit.State.DRAFT)
    client = client_for("coordinator")
    a, b = (Council.objects.get(gss_code=c) for c in ("E08000027", "E08000028"))
    form = {"avoid-first": a.pk, "avoid-second": b.pk, "avoid-reason": "Shared DASS"}
    assert client.post(f"/summits/{summit.pk}/avoid/", form).status_code == 302  # the page's own form
    pair = AvoidPair.objects.get()
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    summit_transition(summit=summit, to=Summit.State.HELD, on=summit.date)
    summit_transition(summit=summit, to=Summit.State.CLOSED, on=summit.date)
    response = client.post(f"/summits/{summit.pk}/avoid/", {**form, "avoid-reason": "late"})
    assert (
        response.status_code == 400 and "only change while the summit is a draft" in response.content.decode()
    )
    assert list(AvoidPair.objects.values_list("reason", flat=True)) == ["Shared DASS"]
    client.post(f"/summits/{summit.pk}/avoid/{pair.pk}/delete/")
    assert AvoidPair.objects.exists()
    with pytest.raises(SummitError):
        avoid_pair_add(summit=summit, first=a, second=b)


def test_the_text_of_an_uploaded_data_file_is_cleaned_by_the_same_rule(tmp_path):
    """A data file is an edge too: its text reaches documents (a figure's note in an export). A CSV is the
    way in (a workbook's XML cannot hold these characters); a vertical tab is removed, not made a new row."""

    from scorecard.imports.local import measures_import
    from scorecard.models import Value

    assert measures_import(path=GOOD / "local_measures.xlsx").ok
    csv = tmp_path / "values.csv"
    csv.write_text(
        "GSS code,Measure code,Period,Value,Note\n"
        f"E08000025,WM-REV,2023-24,82.0,Final{CONTROL}\x1f\x0bcheck\n"
        f"E08000027,WM-REV,2023-24,70.5,{'A long note. ' * 30}\n"  # a few stray characters, not binary
    )
    outcome = measures_import(path=csv)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.rows_read == 2
    assert Value.objects.get(measure__key="local-wm-rev", area__key=BIRMINGHAM).note == "Finalcheck"
