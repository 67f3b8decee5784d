"""Charts with their data: every chart is a plotly figure paired with the same figures as a table and a CSV.

Pages build a :class:`ChartBundle` with :func:`ranking_bar_chart` or :func:`trend_chart` and render it with
``{% include "includes/chart.html" with chart=bundle %}``. Pages that show a chart must load plotly.js from
our static files in ``{% block scripts %}`` (``{% static 'build/plotly.min.js' %}``), never a CDN.
A view answers the chart's CSV link with :func:`csv_response` (``bundle.table``).

Colours are from the GOV.UK palette, and values are always written on the bars or in the hover text and
the table, so nothing is told by colour alone.
"""

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
from django.http import HttpResponse
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString
from django.utils.text import slugify

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
LINE_PALETTE = (BLUE, ORANGE, GREEN, PURPLE, PINK, TURQUOISE, BROWN, DARK_BLUE, RED, LIGHT_BLUE)
MARKERS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "star", "hexagon")

# Comparator lines: (colour, dash); the first (the region) dashed black, the second (England) dotted grey.
REFERENCE_STYLES = ((BLACK, "dash"), (DARK_GREY, "dot"))
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


def _html(fig: go.Figure, chart_id: str) -> SafeString:
    """The chart's div and its figure as a JSON data block (no inline script: see the CSP).

    ``static/src/charts.js`` (loaded on every page, after plotly.js) draws each ``.app-chart__canvas``
    from the ``<script type="application/json">`` block its ``data-chart-data`` names.
    """
    figure = json.loads(fig.to_json())
    payload = {"data": figure.get("data", []), "layout": figure.get("layout", {}), "config": PLOTLY_CONFIG}
    return format_html(
        '<div id="{id}" class="app-chart__canvas" data-chart-data="{id}-data"></div>{json}',
        id=chart_id,
        json=json_script(payload, f"{chart_id}-data"),
    )


def _layout(fig: go.Figure, *, height: int, x_title: str = "", y_title: str = "") -> None:
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
) -> ChartBundle:
    """Horizontal bars, best first (top) by polarity, with dashed vertical lines for the comparators.

    ``higher_is_better`` None (no polarity) sorts by value, largest first. Items without a number are left
    out of the chart but listed in its table as "No figure". The highlighted item (the focus council) is
    drawn dark blue and its label is bold.
    """
    chart_id = chart_id or f"chart-{slugify(title)}"
    numbered = [item for item in items if item.value is not None]
    numbered.sort(key=lambda item: item.value or 0.0, reverse=higher_is_better is not False)
    unnumbered = [item for item in items if item.value is None]

    labels = [f"<b>{_escape(item.label)}</b>" if item.highlight else _escape(item.label) for item in numbered]
    fig = go.Figure(
        go.Bar(
            x=[item.value for item in numbered],
            y=labels,
            orientation="h",
            marker={
                "color": [DARK_BLUE if item.highlight else BLUE for item in numbered],
                "line": {"color": [BLACK if item.highlight else BLUE for item in numbered], "width": 1},
            },
            text=[item.text for item in numbered],
            textposition="auto",
            insidetextanchor="end",
            insidetextfont={"color": "white"},
            outsidetextfont={"color": BLACK},
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    top = max([item.value or 0.0 for item in numbered] + [ref.value or 0.0 for ref in reference_lines] + [0])
    shown_refs = [ref for ref in reference_lines if ref.value is not None]
    for index, ref in enumerate(shown_refs):
        style = REFERENCE_STYLES[index % len(REFERENCE_STYLES)]
        fig.add_vline(x=ref.value, line={"color": style[0], "dash": style[1], "width": 2})
        # Labels sit above the plot, one row each, so they never cover the bars or each other.
        fig.add_annotation(
            x=ref.value,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            yshift=2 + 24 * index,
            text=f"{'┆' if style[1] == 'dot' else '╎'} {_escape(ref.label)}: {_escape(ref.text)}",
            showarrow=False,
            font={"size": 13, "color": style[0]},
            bgcolor="rgba(255,255,255,0.9)",
        )
    _layout(fig, height=max(220, 90 + 30 * len(numbered)) + 26 * len(shown_refs), x_title=value_label)
    fig.update_layout(margin={"l": 10, "r": 30, "t": 20 + 26 * len(shown_refs), "b": 50})
    fig.update_yaxes(autorange="reversed", gridcolor="white")
    fig.update_xaxes(range=[0, top * 1.25 if top > 0 else 1])

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
        html=_html(fig, chart_id),
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
) -> ChartBundle:
    """Lines across periods: one per council (each its own colour and marker), comparators dashed and dark.

    Each line is labelled at its last point so the legend is not the only key.
    """
    chart_id = chart_id or f"chart-{slugify(title)}"
    fig = go.Figure()
    palette_index = 0
    for line in series:
        texts = line.texts or ["" if v is None else f"{v:g}" for v in line.values]
        if line.comparator:
            color, marker, width = (BLACK if "England" in line.label else DARK_GREY), "circle-open", 3
            dash = "dash" if "England" not in line.label else "dot"
        elif line.highlight:
            color, marker, width, dash = DARK_BLUE, "circle", 4, "solid"
        else:
            color = LINE_PALETTE[palette_index % len(LINE_PALETTE)]
            marker = MARKERS[palette_index % len(MARKERS)]
            width, dash = 1.5, "dash" if line.dashed else "solid"
            palette_index += 1
        fig.add_trace(
            go.Scatter(
                x=list(periods),
                y=line.values,
                name=line.label,
                mode="lines+markers",
                line={"color": color, "width": width, "dash": dash},
                marker={"symbol": marker, "size": 8, "color": color},
                customdata=texts,
                hovertemplate=f"{_escape(line.label)}, %{{x}}: %{{customdata}}<extra></extra>",
                connectgaps=False,
                opacity=1 if (line.highlight or line.comparator) else 0.85,
            )
        )
    _layout(fig, height=460, x_title="Year", y_title=value_label)
    fig.update_layout(showlegend=True, legend={"orientation": "v", "x": 1.02, "y": 1, "font": {"size": 12}})
    fig.update_xaxes(type="category")

    names = [line.label for line in series]
    summary = (
        f"Line chart: {title}, {periods[0]} to {periods[-1]}, {len(names)} lines "
        f"({', '.join(names[:3])}{'…' if len(names) > 3 else ''}). The same figures are in the table below."
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
        html=_html(fig, chart_id),
        table=ChartTable(
            caption=title,
            headers=["Area", *periods],
            rows=rows,
            csv_headers=["Area", *periods],
            csv_rows=[[line.label, *["" if v is None else v for v in line.values]] for line in series],
        ),
        csv_url=csv_url,
    )


def csv_response(table: ChartTable, *, filename: str) -> HttpResponse:
    """The table as a CSV attachment (UTF-8 with BOM so Excel reads £ and – correctly)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    safe_name = slugify(filename.removesuffix(".csv")) or "data"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_csv_safe(cell) for cell in (table.csv_headers or table.headers)])
    writer.writerows([_csv_safe(cell) for cell in row] for row in (table.csv_rows or table.rows))
    return response


def _csv_safe(cell: object) -> str:
    """Neutralise spreadsheet formulas in text cells (CSV injection); numbers are left alone."""
    text = "" if cell is None else str(cell)
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def _escape(text: str) -> str:
    """Plotly renders a little HTML in labels: escape what came from data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
