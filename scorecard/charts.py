"""Charts with their data: every chart is a plotly figure paired with the same figures as a table and a CSV.

Pages build a :class:`ChartBundle` with :func:`ranking_bar_chart` or :func:`trend_chart` and render it with
``{% include "includes/chart.html" with chart=bundle %}``. Pages that show a chart must load plotly.js from
our static files in ``{% block scripts %}`` (``{% static 'build/plotly.min.js' %}``), never a CDN.
A view answers the chart's CSV link with :func:`csv_response` (``bundle.table``).

Colours are from the GOV.UK palette, and values are always written on the bars or in the hover text and
the table, so nothing is told by colour alone.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import plotly.graph_objects as go
from django.http import HttpResponse
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString
from django.utils.text import slugify

from core.exports import export_response
from scorecard.axes import value_axis
from scorecard.periods import period_label, period_start_year

T = TypeVar("T")

# GOV.UK Design System colours.
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
BLACK = "#0b0c0c"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"
LIGHT_BLUE = "#5694ca"
ORANGE = "#f47738"
GREEN = "#00703c"
PURPLE = "#4c2c92"
RED = "#d4351c"
PINK = "#d53880"
TURQUOISE = "#28a197"
BROWN = "#b58840"
WHITE = "#ffffff"
PALE_BLUE = "#bbd4ea"  # the other councils' bars when one council is highlighted (black text on it)
MARKER_BLUE = "#5694ca"
MUTED_LINE = "#b1b4b6"  # the other councils' trend lines when one council is highlighted
LINE_PALETTE = (BLUE, ORANGE, GREEN, PURPLE, PINK, TURQUOISE, BROWN, DARK_BLUE, RED, LIGHT_BLUE)
MARKERS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "star", "hexagon")

# Comparator lines: (colour, dash); the first (the region) dashed black, the second (England) dotted grey.
REFERENCE_STYLES = ((BLACK, "dash"), (DARK_GREY, "dot"))
# Trend lines: England as on the ranking chart; the other comparators in order (colour, dash, marker), the
# region first as on the ranking chart, any further one (nearest neighbours) a style of its own.
ENGLAND_TREND_STYLE = (*REFERENCE_STYLES[1], "circle-open")
COMPARATOR_STYLES = (
    (*REFERENCE_STYLES[0], "circle-open"),
    (BLACK, "dashdot", "diamond-open"),
    (DARK_GREY, "longdash", "square-open"),
)
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
FONT = {"family": "Arial, sans-serif", "size": 14, "color": BLACK}


@dataclass
class ChartTable:
    """The chart's data as a table: what the details component shows and the CSV contains."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    # The CSV: plain numbers rather than formatted text. Defaults to headers/rows.
    csv_headers: list[str] = field(default_factory=list)
    csv_rows: list[list[object]] = field(default_factory=list)


@dataclass
class ChartBundle:
    """A chart's HTML fragment (no plotly.js), its accessible summary, its data table and CSV link."""

    chart_id: str
    title: str
    summary: str  # the aria-label of the chart: one or two sentences a screen reader can use instead
    html: SafeString
    table: ChartTable
    csv_url: str = ""
    table_open: bool = False  # show the table expanded rather than in a closed details component


@dataclass
class BarItem:
    label: str
    value: float | None
    text: str  # the formatted value, written on the bar
    highlight: bool = False


@dataclass
class ReferenceLine:
    label: str
    value: float | None
    text: str


@dataclass
class TrendSeries:
    label: str
    values: list[float | None]  # one per period, None for a gap
    texts: list[str] = field(default_factory=list)
    dashed: bool = False
    highlight: bool = False
    comparator: bool = False  # a region / England line (drawn dashed, dark)


def chart_html(fig: go.Figure, chart_id: str) -> SafeString:
    """The chart's div and its figure as JSON; ``static/src/charts.js`` draws it once plotly.js is loaded.

    No inline script (a strict Content Security Policy can forbid them): ``includes/chart.html`` loads
    ``charts.js`` deferred, so it runs after plotly.min.js, which pages load at the end of the body.
    """
    figure = json.loads(fig.to_json())
    payload = {"data": figure.get("data", []), "layout": figure.get("layout", {}), "config": PLOTLY_CONFIG}
    return format_html(
        '<div id="{id}" class="app-chart__canvas" data-app-chart="{id}-data"></div>{json}',
        id=chart_id,
        json=json_script(payload, f"{chart_id}-data"),
    )


def apply_layout(fig: go.Figure, *, height: int, x_title: str = "", y_title: str = "") -> None:
    """The house layout every chart shares (fonts, margins, axis titles); the heat-map uses it too."""
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 30, "t": 30, "b": 50},
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
        hoverlabel={"font": FONT},
    )
    fig.update_xaxes(title_text=x_title, gridcolor="#f3f2f1", zerolinecolor=MID_GREY, automargin=True)
    fig.update_yaxes(title_text=y_title, gridcolor="#f3f2f1", zerolinecolor=MID_GREY, automargin=True)


def ranking_bar_chart(
    *,
    title: str,
    items: Sequence[BarItem],
    higher_is_better: bool | None,
    reference_lines: Sequence[ReferenceLine] = (),
    value_label: str = "Value",
    csv_url: str = "",
    chart_id: str = "",
    axis_from_zero: bool = True,
) -> ChartBundle:
    """Horizontal bars, best first (top) by polarity, with dashed vertical lines for the comparators.

    ``higher_is_better`` None (no polarity) sorts by value, largest first. Items without a number are left
    out of the chart but listed in its table as "No figure". The highlighted item (the council the page is
    about) is drawn dark blue with a bold label, and the others pale, so it stands out as on LG Inform.
    Comparator lines are drawn beneath the bars, so they never cross a bar's value label.

    ``axis_from_zero`` False (scores such as "out of 24", where councils differ by a point or two) draws a
    dot plot on an axis fitted to the figures instead: a bar must start at zero, a dot need not.
    """
    chart_id = chart_id or f"chart-{slugify(title)}"
    numbered = [item for item in items if item.value is not None]
    numbered.sort(key=lambda item: item.value or 0.0, reverse=higher_is_better is not False)
    unnumbered = [item for item in items if item.value is None]
    focused = any(item.highlight for item in numbered)
    shown_refs = [ref for ref in reference_lines if ref.value is not None]

    labels = [
        f"<b>{escape_label(item.label)}</b>" if item.highlight else escape_label(item.label)
        for item in numbered
    ]
    values = [item.value or 0.0 for item in numbered]
    all_values = values + [ref.value or 0.0 for ref in shown_refs]
    if axis_from_zero:
        fill = [DARK_BLUE if item.highlight else (PALE_BLUE if focused else BLUE) for item in numbered]
        text_colour = [WHITE if item.highlight or not focused else BLACK for item in numbered]
        trace = go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={
                "color": fill,
                "line": {"color": [BLACK if item.highlight else fill[i] for i, item in enumerate(numbered)]},
            },
            text=[item.text for item in numbered],
            textposition="auto",
            insidetextanchor="end",
            insidetextfont={"color": text_colour},
            outsidetextfont={"color": BLACK},
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
        top = max([*all_values, 0])
        x_range = [0, top * 1.25 if top > 0 else 1]
        axis_title = value_label
    else:
        # Values go in the axis labels, not beside the dots, so a comparator line never crosses them.
        dot_labels = [
            f"<b>{escape_label(item.label)}  {escape_label(item.text)}</b>"
            if item.highlight
            else f"{escape_label(item.label)}  {escape_label(item.text)}"
            for item in numbered
        ]
        trace = go.Scatter(
            x=values,
            y=dot_labels,
            mode="markers",
            marker={
                "size": [16 if item.highlight else 11 for item in numbered],
                "color": [
                    DARK_BLUE if item.highlight else (MARKER_BLUE if focused else BLUE) for item in numbered
                ],
                "line": {"color": BLACK, "width": [2 if item.highlight else 0 for item in numbered]},
                "opacity": 1,
            },
            text=[item.text for item in numbered],
            cliponaxis=False,
            hovertemplate="%{y}<extra></extra>",
        )
        low, high = (min(all_values), max(all_values)) if all_values else (0.0, 1.0)
        pad = max((high - low) * 0.15, abs(high) * 0.01, 0.1)
        x_range = [low - pad, high + pad * 2]
        axis_title = f"{value_label}<br>(axis starts at {_tick(x_range[0])}, not 0)"
    fig = go.Figure(trace)
    for index, ref in enumerate(shown_refs):
        style = REFERENCE_STYLES[index % len(REFERENCE_STYLES)]
        fig.add_vline(x=ref.value, line={"color": style[0], "dash": style[1], "width": 3}, layer="below")
        # Labels sit above the plot, one row each, so they never cover the bars or each other.
        fig.add_annotation(
            x=ref.value,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            yshift=2 + 24 * index,
            text=f"{'┆' if style[1] == 'dot' else '╎'} {escape_label(ref.label)}: {escape_label(ref.text)}",
            showarrow=False,
            font={"size": 13, "color": style[0]},
            bgcolor="rgba(255,255,255,0.9)",
        )
    apply_layout(fig, height=max(220, 90 + 30 * len(numbered)) + 26 * len(shown_refs), x_title=axis_title)
    fig.update_layout(
        margin={"l": 10, "r": 30, "t": 20 + 26 * len(shown_refs), "b": 50 if axis_from_zero else 70}
    )
    fig.update_yaxes(autorange="reversed", gridcolor="white" if axis_from_zero else "#f3f2f1")
    fig.update_xaxes(range=x_range)

    best = numbered[0].label if numbered else None
    worst = numbered[-1].label if numbered else None
    summary = f"Bar chart: {title}. {len(numbered)} councils"
    if best and higher_is_better is not None:
        summary += f", best {best} ({numbered[0].text}), worst {worst} ({numbered[-1].text})"
    summary += ". " + " ".join(
        f"{ref.label}: {ref.text}." for ref in reference_lines if ref.value is not None
    )
    summary += " The same figures are in the table below."
    rows = [[item.label, item.text] for item in numbered]
    rows += [[item.label, item.text or "No figure"] for item in unnumbered]
    rows += [[ref.label, ref.text or "No figure"] for ref in reference_lines]
    csv_rows: list[list[object]] = [
        [item.label, "" if item.value is None else item.value, item.text or "No figure"]
        for item in [*numbered, *unnumbered]
    ]
    csv_rows += [[ref.label, "" if ref.value is None else ref.value, ref.text] for ref in reference_lines]
    return ChartBundle(
        chart_id=chart_id,
        title=title,
        summary=summary.strip(),
        html=chart_html(fig, chart_id),
        table=ChartTable(
            caption=title,
            headers=["Area", value_label],
            rows=rows,
            csv_headers=["Area", value_label, "Shown as"],
            csv_rows=csv_rows,
        ),
        csv_url=csv_url,
    )


def trend_chart(
    *,
    title: str,
    periods: Sequence[str],
    series: Sequence[TrendSeries],
    value_label: str = "Value",
    csv_url: str = "",
    chart_id: str = "",
    end_period: str = "",
    unit: str = "",
    scale_max: float | None = None,
    tick_text: Callable[[float], str] | None = None,
) -> ChartBundle:
    """Lines across periods: one per council, comparators (region, England, neighbours) dashed and dark.

    The value axis follows ``scorecard.axes`` (``unit``, ``scale_max``; ``tick_text`` writes a value as the
    axis and its note show it): from zero unless the lines' differences would vanish on such an axis, and
    then the axis title says where it starts.

    When one line is highlighted (the council the page is about) it is drawn thick and dark blue and the
    other councils thin and grey, sharing one legend entry; ``static/src/charts.js`` drops those grey lines
    on a phone, leaving the council and its comparators. Without a highlight every council has its own
    colour and marker.

    ``end_period`` (a label) ends the chart at the year shown on an older year's page. Years missing between
    the first and last (the 2020-21 survey gap) are put back as gaps: lines break there, never join across.
    """
    chart_id = chart_id or f"chart-{slugify(title)}"
    periods, series = _trend_years(periods, series, end_period=end_period)
    focused = any(line.highlight for line in series)
    fig = go.Figure()
    palette_index = 0
    comparator_index = 0
    others_in_legend = False
    other_count = sum(1 for line in series if not line.highlight and not line.comparator)
    for line in series:
        texts = line.texts or ["" if v is None else f"{v:g}" for v in line.values]
        extra: dict = {}
        if line.comparator:
            # No two comparators share a legend swatch (ENGLAND_TREND_STYLE, COMPARATOR_STYLES).
            if "England" in line.label:
                color, dash, marker = ENGLAND_TREND_STYLE
            else:
                color, dash, marker = COMPARATOR_STYLES[comparator_index % len(COMPARATOR_STYLES)]
                comparator_index += 1
            width = 3.0
            role = "comparator"
        elif line.highlight:
            color, marker, width, dash = DARK_BLUE, "circle", 4.0, "solid"
            role = "focus"
        elif focused:
            color, marker, width, dash = MUTED_LINE, "circle", 1.5, "solid"
            role = "secondary"
            extra = {"legendgroup": "others", "showlegend": not others_in_legend}
            others_in_legend = True
        else:
            color = LINE_PALETTE[palette_index % len(LINE_PALETTE)]
            marker = MARKERS[palette_index % len(MARKERS)]
            width, dash = 1.5, "dash" if line.dashed else "solid"
            palette_index += 1
            role = "council"
        name = line.label
        if role == "secondary":
            name = f"Other councils ({other_count})"
        fig.add_trace(
            go.Scatter(
                x=list(periods),
                y=line.values,
                name=name,
                mode="lines+markers",
                line={"color": color, "width": width, "dash": dash},
                marker={"symbol": marker, "size": 6 if role == "secondary" else 8, "color": color},
                customdata=texts,
                hovertemplate=f"{escape_label(line.label)}, %{{x}}: %{{customdata}}<extra></extra>",
                connectgaps=False,
                opacity=1 if role in ("focus", "comparator") else 0.85,
                meta=role,
                legendrank=1 if role == "focus" else (10 if role == "comparator" else 1000),
                **extra,
            )
        )
    if focused:  # draw the highlighted council last, on top of the grey lines
        fig.data = tuple(
            sorted(fig.data, key=lambda trace: {"secondary": 0, "council": 1}.get(trace.meta, 2))
        )
    axis = value_axis(
        (v for line in series for v in line.values), unit=unit, scale_max=scale_max, label=tick_text or _tick
    )
    y_title = f"{value_label}<br>({escape_label(axis.note)})" if axis.note else value_label
    apply_layout(fig, height=460, x_title="Year", y_title=y_title)
    fig.update_layout(showlegend=True, legend={"orientation": "v", "x": 1.02, "y": 1, "font": {"size": 12}})
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[axis.low, axis.high], tickvals=list(axis.ticks))

    names = [line.label for line in series if line.highlight or line.comparator] + [
        line.label for line in series if not (line.highlight or line.comparator)
    ]
    summary = (
        f"Line chart: {title}, {periods[0]} to {periods[-1]}, {len(names)} lines "
        f"({', '.join(names[:3])}{'…' if len(names) > 3 else ''})"
        f"{'; ' + next(line.label for line in series if line.highlight) + ' is highlighted' if focused else ''}"
        f"{'; years without figures are gaps' if any(v is None for line in series for v in line.values) else ''}"
        f"{'. ' + axis.note if axis.note else ''}"
        ". The same figures are in the table below."
        if periods
        else f"Line chart: {title}. No figures yet."
    )
    rows = []
    for line in series:
        texts = line.texts or ["" if v is None else f"{v:g}" for v in line.values]
        rows.append([line.label, *[text or "–" for text in texts]])
    return ChartBundle(
        chart_id=chart_id,
        title=title,
        summary=summary,
        html=chart_html(fig, chart_id),
        table=ChartTable(
            caption=title,
            headers=["Area", *periods],
            rows=rows,
            csv_headers=["Area", *periods],
            csv_rows=[[line.label, *["" if v is None else v for v in line.values]] for line in series],
        ),
        csv_url=csv_url,
    )


def _trend_years(
    periods: Sequence[str], series: Sequence[TrendSeries], *, end_period: str = ""
) -> tuple[list[str], list[TrendSeries]]:
    """Periods up to ``end_period``, with missing financial years between them put back as gaps (None)."""
    years = [period_start_year(label) for label in periods]
    end = period_start_year(end_period) if end_period else None
    keep = [i for i, year in enumerate(years) if end is None or year is None or year <= end]
    known = [year for i in keep if (year := years[i]) is not None]
    if keep and len(known) == len(keep):
        first, last = known[0], known[-1]
        index_of = {years[i]: i for i in keep}
        full = list(range(first, last + 1))
        labels = [periods[index_of[y]] if y in index_of else period_label(y) for y in full]
        picks: list[int | None] = [index_of.get(y) for y in full]
    else:
        labels = [periods[i] for i in keep]
        picks = list(keep)

    def take(values: Sequence[T], blank: T) -> list[T]:
        return [blank if i is None or i >= len(values) else values[i] for i in picks]

    lines = [
        TrendSeries(
            label=line.label,
            values=take(line.values, None),
            texts=take(line.texts, "") if line.texts else [],
            dashed=line.dashed,
            highlight=line.highlight,
            comparator=line.comparator,
        )
        for line in series
    ]
    return labels, lines


def csv_response(table: ChartTable, *, filename: str) -> HttpResponse:
    """The table as a CSV attachment, through the shared export helper (numbers as numbers, text that a
    spreadsheet would run as a formula neutralised, UTF-8 with BOM so Excel reads £ and –)."""
    return export_response(
        export_format="csv",
        headers=table.csv_headers or table.headers,
        rows=table.csv_rows or table.rows,
        filename=filename.removesuffix(".csv"),
    )


def _tick(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def escape_label(text: str) -> str:
    """Plotly renders a little HTML in labels: escape what came from data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
