"""Placing councils named as other publishers name them.

CQC's report tables, Skills for Care extracts and finance returns name a council in many ways: "London
Borough of Camden", "Royal Borough of Kensington and Chelsea", "Wokingham Borough Council", "Bristol City
Council", "Stoke", "Southend", "County Durham" — or by GSS code, or by CASSR number. ``council_match`` places
each such name on exactly one council, or says why it cannot: the name fits no council (with the closest names as
suggestions) or it fits several (with the candidates). It never guesses between two councils.

How a name is matched, in order (both the name given and every council's name are normalised the same way:
case, punctuation, "&" and "and", "St." and "Saint", bracketed notes and the words of local-government style such as
"London Borough of" or "City Council" set aside):
1. a GSS code, or a CASSR number, exactly;
2. the council's name, exactly once normalised;
3. a short form everyone uses that is not a prefix ("Hull");
4. the start of exactly one council's name, word by word ("Stoke" for Stoke-on-Trent, "Southend");
otherwise the name is unknown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from councils.models import Council

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")

# Words of local-government style that say what kind of body a council is, not which one. Longest first, so that
# "metropolitan borough council" goes before "borough council" and "council".
_PREFIXES = (
    "council of the ",
    "metropolitan borough of ",
    "london borough of ",
    "royal borough of ",
    "city and county of ",
    "borough of ",
    "county of ",
    "city of ",
    "county ",
    "the ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " borough council",
    " county council",
    " district council",
    " city council",
    " unitary authority",
    " corporation",
    " council",
    " city of",
    " county of",
)
# Short forms in common use that are not the start of the council's name.
_ALIASES = {
    "hull": "kingston upon hull",
    "bcp": "bournemouth christchurch and poole",
    "banes": "bath and north east somerset",
    "bath": "bath and north east somerset",
}


@dataclass(frozen=True)
class NameMatch:
    """Where one name given in a file lands: on ``council``, or on nothing with the reason why."""

    given: str
    council: Council | None = None
    candidates: tuple[Council, ...] = field(default=())
    suggestions: tuple[str, ...] = field(default=())

    @property
    def is_placed(self) -> bool:
        return self.council is not None

    @property
    def problem(self) -> str:
        """The reason in a sentence, or "" when the name is placed."""
        if self.council is not None:
            return ""
        if self.candidates:
            names = ", ".join(sorted(c.name for c in self.candidates))
            return f"“{self.given}” could be any of {names}: use the council's full name or its GSS code"
        if self.suggestions:
            return (
                f"“{self.given}” is not the name of a council. Did you mean {' or '.join(self.suggestions)}?"
            )
        return f"“{self.given}” is not the name or code of a council"


def name_normalise(name: str) -> str:
    """A council name in lower case, words only, with the style words of its kind of body kept."""
    text = re.sub(r"\(.*?\)", " ", name.lower())
    text = text.replace("&", " and ")
    text = re.sub(r"\bsaint\b", "st", text)
    text = re.sub(r"[^a-z0-9,]+", " ", text)
    # "Bristol, City of" and "Herefordshire, County of": the part after the comma is style.
    text = re.sub(r",\s*(city|county|borough) of\s*$", "", text)
    return " ".join(text.replace(",", " ").split())


def name_core(normalised: str) -> str:
    """``normalised`` with the style words set aside: "london borough of camden" → "camden"."""
    text = normalised
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return _ALIASES.get(text, text)


class _Index:
    def __init__(self, councils: Iterable[Council]) -> None:
        self.by_gss: dict[str, Council] = {}
        self.by_cassr: dict[str, Council] = {}
        self.by_name: dict[str, list[Council]] = {}
        self.by_core: dict[str, list[Council]] = {}
        for council in councils:
            self.by_gss[council.gss_code.upper()] = council
            if council.cassr_code is not None:
                self.by_cassr[str(council.cassr_code)] = council
            normalised = name_normalise(council.name)
            self.by_name.setdefault(normalised, []).append(council)
            self.by_core.setdefault(name_core(normalised), []).append(council)

    def match(self, given: str) -> NameMatch:
        text = " ".join(given.split())
        code = text.upper()
        if GSS_CODE.match(code):
            council = self.by_gss.get(code)
            return NameMatch(given, council) if council else NameMatch(given)
        if text.isdigit():
            council = self.by_cassr.get(str(int(text)))
            return NameMatch(given, council) if council else NameMatch(given)
        normalised = name_normalise(text)
        core = name_core(normalised)
        for found in (self.by_name.get(normalised), self.by_core.get(core), self._by_start(core)):
            if found and len(found) == 1:
                return NameMatch(given, found[0])
            if found:
                return NameMatch(given, candidates=tuple(found))
        close = difflib.get_close_matches(core, list(self.by_core), n=3, cutoff=0.75)
        return NameMatch(given, suggestions=tuple(self.by_core[key][0].name for key in close))

    def _by_start(self, core: str) -> list[Council]:
        if not core:
            return []
        start = core + " "
        return [c for key, councils in self.by_core.items() if key.startswith(start) for c in councils]


def council_match(*, names: Iterable[str], include_former: bool = False) -> dict[str, NameMatch]:
    """Each distinct name in ``names`` placed on one council, or not with the reason (one query)."""
    councils = Council.objects.all()
    if not include_former:
        councils = councils.filter(status=Council.Status.CURRENT)
    index = _Index(councils)
    return {name: index.match(name) for name in dict.fromkeys(names)}
