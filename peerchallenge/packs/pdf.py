"""The PDF pack: a Django template rendered by WeasyPrint (A4, contents, page numbers, tagged PDF)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from peerchallenge.packs.selectors import Pack


def pack_html(*, pack: Pack) -> str:
    return render_to_string("peerchallenge/packs/pack_pdf.html", {"pack": pack})


def pack_pdf(*, pack: Pack) -> bytes:
    """The PDF bytes. Tagged (PDF/UA structure) where WeasyPrint can; no network: no external resources."""
    from weasyprint import HTML  # imported here: WeasyPrint takes ~0.4 s to import

    html = HTML(string=pack_html(pack=pack), base_url=str(settings.BASE_DIR))
    return html.write_pdf(pdf_tags=True, uncompressed_pdf=False)
