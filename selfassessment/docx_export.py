"""One self-assessment as a Word document (python-docx): status, each domain (or each statement, with the
implied rating and the actions) beside its data, top risks.

Text is written as typed (python-docx escapes it); nothing is ever a field code or formula.
"""

from __future__ import annotations

from typing import Any

from core.exports import docx_bytes, docx_document, docx_label_table
from selfassessment.selectors import SelfAssessmentView


def self_assessment_docx(*, view: SelfAssessmentView) -> bytes:
    """The DOCX bytes for ``view`` (from :func:`selectors.self_assessment_view`)."""
    assessment = view.assessment
    document = docx_document(
        header=f"{view.council}: self-assessment, {view.cycle.name} (figures for {view.cycle.period})"
    )
    document.core_properties.title = f"{view.council} self-assessment, {view.cycle}"
    document.add_heading(f"{view.council}: self-assessment", level=0)
    document.add_paragraph(f"{view.cycle.name} ({view.cycle.region}). Data compared: {view.cycle.period}.")
    if view.data_is_demo:
        document.add_paragraph("Demo data: this self-assessment and its figures are synthetic, not real.")
    status = assessment.get_status_display() if assessment else "Not started"
    line = f"Status: {status}"
    if assessment and assessment.submitted_at:
        line += f"; submitted {assessment.submitted_at:%d %B %Y}"
        if assessment.submitted_by:
            line += f" by {assessment.submitted_by}"
    document.add_paragraph(line + ".")
    document.add_paragraph(f"Framework: {view.cycle.framework.name}.")
    if view.by_statements:
        _statements(document, view)

    if view.divergences:
        document.add_heading("Where the self-assessment and the data disagree", level=1)
        for domain in view.divergences:
            document.add_paragraph(f"{domain.domain.name}: {domain.data.text}", style="List Bullet")

    for domain in view.domains:
        document.add_heading(domain.domain.name, level=1)
        row = domain.assessment
        parts = [
            ("Self-rating", (row.get_rating_display() if row and row.rating else "Not rated")),
            ("Data for " + str(view.cycle.period), domain.data.text),
            ("Strengths", row.strengths if row else ""),
            ("Areas for improvement", row.improvements if row else ""),
            ("Evidence relied on", row.evidence if row else ""),
            ("Measures relied on", "; ".join(str(m) for m in domain.measures) or "None chosen"),
        ]
        if domain.previous is not None:
            parts.append(
                (
                    f"Last cycle ({view.previous_cycle})",
                    domain.previous.get_rating_display() if domain.previous.rating else "Not rated",
                )
            )
        docx_label_table(document, [(label, text or "–") for label, text in parts])

    document.add_heading("Top three risks", level=1)
    for risk in assessment.top_risks if assessment else []:
        document.add_paragraph(risk or "–", style="List Number")
    return docx_bytes(document)


def _statements(document: Any, view: SelfAssessmentView) -> None:
    """The implied rating, then each statement under its theme: score, data, text, measures, actions."""
    implied = view.implied
    if implied:
        percent, rating = implied
        document.add_paragraph(
            f"Implied rating: {rating} ({percent}% of the most the scores could be, by CQC's thresholds)."
        )
    else:
        document.add_paragraph("Implied rating: given once every statement is scored.")
    if view.statement_divergences:
        document.add_heading("Where the self-scores and the data they cite disagree", level=1)
        for item in view.statement_divergences:
            document.add_paragraph(f"{item.statement}: {item.data.text}", style="List Bullet")
    theme = None
    for item in view.statements:
        if item.statement.theme != theme:
            theme = item.statement.theme
            document.add_heading(theme, level=1)
        document.add_heading(str(item.statement), level=2)
        row = item.assessment
        parts = [
            ("Self-score", f"{item.score}: {item.score_words}" if item.score else "Not scored"),
            ("Data cited", item.data.text),
            ("Strengths", row.strengths if row else ""),
            ("Areas for improvement", row.improvements if row else ""),
            ("Evidence relied on", row.evidence if row else ""),
            ("Measures relied on", "; ".join(str(m) for m in item.measures) or "None chosen"),
        ]
        for number, action in enumerate(item.actions, start=1):
            owner = f"; owner: {action['owner']}" if action.get("owner") else ""
            due = f"; by {action['due_label']}" if action.get("due") else ""
            parts.append((f"Action {number}", f"{action.get('what') or '(no action)'}{owner}{due}"))
        if item.previous is not None and view.previous_cycle is not None:
            parts.append(
                (f"Last cycle ({view.previous_cycle})", f"Self-score {item.previous.score or 'not given'}")
            )
        docx_label_table(document, [(label, text or "–") for label, text in parts])
