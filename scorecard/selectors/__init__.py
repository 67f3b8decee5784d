"""Reads for the scorecard pages, the challenge packs and the API, one module per read.

``base`` (shared shapes, bulk reads, per-period statistics), ``scorecards`` (one council), ``region`` (a
region's overview), ``measures`` (one measure, every council), ``compare`` (councils side by side). Import
from the package: ``from scorecard import selectors; selectors.council_scorecard(...)``.

Every read here runs a fixed number of queries whatever the number of councils or measures: values for
a period are fetched in bulk (all council areas in one query, all comparator areas in another), and
the ranking, quartiles, RAG, direction of travel, comparators and commentary are computed in Python
by :mod:`scorecard.scoring`, the rules stated in ``docs/SCORING.md``. What depends only on a period's
data (``PeriodStats``: every council's figures, ranks, England quartiles, comparators) and the catalogue
(periods, domains, measures) are computed once per data version and kept (``scorecard.cache``), so a
council's scorecard then does work in proportion to its own measures. ``measure_values`` (one measure,
every council and year) is read afresh each time.

Conventions:

- Only the headline figure of a measure is read (``Value.breakdown == ""``).
- A value counts only when its status is "ok" and it has a number; suppressed [c], not applicable [x]
  and missing values are shown with their status but never ranked or used in a comparator.
- A period's measures are those of the ASCOF framework its codes were published under (2014 framework
  to 2022-23, refreshed from 2023-24) plus local measures (national ones and the council's region's).
- Trends and direction of travel join periods by ``Measure.series``, so 2022-23 2A2 → 2023-24 2C.
- "Previous period" is the latest Period row before the period.
- Comparators: a published Value for the region, England or council-type area is used when there is
  one; otherwise the figure is computed as the median of the council values (``published=False``).
  The nearest-neighbour median is always computed.
- A real figure is compared only with real comparators: demo figures and a demo comparator group
  (``NearestNeighbour.is_demo``) are never used beside a real value. A council with no real group gets
  no nearest-neighbour median and no commentary; the page says how to load one (``import_neighbours``).
- Commentary the rules cannot word (beyond 7.5 MADs) is shown as the plain numbers, never as a finding.
- Former councils (abolished, ``Council.status``) are listed only in periods where they have figures.
"""

from scorecard.selectors.base import (
    COMPARATOR_KEYS,
    COUNCIL_TYPE,
    ENGLAND,
    GROUP_DEMO,
    GROUP_NONE,
    GROUP_REAL,
    MISSING,
    NEAREST_NEIGHBOURS,
    REGION,
    WORST_MOVERS,
    ComparatorValue,
    Figure,
    OverviewCell,
    PeriodStats,
    period_stats,
    periods_with_figures,
)
from scorecard.selectors.compare import (
    Comparison,
    ComparisonRow,
    councils_comparison,
)
from scorecard.selectors.measures import (
    AreaValue,
    MeasureValueRow,
    MeasureValues,
    measure_values,
)
from scorecard.selectors.region import (
    OverviewRow,
    RegionOverview,
    region_overview,
)
from scorecard.selectors.scorecards import (
    CouncilScorecard,
    DomainSection,
    DomainSummary,
    ScorecardRow,
    council_scorecard,
)

__all__ = [
    "COMPARATOR_KEYS",
    "COUNCIL_TYPE",
    "ENGLAND",
    "GROUP_DEMO",
    "GROUP_NONE",
    "GROUP_REAL",
    "MISSING",
    "NEAREST_NEIGHBOURS",
    "REGION",
    "WORST_MOVERS",
    "AreaValue",
    "ComparatorValue",
    "Comparison",
    "ComparisonRow",
    "CouncilScorecard",
    "DomainSection",
    "DomainSummary",
    "Figure",
    "MeasureValueRow",
    "MeasureValues",
    "OverviewCell",
    "OverviewRow",
    "PeriodStats",
    "RegionOverview",
    "ScorecardRow",
    "council_scorecard",
    "councils_comparison",
    "measure_values",
    "period_stats",
    "periods_with_figures",
    "region_overview",
]
