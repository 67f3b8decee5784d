"""What every figure page downloads (the council and region scorecards, compare, a measure's page).

Every download goes through core.exports (numbers as numbers, no markup, no formulas). Column keys are
stable; headers are what an analyst reads. "basis" says where a comparator came from: published (as loaded
from the file), computed (the median of the council figures present) or "" (none). ``?_export=csv|xlsx`` is
the page's own table, one row per figure with its comparators in columns; ``?_export=figures`` the tidy long
CSV, one row per figure the page shows (``FIGURE_COLUMNS``), built from :func:`figure_row`.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse

from core.exports import dict_rows, export_response
from scorecard.figures import ComparatorValue
from scorecard.models import Measure, Unit


def unit_label(measure: Measure) -> str:
    if measure.unit == Unit.SCORE and measure.scale_max is not None:
        return f"Score out of {measure.scale_max.normalize():f}"
    return measure.get_unit_display()


def basis(figure: ComparatorValue | None) -> str:
    if figure is None or figure.value is None:
        return ""
    return "published" if figure.published else f"computed (median of {figure.count})"


# The tidy long tables start the same: where, when, which measure and the figure (councils and comparators).
LONG_COLUMNS = [
    ("period", "Period"),
    ("area_gss_code", "GSS code"),
    ("area", "Area"),
    ("area_type", "Area type"),
    ("code", "Code"),
    ("measure_key", "Measure key"),
    ("measure", "Measure"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("status", "Status"),
]


# The tidy long table: one row per figure the page shows (councils and comparators alike).
FIGURE_COLUMNS = [
    *LONG_COLUMNS,
    ("basis", "Basis"),
    ("rag", "RAG"),
    ("rank", "Rank in region"),
    ("rank_of", "Councils ranked in region"),
    ("demo", "Demo data"),
]


def council_figure_row(period: str, council: Any, measure: Any, figure: Any) -> dict[str, Any]:
    """One council's figure row: ``figure`` is a scorecard row or a compare/overview cell (same attributes)."""
    return figure_row(
        period=period,
        gss=council.gss_code,
        area=council.name,
        area_type="council",
        measure=measure,
        value=figure.value,
        status=figure.status,
        rag=figure.rag.value if figure.rag else "",
        rank=figure.rank,
        rank_of=figure.rank_of,
        demo=figure.is_demo,
    )


def figure_row(
    *,
    period: str,
    gss: str,
    area: str,
    area_type: str,
    measure: Measure,
    value: Any,
    status: str = "ok",
    figure_basis: str = "published",
    rag: str = "",
    rank: int | None = None,
    rank_of: int | None = None,
    demo: bool = False,
) -> dict[str, Any]:
    return {
        "period": period,
        "area_gss_code": gss,
        "area": area,
        "area_type": area_type,
        "code": measure.code,
        "measure_key": measure.key,
        "measure": measure.title,
        "value": value,
        "unit": unit_label(measure),
        "status": status if value is not None or status != "ok" else "missing",
        "basis": figure_basis if value is not None else "",
        "rag": rag,
        "rank": rank,
        "rank_of": rank_of if rank is not None else None,
        "demo": "yes" if demo else "",
    }


def comparator_figure_row(
    period: str, gss: str, area: str, area_type: str, measure: Measure, c: ComparatorValue | None
) -> dict[str, Any] | None:
    if c is None or c.value is None:
        return None
    return figure_row(
        period=period,
        gss=gss,
        area=area,
        area_type=area_type,
        measure=measure,
        value=c.value,
        figure_basis=basis(c),
        demo=c.is_demo,
    )


EXPORT_FORMATS = ("csv", "xlsx")


FIGURES = "figures"  # ?_export=figures: the tidy long CSV of every figure the page shows


def page_export(
    request: HttpRequest,
    name: str,
    *,
    columns: list[tuple[str, str]],
    rows: Any,
    figures: Any,
) -> HttpResponse | None:
    """``?_export=csv|xlsx``: the page's table, one row per figure with its comparators in columns;
    ``?_export=figures``: the tidy long CSV. ``rows``/``figures`` are callables, run only when asked."""
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        headers, data = dict_rows(columns, rows())
        return export_response(export_format=export_format, headers=headers, rows=data, filename=name)
    if export_format == FIGURES:
        headers, data = dict_rows(FIGURE_COLUMNS, figures())
        return export_response(export_format="csv", headers=headers, rows=data, filename=f"{name}-figures")
    return None
