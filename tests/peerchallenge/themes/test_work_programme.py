"""The regional work programme: from theme to item, the status workflow with dated updates,
and the CSV, XLSX and DOCX exports opened and read back."""

import datetime as dt
import io

import openpyxl
import pytest
from docx import Document

from councils.models import Council
from peerchallenge.models import Summit, WorkItem
from peerchallenge.services import summit_pair, summit_transition
from peerchallenge.themes import services
from tests.factories import make_summit

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY = "E08000025", "E08000026"


@pytest.fixture
def summit(west_midlands):
    councils = list(Council.objects.filter(gss_code__in=[BIRMINGHAM, COVENTRY]))
    summit = make_summit(west_midlands, councils=councils, rooms=2)
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    return summit


@pytest.fixture
def theme(summit, coordinator):
    councils = list(Council.objects.filter(gss_code__in=[BIRMINGHAM, COVENTRY]))
    data = services.ThemeInput(
        title='=HYPERLINK("http://evil")', description="Agency spend rising", councils=councils
    )
    return services.theme_create(summit=summit, data=data, by=coordinator).theme


def test_a_theme_becomes_a_proposed_item_once(theme):
    item = services.work_item_from_theme(theme=theme)
    assert item.status == WorkItem.Status.PROPOSED
    assert item.programme.year == 2026 and item.programme.region == theme.summit.region
    assert "Raised by 2 councils: Birmingham, Coventry." in item.why and item.why.startswith(
        "Agency spend rising"
    )
    assert services.work_item_from_theme(theme=theme).pk == item.pk
    assert list(item.themes.all()) == [theme]


def test_the_status_workflow_with_dated_updates(theme, coordinator):
    item = services.work_item_from_theme(theme=theme)
    with pytest.raises(services.ThemeError, match="can only become agreed or dropped"):
        services.work_item_update(item=item, text="", status=WorkItem.Status.DONE, by=coordinator)
    with pytest.raises(services.ThemeError):
        services.work_item_update(item=item, text="  ", status="", by=coordinator)
    for status in ("agreed", "in_progress", "done"):
        services.work_item_update(
            item=item, text=f"Now {status}", status=status, by=coordinator, date=dt.date(2026, 4, 1)
        )
    item.refresh_from_db()
    assert item.status == "done"
    assert [u.status for u in item.updates.order_by("pk")] == ["agreed", "in_progress", "done"]
    assert WorkItem.TRANSITIONS[WorkItem.Status.DONE] == ()
    services.work_item_update(item=item, text="A note after it was done", by=coordinator)
    assert item.updates.count() == 4


def test_the_workflow_through_the_pages(client_for, coordinator, theme):
    client = client_for("coordinator")
    response = client.post(f"/summits/{theme.summit_id}/themes/{theme.pk}/plan/")
    item = WorkItem.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/items/{item.pk}/")
    base = f"/regions/E12000005/work-programme/2026/items/{item.pk}/"
    assert client.post(f"{base}update/", {"text": "", "status": "done"}).status_code == 400
    assert (
        client.post(f"{base}update/", {"text": "Agreed by directors", "status": "agreed"}).status_code == 302
    )
    page = client.get(base).content.decode()
    assert "Agreed by directors" in page and "Agreed" in page
    response = client.post(
        base,
        {
            "title": "Regional agency pay",
            "why": "x",
            "lead": "Workforce network",
            "priority": "high",
            "due_date": "2026-12-31",
            "themes": [theme.pk],
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.lead, item.priority, item.due_date) == (
        "Regional agency pay",
        "Workforce network",
        "high",
        dt.date(2026, 12, 31),
    )
    response = client.post("/regions/E12000005/work-programme/2026/", {"title": "", "priority": "low"})
    assert response.status_code == 400 and "Enter a title" in response.content.decode()
    response = client.post(
        "/regions/E12000005/work-programme/2026/",
        {"title": "Carers' offer", "priority": "low", "lead": "Jo Bloggs"},
    )
    assert response.status_code == 302 and WorkItem.objects.count() == 2
    page = client.get("/regions/E12000005/work-programme/2026/").content.decode()
    page = page[page.index('id="work-items"') :]
    assert page.index("Regional agency pay") < page.index("Carers&#x27; offer")  # high priority first


def test_exports_are_safe_and_complete(client_for, coordinator, theme):
    item = services.work_item_from_theme(theme=theme)
    services.work_item_update(
        item=item, text="Agreed", status="agreed", by=coordinator, date=dt.date(2026, 5, 1)
    )
    client = client_for("coordinator")
    base = "/regions/E12000005/work-programme/2026/"
    csv_text = client.get(f"{base}export.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Item,Status,Priority,Lead,Due date")
    assert "'=HYPERLINK" in csv_text and ",Agreed," in csv_text
    response = client.get(f"{base}export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Item", "Status", "Priority")
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][1] == "Agreed"
    assert rows[1][7] == "Birmingham; Coventry" and rows[1][9] == "2026-05-01"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert client.get(f"{base}export.pdf").status_code == 404
    response = client.get(f"{base}summary.docx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Common themes from the 2026 summit and what the region will do" in text
    assert "=HYPERLINK" in cells and "2: Birmingham, Coventry" in cells and "Agreed" in cells
    assert "Demo data" not in text


def test_a_year_out_of_range_is_404(client_for, coordinator):
    client = client_for("coordinator")
    assert client.get("/regions/E12000005/work-programme/1066/").status_code == 404
    assert client.get("/regions/E12000005/work-programme/99999999999999999999/").status_code == 404
    assert client.get("/regions/E12000005/work-programme/").status_code == 302
