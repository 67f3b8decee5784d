"""Financial-year periods: parsing the labels found in published files and fetching Period rows."""

import re
from collections.abc import Iterable, Mapping

from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest

from core.cache import cached_read
from scorecard.models import Period, Value

_PATTERNS = [
    re.compile(r"^(?P<start>(19|20)\d\d)\s*[-/–]\s*(?P<end>\d\d)$"),  # 2018-19, 2018/19
    re.compile(r"^(?P<start>(19|20)\d\d)\s*[-/–]\s*(?P<end>(19|20)\d\d)$"),  # 2018-2019
    re.compile(r"^(?P<start>(19|20)\d\d)(?P<end>\d\d)$"),  # 201819
    re.compile(r"^(?P<short>\d\d)(?P<end>\d\d)$"),  # 1819 (as in meas-from-asc-of-eng-1819)
]


_FY_PREFIX = re.compile(r"^(fy|financial\s+year)\s*", re.IGNORECASE)
_BARE_YEAR = re.compile(r"^(?P<start>(19|20)\d\d)$")


def period_start_year(text: str, *, bare_year: bool = False) -> int | None:
    """The start year of a financial-year label; else None.

    Read: 2018-19, 2018/19, 2018–19, 2018-2019, 2018/2019, 201819, 1819, each optionally after "FY" or
    "Financial year" (FY2018/19). With ``bare_year`` (files of other publishers, which head a wide table's
    columns "2023"), a year alone names the financial year that starts in it: 2023 → 2023-24.
    """
    text = _FY_PREFIX.sub("", str(text).strip())
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        start = int(groups["start"]) if groups.get("start") else 2000 + int(groups["short"])
        end = int(groups["end"]) % 100
        if (start + 1) % 100 == end:
            return start
    if bare_year:
        match = _BARE_YEAR.match(text)
        if match:
            return int(match["start"])
    return None


def period_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def period_get_or_create(*, start_year: int) -> Period:
    period, _ = Period.objects.get_or_create(
        start_year=start_year, defaults={"label": period_label(start_year)}
    )
    return period


# --- ?period= : read in one place for every page and API route ------------------------------------------


class UnknownPeriod(ValueError):
    """``?period=`` names no period we hold (or is no financial year at all)."""


def period_from_query(query: Mapping[str, str]) -> Period | None:
    """``?period=2023-24`` (or 2023/24, 2023-2024, 202324) as a Period; None when absent or blank.

    Raises :class:`UnknownPeriod` when the text is not a financial year or no period of that year is held.
    Pages turn that into a 404 (:func:`period_from_request`), the API into a 400.
    """
    text = str(query.get("period", "") or "").strip()
    if not text:
        return None
    start_year = period_start_year(text)
    if start_year is None:
        raise UnknownPeriod(f"period {text[:20]!r} is not a financial year such as 2023-24.")
    period = Period.objects.filter(start_year=start_year).first()
    if period is None:
        known = ", ".join(Period.objects.order_by("start_year").values_list("label", flat=True)) or "none"
        raise UnknownPeriod(f"There is no data for {period_label(start_year)}. Periods: {known}.")
    return period


def period_from_request(request: HttpRequest) -> Period | None:
    """A page's ``?period=``: the Period, None when absent, 404 when it names no period we hold."""
    try:
        return period_from_query(request.GET)
    except UnknownPeriod as exc:
        raise Http404(str(exc)) from exc


# --- Which periods hold figures ---------------------------------------------------------------------------


def periods_with_council_figures() -> list[Period]:
    """Periods holding at least one council's figure, newest first (once per data version): those a
    challenge pack can be about. Shared between requests: never changed by callers."""

    def compute() -> list[Period]:
        council_figure = Value.objects.filter(
            period=OuterRef("pk"), area__council__isnull=False, value__isnull=False
        )
        return list(Period.objects.filter(Exists(council_figure)).order_by("-start_year"))

    return cached_read("periods_with_council_figures", compute=compute)


def council_figure_counts(*, period: Period, council_ids: Iterable[int]) -> dict[int, int]:
    """Council id → how many measures have a figure for ``period`` (councils with none are left out)."""
    rows = (
        Value.objects.filter(
            period=period,
            area__council_id__in=list(council_ids),
            value__isnull=False,
            breakdown=Value.TOTAL,
        )
        .values("area__council_id")
        .annotate(measures=Count("measure_id", distinct=True))
        .values_list("area__council_id", "measures")
    )
    return dict(rows)


def latest_period_with_figures(*, council_id: int) -> Period | None:
    """The council's newest period with a figure: the one its scorecard and pack show by default."""
    return (
        Period.objects.filter(values__area__council_id=council_id, values__value__isnull=False)
        .order_by("-start_year")
        .first()
    )


def period_has_demo_figures(*, period: Period | None) -> bool:
    """The period holds synthetic demo figures (a real import removes every one)."""
    return period is not None and Value.objects.filter(period=period, is_demo=True).exists()
