"""The pro-forma as a Word document the challenging DASS can type into (python-docx).

The questions in the challenger's own order (never re-sorted), each with its domain and evidence and space
for the answer and the follow-up; A4, the council and period at the top of every page, page numbers at the
foot. Text is written as typed (python-docx escapes it); nothing stored ever becomes a field code or formula.
"""

from __future__ import annotations

from core.exports import docx_bytes, docx_document, docx_label_table, docx_note
from peerchallenge.packs.selectors import Pack


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
