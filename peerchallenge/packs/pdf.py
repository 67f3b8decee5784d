"""The PDF pack: a Django template rendered by WeasyPrint (A4, contents, page numbers, tagged PDF)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string

from peerchallenge.packs.selectors import Pack

# WeasyPrint's user-agent stylesheet gives every element of the document six pseudo-elements (::marker and
# the footnote and note calls and markers), each styled in full by the cascade even where it never shows: for
# the pack's ~1,300 elements that was about a sixth of its build time. The pack has list markers only on <li>
# and no footnotes or notes, so these rules are scoped to the elements that can use them. Every rule is
# checked before it is changed: if WeasyPrint's stylesheet changes, the pack falls back to it unchanged.
_UA_SCOPED_RULES = (
    ("\n::marker {", "\nli::marker, summary::marker {"),
    ("\n::footnote-call {", "\n.footnote::footnote-call {"),
    ("\n::footnote-marker {", "\n.footnote::footnote-marker {"),
    ("\n::note-call {", "\n.note::note-call {"),
    ("\n::note-marker {", "\n.note::note-marker {"),
    ("\n::note-callback {", "\n.note::note-callback {"),
)


@cache
def _pack_html_class() -> type:
    """WeasyPrint's ``HTML`` with the scoped user-agent stylesheet (or ``HTML`` itself, see above)."""
    from weasyprint import CSS, HTML  # imported here: WeasyPrint takes ~0.4 s to import
    from weasyprint import html as weasy_html
    from weasyprint.css.counters import CounterStyle

    text = getattr(weasy_html, "UA", None)
    if (
        not isinstance(text, str)
        or not callable(getattr(HTML, "_ua_stylesheets", None))
        or not all(text.count(old) == 1 for old, _ in _UA_SCOPED_RULES)
    ):
        return HTML
    for old, new in _UA_SCOPED_RULES:
        text = text.replace(old, new)
    # Its @counter-style rules are WeasyPrint's own, already known to the counter styles every document
    # copies (``HTML._ua_counter_style``): parsed into a fresh set they are neither repeated nor warned about.
    sheet = CSS(string=text, counter_style=CounterStyle())

    class PackHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [sheet, weasy_html.UA_FORM_STYLESHEET] if forms else [sheet]

    return PackHTML


@cache
def _font_config() -> object:
    """One font configuration for every pack a process builds. WeasyPrint makes a new one per document by
    default (Fontconfig loaded again, and Pango's layouts and font features measured again); the pack has no
    ``@font-face`` rules, so what one pack learnt about the system's fonts holds for the next. A forked pack
    builder inherits the one its parent made (``pdf_warm``)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def pdf_warm() -> None:
    """Import WeasyPrint and make what every pack shares (the scoped stylesheet, the fonts) once, before
    forking pack builders, so that each of them starts warm."""
    _pack_html_class()
    _font_config()


def pack_html(*, pack: Pack) -> str:
    return render_to_string("peerchallenge/packs/pack_pdf.html", {"pack": pack})


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a pack is laid out, and resumed as it was found.

    WeasyPrint makes hundreds of thousands of small objects per pack; each collection the allocations set off
    walks them all again (and every long-lived object of Django, WeasyPrint and plotly in an older
    generation), which cost about a sixth of a pack's build time. The pack's own garbage is collected once,
    after it is written, by the next collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pack_pdf(*, pack: Pack) -> bytes:
    """The PDF bytes. Tagged (PDF/UA structure) where WeasyPrint can; no network: no external resources."""
    html = _pack_html_class()(string=pack_html(pack=pack), base_url=str(settings.BASE_DIR))
    with collector_paused():
        return html.write_pdf(pdf_tags=True, uncompressed_pdf=False, font_config=_font_config())
