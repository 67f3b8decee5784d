"""Financial-year periods: parsing the labels found in published files and fetching Period rows."""

import re

from scorecard.models import Period

_PATTERNS = [
    re.compile(r"^(?P<start>(19|20)\d\d)\s*[-/–]\s*(?P<end>\d\d)$"),  # 2018-19, 2018/19
    re.compile(r"^(?P<start>(19|20)\d\d)\s*[-/–]\s*(?P<end>(19|20)\d\d)$"),  # 2018-2019
    re.compile(r"^(?P<start>(19|20)\d\d)(?P<end>\d\d)$"),  # 201819
    re.compile(r"^(?P<short>\d\d)(?P<end>\d\d)$"),  # 1819 (as in meas-from-asc-of-eng-1819)
]


def period_start_year(text: str) -> int | None:
    """The start year of a financial-year label such as 2018-19, 2018/19, 2018-2019 or 201819; else None."""
    text = str(text).strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        start = int(groups["start"]) if groups.get("start") else 2000 + int(groups["short"])
        end = int(groups["end"]) % 100
        if (start + 1) % 100 == end:
            return start
    return None


def period_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def period_get_or_create(*, start_year: int) -> Period:
    period, _ = Period.objects.get_or_create(
        start_year=start_year, defaults={"label": period_label(start_year)}
    )
    return period
