"""The summary for directors as a Word document: "Common themes from the <year> summit and what the region
will do" (python-docx, in the house style of core.exports.docx_document).

Text is written as typed (python-docx escapes it); nothing is ever a field code or formula.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.exports import docx_bytes, docx_document, docx_fill, docx_label_table
from councils.models import Region
from peerchallenge.models import Summit
from peerchallenge.themes.models import Theme, WorkItem


def summary_title(year: int) -> str:
    return f"Common themes from the {year} summit and what the region will do"


def work_programme_docx(
    *,
    region: Region,
    year: int,
    summit_themes: Sequence[tuple[Summit, Sequence[Theme]]],
    items: Sequence[WorkItem],
    is_demo: bool,
) -> bytes:
    title = summary_title(year)
    document = docx_document(header=f"{region}: {title}")
    document.core_properties.title = f"{region}: {title}"
    document.add_heading(title, level=0)
    document.add_paragraph(f"{region}. For directors of adult social services.")
    if is_demo:
        document.add_paragraph("Demo data: these themes and this work programme are synthetic, not real.")

    document.add_heading("Common themes", level=1)
    any_theme = False
    for summit, themes in summit_themes:
        if not themes:
            continue
        any_theme = True
        document.add_paragraph(f"{summit.name}, {summit.date:%d %B %Y}: {len(themes)} themes, by reach.")
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Theme", "Councils", "Domains"), strict=True):
            docx_fill(cell, text, bold=True)
        for theme in themes:
            councils = [c.name for c in theme.councils.all()]
            cells = table.add_row().cells
            docx_fill(cells[0], theme.title + (f"\n{theme.description}" if theme.description else ""))
            docx_fill(cells[1], f"{len(councils)}: " + ", ".join(councils) if councils else "–")
            docx_fill(cells[2], ", ".join(d.name for d in theme.domains.all()) or "–")
    if not any_theme:
        document.add_paragraph("No themes have been published for this year yet.")

    document.add_heading("What the region will do", level=1)
    if not items:
        document.add_paragraph("The work programme has no items yet.")
    for item in items:
        document.add_heading(item.title, level=2)
        updates = list(item.updates.all())
        parts = [
            ("Status", item.get_status_display()),
            ("Priority", item.get_priority_display()),
            ("Lead", item.lead or "To be agreed"),
            ("Due", f"{item.due_date:%d %B %Y}" if item.due_date else "To be agreed"),
            ("Why", item.why or "–"),
            ("Themes", "; ".join(t.title for t in item.themes.all()) or "–"),
        ]
        if updates:
            parts.append((f"Latest update ({updates[0].date:%d %B %Y})", updates[0].text))
        docx_label_table(document, parts)
    return docx_bytes(document)
