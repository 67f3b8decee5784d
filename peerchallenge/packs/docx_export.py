"""The pro-forma as a Word document the challenging DASS can type into (python-docx).

The questions in the challenger's own order (never re-sorted), each with its domain and evidence and space
for the answer and the follow-up; A4, the council and period at the top of every page, page numbers at the
foot. Before the questions, CQC's assessment of the council (each quality statement's score in CQC's words, the
rating, the month and the report) and its self-scores by statement where it has them, so the challenger has
the assurance picture beside the questions it raises. Text is written as typed (python-docx escapes it);
nothing stored ever becomes a field code or formula.
"""

from __future__ import annotations

from typing import Any

from core.exports import docx_bytes, docx_document, docx_fill, docx_label_table, docx_note
from peerchallenge.packs.selectors import Assurance, Pack


def _assurance(document: Any, *, assurance: Assurance, council: str) -> None:
    """CQC's assessment and the self-scores by statement: a paragraph and one table of the nine statements."""
    document.add_heading("CQC's assessment", level=1)
    if assurance.is_demo:
        document.add_paragraph(
            f"Demo data: these scores are synthetic, made up for demonstration. They are not CQC's published "
            f"assessment of {council}."
        )
    if assurance.assessment is None:
        document.add_paragraph(f"Not yet assessed: no CQC assessment of {council} is recorded here.")
    else:
        report = assurance.assessment.report_url
        document.add_paragraph(
            f"CQC assessed {council} in {assurance.month}. Overall rating: {assurance.rating}."
            + (f" CQC's report: {report}" if report else "")
        )
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Quality statement", "CQC's score", "Self-score"), strict=True
    ):
        docx_fill(cell, text, bold=True)
    for line in assurance.lines:
        cells = table.add_row().cells
        docx_fill(cells[0], f"{line.statement.number}. {line.statement.name}")
        docx_fill(cells[1], f"{line.score}: {line.words}" if line.score else "Not yet assessed")
        own = f"{line.self_score}: {line.self_words}" if line.self_score else "–"
        docx_fill(cells[2], own + (" (above CQC's)" if line.self_above else ""))
    if not assurance.own.scores:
        document.add_paragraph(f"No self-assessment by CQC's quality statements is recorded for {council}.")


def pro_forma_docx(*, pack: Pack) -> bytes:
    period = pack.period.label if pack.period else "no period"
    document = docx_document(
        header=f"{pack.council.name} ({pack.council.gss_code}), {period}: pro-forma questions"
    )
    document.core_properties.title = f"Pro-forma: {pack.council.name} ({pack.council.gss_code}), {period}"
    document.add_heading(f"Pro-forma questions: {pack.council.name}", level=0)
    summit = f"{pack.summit.name}, {pack.summit.date:%d %B %Y}" if pack.summit else "Not for a summit"
    challenger = pack.session.challenger.name if pack.session else "Not paired"
    document.add_paragraph(
        f"Challenged council: {pack.council.name} (GSS code {pack.council.gss_code}). Challenger: {challenger}. "
        f"Summit: {summit}. Figures for {period}."
    )
    if pack.demo_note:  # what is synthetic, from the data (real figures are never called demo)
        document.add_paragraph(pack.demo_note)
    _assurance(document, assurance=pack.assurance, council=pack.council.name)
    if not pack.questions_shown:
        document.add_paragraph(
            "The challenging council's questions are shared after the summit has been held."
        )
    elif not pack.questions:
        document.add_paragraph("No questions yet.")
    else:
        who = f"{challenger}'s order" if pack.chosen_by_challenger and pack.session else "the order generated"
        document.add_paragraph(
            f"The questions are in {who}; the five marked top five are the ones to ask first (the brief on "
            "the pack's first page names them). Each has the evidence behind it, with space for the answer "
            "and the follow-up."
        )
    top = {id(q) for q in pack.top_questions}
    for number, question in enumerate(pack.questions if pack.questions_shown else [], start=1):
        star = " (top five)" if id(question) in top else ""
        document.add_heading(f"Question {number}{star}", level=1)
        docx_label_table(
            document,
            [
                ("Question", question.text),
                ("Domain", question.domain or "General"),
                ("Evidence", question.evidence or "–"),
                ("Answer", ""),
                ("Follow-up", ""),
            ],
        )
    docx_note(
        document,
        f"Built {pack.generated_at:%d %B %Y, %H:%M} by SLI Scorecard. Data version {pack.data_version}.",
    )
    return docx_bytes(document)
