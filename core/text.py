"""The one rule for characters no document can hold, applied at the edge and again on output.

Word (DOCX) and Excel (XLSX) files are XML 1.0, which cannot hold the C0 control characters other than
tab, line feed and carriage return, the lone UTF-16 surrogates U+D800–U+DFFF, or U+FFFE/U+FFFF;
PostgreSQL cannot store NUL in text, and a lone surrogate cannot be encoded as UTF-8 at all (not for the
database, not for a response). None of them is anything a person typed on purpose, so:

- at the edge (``core.middleware.HostileInputMiddleware``) every text a form posts and every string in a
  JSON body is passed through :func:`text_clean` before any view, form or database sees it, and so is the
  text of an uploaded data file (``scorecard.imports``) before it is read;
- on output (CSV/XLSX exports, Word documents, calendar files) text is passed through it again, so text
  stored before the rule (or loaded from a data file) never makes a download fail.

A vertical tab or form feed (Word puts them in copied text for manual line and page breaks) becomes a
line feed; everything else in the set is removed. Pure: no Django imports.
"""

from __future__ import annotations

import re
from typing import Any

# Characters XML 1.0 cannot hold (and NUL, which PostgreSQL cannot store), lone surrogates included.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


def _replace(match: re.Match[str]) -> str:
    return _LINE_BREAKS.get(match.group(0), "")


def text_clean(value: str, *, line_breaks: bool = True) -> str:
    """``value`` without the characters no document can hold; a vertical tab or form feed becomes a line
    feed (``line_breaks=False``: removed too, where a new line would change the text's structure, as in a
    CSV file). Cheap when there is nothing to remove."""
    if not UNWRITABLE.search(value):
        return value
    return UNWRITABLE.sub(_replace if line_breaks else "", value)


def has_unwritable(value: str) -> bool:
    return UNWRITABLE.search(value) is not None


def json_clean(value: Any) -> Any:
    """A parsed JSON value with :func:`text_clean` applied to every string in it, keys included."""
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, list):
        return [json_clean(item) for item in value]
    if isinstance(value, dict):
        return {text_clean(key): json_clean(item) for key, item in value.items()}
    return value


MAX_JSON_DEPTH = 32


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


def json_too_deep(text: str, *, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON ``text`` nests arrays and objects more than ``limit`` deep (strings skipped), found
    without parsing it: a parser recurses once per level and runs out of stack on a hostile body."""
    depth = 0
    for bracket in _JSON_BRACKETS.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False
