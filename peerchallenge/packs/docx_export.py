"""The pro-forma as a Word document the challenging DASS can type into (python-docx).

Questions grouped by domain, each with its evidence and space for the answer and the follow-up. Text is
written as typed (python-docx escapes it); nothing is ever a field code or formula.
"""

from __future__ import annotations

from core.exports import docx_bytes, docx_document, docx_label_table
from peerchallenge.packs.selectors import Pack


def pro_forma_docx(*, pack: Pack) -> bytes:
    document = docx_document()
    period = pack.period.label if pack.period else "no period"
    document.core_properties.title = f"Pro-forma: {pack.council.name} ({pack.council.gss_code}), {period}"
    document.add_heading(f"Pro-forma questions: {pack.council.name}", level=0)
    summit = f"{pack.summit.name}, {pack.summit.date:%d %B %Y}" if pack.summit else "Not for a summit"
    challenger = pack.session.challenger.name if pack.session else "Not paired"
    document.add_paragraph(
        f"Challenged council: {pack.council.name} (GSS code {pack.council.gss_code}). Challenger: {challenger}. "
        f"Summit: {summit}. Period: {period}. Data version: {pack.data_version}."
    )
    if pack.demo_note:  # what is synthetic, from the data (real figures are never called demo)
        document.add_paragraph(pack.demo_note)
    if not pack.questions_shown:
        document.add_paragraph(
            "The challenging council's questions are shared after the summit has been held."
        )
    elif not pack.questions:
        document.add_paragraph("No questions yet.")
    number = 0
    for domain, questions in pack.questions_by_domain:
        document.add_heading(domain, level=1)
        for question in questions:
            number += 1
            star = " (top five)" if question.is_top else ""
            document.add_heading(f"Question {number}{star}", level=2)
            docx_label_table(
                document,
                [
                    ("Question", question.text),
                    ("Evidence", question.evidence or "–"),
                    ("Answer", ""),
                    ("Follow-up", ""),
                ],
            )
    return docx_bytes(document)
